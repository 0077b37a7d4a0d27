"""PipelineSwitchHook: stage 2 from exactly ``switch_epoch``, also inside
persistent dataloader workers and after a resume."""
import glob
import os.path as osp
from types import SimpleNamespace

import pytest
import torch
from toy_training import one_thread  # noqa: F401 (autouse fixture)
from toy_training import (ITERS_PER_EPOCH, CallAt, build_runner, final_state,
                          toy_cfg)

from rtmpose.engine.hooks import PipelineSwitchHook
from rtmpose.engine.hooks import pipeline_switch_hook as psh

ITER_CKPT = dict(type='CheckpointHook', by_epoch=False, interval=5,
                 max_keep_ckpts=1)


def _stages(seen):
    """The stage of every batch (all samples of a batch share it)."""
    stages = []
    for _, batch_stages in seen:
        assert len(set(batch_stages)) == 1
        stages.append(batch_stages[0])
    return stages


@pytest.mark.parametrize('switch_epoch', [1, 2])
def test_switch_exactly_at_switch_epoch_and_logged(tmp_path, switch_epoch):
    runner = build_runner(
        toy_cfg(tmp_path, switch_epoch=switch_epoch, log_level='INFO'))
    runner.train()
    n = ITERS_PER_EPOCH
    assert _stages(runner.model.seen) == [1] * n * switch_epoch + [2] * n * (
        3 - switch_epoch)
    (log_file, ) = glob.glob(osp.join(runner.log_dir, '*.log'))
    with open(log_file) as f:
        lines = [line for line in f if 'PipelineSwitchHook: ' in line]
    assert len(lines) == 1
    assert f'epoch {switch_epoch + 1} (0-based {switch_epoch}, ' \
        f'switch_epoch={switch_epoch}): switched' in lines[0]


def _crash(runner):
    raise RuntimeError('simulated crash')


@pytest.fixture(scope='module')
def with_workers(tmp_path_factory):
    """An uninterrupted run with one persistent worker."""
    runner = build_runner(
        toy_cfg(tmp_path_factory.mktemp('workers'), num_workers=1,
                jitter=False, custom_hooks=[ITER_CKPT]))
    runner.train()
    return final_state(runner), runner.model.seen


def test_persistent_workers_get_stage_2(with_workers):
    _, seen = with_workers
    assert _stages(seen) == [1] * 2 * ITERS_PER_EPOCH + [2] * ITERS_PER_EPOCH


def test_persistent_workers_keep_stage_1_without_the_restart(
        tmp_path, monkeypatch):
    """Without restarting the workers the switch would not reach them: the
    test above can fail."""
    monkeypatch.setattr(psh, 'reset_persistent_workers',
                        lambda loader: False)
    runner = build_runner(
        toy_cfg(tmp_path, num_workers=1, jitter=False, max_epochs=3))
    runner.train()
    assert set(_stages(runner.model.seen)) == {1}


@pytest.mark.parametrize('stop_at, resumed_from', [(9, 'epoch_2.pth'),
                                                   (11, 'iter_10.pth')])
def test_stage_2_again_after_resume_with_workers(tmp_path, with_workers,
                                                 stop_at, resumed_from):
    expected, expected_seen = with_workers
    cfg = dict(num_workers=1, jitter=False, custom_hooks=[ITER_CKPT])
    cut = build_runner(toy_cfg(tmp_path, **cfg))
    cut.register_hook(CallAt(stop_at, _crash))
    with pytest.raises(RuntimeError):
        cut.train()
    with open(osp.join(tmp_path, 'last_checkpoint')) as f:
        assert osp.basename(f.read()) == resumed_from
    resumed = build_runner(toy_cfg(tmp_path, resume=True, **cfg))
    resumed.train()
    done = stop_at - 1
    assert _stages(resumed.model.seen) == [2] * (12 - done)
    assert cut.model.seen[:done] + resumed.model.seen == expected_seen
    # a deterministic pipeline: the weights match exactly, workers or not
    state = final_state(resumed)
    for key, value in expected.items():
        torch.testing.assert_close(state[key], value, rtol=0, atol=1e-6)


def test_unreachable_switch_warns():
    warnings = []
    hook = PipelineSwitchHook(switch_epoch=390, switch_pipeline=[])
    hook.before_train(
        SimpleNamespace(max_epochs=8,
                        logger=SimpleNamespace(warning=warnings.append)))
    assert warnings == ['PipelineSwitchHook: switch_epoch=390 >= '
                        'max_epochs=8, stage 2 never runs']


def test_pipeline_owner_looks_through_wrappers():
    inner = SimpleNamespace(pipeline='inner')
    wrapper = SimpleNamespace(dataset=SimpleNamespace(dataset=inner))
    assert psh.pipeline_owner(wrapper) is inner
    combined = SimpleNamespace(pipeline='shared', datasets=[inner])
    assert psh.pipeline_owner(combined) is combined
    with pytest.raises(TypeError, match='has no "pipeline"'):
        psh.pipeline_owner(SimpleNamespace())
    with pytest.raises(ValueError, match='switch_epoch must be >= 0'):
        PipelineSwitchHook(switch_epoch=-1, switch_pipeline=[])
