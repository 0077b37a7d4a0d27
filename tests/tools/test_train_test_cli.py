"""tools/train.py then tools/test.py on a tiny synthetic set, end to end."""
import json
import os
import os.path as osp
import re
import subprocess
import sys

import numpy as np
import pytest

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(ROOT, 'configs/demo/rtmpose-t_demo.py')


def _run(args, cwd):
    env = dict(os.environ, PYTHONPATH=ROOT, OMP_NUM_THREADS='2')
    proc = subprocess.run([sys.executable] + args, cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout + proc.stderr


def _tiny_options(data_root):
    return [
        f'train_dataloader.dataset.data_root={data_root}',
        f'val_dataloader.dataset.data_root={data_root}',
        f'test_dataloader.dataset.data_root={data_root}',
        f'val_evaluator.ann_file={data_root}/annotations/'
        'person_keypoints_val.json',
        f'test_evaluator.ann_file={data_root}/annotations/'
        'person_keypoints_val.json',
        'train_dataloader.dataset.synthetic_cfg.num_train_images=12',
        'train_dataloader.dataset.synthetic_cfg.num_val_images=4',
        'val_dataloader.dataset.synthetic_cfg.num_train_images=12',
        'val_dataloader.dataset.synthetic_cfg.num_val_images=4',
        'test_dataloader.dataset.synthetic_cfg.num_train_images=12',
        'test_dataloader.dataset.synthetic_cfg.num_val_images=4',
        'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'val_dataloader.num_workers=0', 'val_dataloader.persistent_workers=False',
        'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False',
        'train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
        'default_hooks.logger.interval=1',
    ]


def _metrics(log):
    found = re.findall(r'coco/AP: ([0-9.]+)\s+coco/AP \.5: ([0-9.]+)', log)
    assert found, log[-2000:]
    return [float(v) for v in found[0]]


def _keypoints(path):
    with open(path) as f:
        preds = json.load(f)
    assert len(preds) > 0 and len(preds[0]['keypoints']) == 17 * 3
    return sorted((p['image_id'], p['keypoints']) for p in preds)


def test_train_then_test_gives_same_ap(tmp_path):
    data_root = str(tmp_path / 'data')
    work_dir = str(tmp_path / 'work')
    options = _tiny_options(data_root)
    val_prefix = str(tmp_path / 'val')
    log = _run(['tools/train.py', CONFIG, '--work-dir', work_dir,
                '--cfg-options', f'val_evaluator.outfile_prefix={val_prefix}'
                ] + options, cwd=ROOT)
    assert 'Epoch(train) [1][1/' in log and 'eta:' in log
    train_metrics = _metrics(log)
    ckpt = osp.join(work_dir, 'epoch_1.pth')
    assert osp.isfile(ckpt)
    dump = str(tmp_path / 'test.keypoints.json')
    log = _run(['tools/test.py', CONFIG, ckpt, '--work-dir', work_dir,
                '--dump', dump, '--cfg-options'] + options, cwd=ROOT)
    assert _metrics(log) == train_metrics
    # the saved checkpoint reproduces validation's predictions exactly
    val_preds = _keypoints(val_prefix + '.keypoints.json')
    test_preds = _keypoints(dump)
    assert [i for i, _ in val_preds] == [i for i, _ in test_preds]
    for (_, a), (_, b) in zip(val_preds, test_preds):
        assert max(abs(x - y) for x, y in zip(a, b)) < 1e-3


def test_bad_config_key_is_refused(tmp_path):
    env = dict(os.environ, PYTHONPATH=ROOT)
    proc = subprocess.run(
        [sys.executable, 'tools/train.py', CONFIG, '--work-dir',
         str(tmp_path), '--cfg-options', 'train_cfg.max_epoch=3'],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert 'did you mean "max_epochs"' in proc.stderr


def test_onnx_export_then_test_matches_pytorch(tmp_path):
    """export_onnx.py (fp32 and --int8) then tools/test.py on the .onnx
    files: fp32 gives PyTorch's no-flip predictions, int8 close ones."""
    import torch

    from rtmpose.apis import init_model
    torch.manual_seed(0)
    model = init_model(CONFIG)
    model.head.init_weights()
    ckpt = str(tmp_path / 'random.pth')
    torch.save(dict(state_dict=model.state_dict()), ckpt)
    options = _tiny_options(str(tmp_path / 'data')) + [
        'model.test_cfg.flip_test=False'
    ]
    dumps = {}
    for name in ('torch', 'fp32', 'int8'):
        weights = ckpt if name == 'torch' else str(tmp_path / f'{name}.onnx')
        if name == 'fp32':
            log = _run(['tools/deploy/export_onnx.py', CONFIG, ckpt,
                        '--output', weights, '--dynamic-batch', '--int8',
                        str(tmp_path / 'int8.onnx'), '--calib-num', '8',
                        '--cfg-options'] + options, cwd=ROOT)
            assert 'calibrated on 8 train crops' in log
        dumps[name] = str(tmp_path / f'{name}.keypoints.json')
        _run(['tools/test.py', CONFIG, weights, '--work-dir',
              str(tmp_path / 'work'), '--dump', dumps[name],
              '--cfg-options'] + options, cwd=ROOT)
    preds = {name: _keypoints(path) for name, path in dumps.items()}
    for name in ('fp32', 'int8'):
        assert [i for i, _ in preds[name]] == [i for i, _ in preds['torch']]
        diffs = np.abs([
            np.subtract(a, b)
            for (_, a), (_, b) in zip(preds[name], preds['torch'])
        ])
        if name == 'fp32':
            assert diffs.max() < 1e-3, diffs.max()
        else:
            # random weights give flat responses, whose argmax int8 noise
            # can move (here ~20% of them); the rest stay within a pixel
            assert 0 < diffs.max() and np.mean(diffs < 1) > 0.6
