"""results.png: per-epoch curves from the work dir's scalars.json files."""
import json

import pytest

from rtmpose.visualization.training_curves import (curve_panels, load_scalars,
                                                   plot_training_curves)


def _write(run_dir, records):
    vis = run_dir / 'vis_data'
    vis.mkdir(parents=True)
    (vis / 'scalars.json').write_text(
        ''.join(json.dumps(r) + '\n' for r in records))


def _train(epoch, step, loss, lr):
    return dict(lr=lr, loss=loss, loss_kpt=loss, acc_pose=loss / 10,
                epoch=epoch, iter=step, step=step)


def test_per_epoch_values_and_resume(tmp_path):
    # first run: epochs 1-2 (two records each) and a validation; stopped in
    # epoch 3; the resumed run redoes step 6 and finishes epoch 3
    _write(tmp_path / '20260101_000000', [
        _train(1, 1, 4.0, 0.1), _train(1, 2, 2.0, 0.2),
        _train(2, 3, 1.0, 0.3), _train(2, 4, 3.0, 0.4),
        {'coco/AP': 0.25, 'coco/AP .5': 0.5, 'coco/AR': 0.3, 'step': 2},
        _train(3, 6, 9.0, 0.9),
    ])
    _write(tmp_path / '20260101_010000', [
        _train(3, 5, 0.5, 0.5), _train(3, 6, 1.5, 0.6),
        {'coco/AP': 0.5, 'coco/AP .5': 0.75, 'coco/AR': 0.6, 'step': 3},
    ])
    train, val = load_scalars(str(tmp_path))
    assert [r['step'] for r in train] == [1, 2, 3, 4, 5, 6]
    assert train[-1]['loss'] == 1.5  # the resumed run's record wins
    panels = curve_panels(train, val)
    assert {k: [label for label, _, _ in v] for k, v in panels.items()} == {
        'loss': ['loss', 'loss_kpt'],
        'lr': ['lr (end of epoch)'],
        'acc_pose': ['acc_pose'],
        'validation': ['coco/AP', 'coco/AR'],
    }
    _, epochs, loss = panels['loss'][0]
    assert epochs == [1, 2, 3] and loss == [3.0, 2.0, 1.0]
    assert panels['lr'][0][2] == [0.2, 0.4, 0.6]
    assert panels['validation'][0][1:] == ([2, 3], [0.25, 0.5])

    summary = plot_training_curves(str(tmp_path))
    assert sum(len(v) for v in summary.values()) == 6
    with open(tmp_path / 'results.png', 'rb') as f:
        assert f.read(8) == b'\x89PNG\r\n\x1a\n'


def test_not_a_work_dir(tmp_path):
    with pytest.raises(FileNotFoundError, match='scalars.json'):
        plot_training_curves(str(tmp_path))
