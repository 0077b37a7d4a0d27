"""Interrupted + resumed training ends exactly where an uninterrupted run
ends (toy model through PoseRunner, CPU, fixed seed, random augmentation)."""
import os
import os.path as osp
import signal

import numpy as np
import pytest
import torch
from toy_training import one_thread  # noqa: F401 (autouse fixture)
from toy_training import (ITERS_PER_EPOCH, CallAt, build_runner, final_state,
                          toy_cfg)

from rtmpose import checkpoint as ckpt_io, hub
from rtmpose.engine.resumable_loop import ResumableEpochBasedTrainLoop

# also an iteration checkpoint every 5 iterations (epochs end at 4, 8, 12)
ITER_CKPT = dict(type='CheckpointHook', by_epoch=False, interval=5,
                 max_keep_ckpts=1)


def _cfg(work_dir, **kwargs):
    return toy_cfg(work_dir, custom_hooks=[ITER_CKPT], **kwargs)


@pytest.fixture(scope='module')
def uninterrupted(tmp_path_factory):
    runner = build_runner(_cfg(tmp_path_factory.mktemp('full')))
    runner.train()
    return final_state(runner), runner.model.seen


def _crash(runner):
    raise RuntimeError('simulated crash')


def _signal(runner):
    os.kill(os.getpid(), signal.SIGINT)


def _assert_same(state, expected):
    assert state.keys() == expected.keys()
    for key, value in expected.items():
        torch.testing.assert_close(
            state[key].double(), value.double(), rtol=0, atol=1e-6,
            msg=lambda m: f'{key}: {m}')


@pytest.mark.parametrize(
    'stop_at, stopper, resumed_from',
    [
        (6, _signal, 'iter_6.pth'),  # Ctrl-C mid epoch 2
        (9, _crash, 'epoch_2.pth'),  # epoch boundary; stage 2 starts there
        (11, _crash, 'iter_10.pth'),  # mid epoch 3, after the switch
    ])
def test_resume_matches_uninterrupted(tmp_path, uninterrupted, stop_at,
                                      stopper, resumed_from):
    expected, expected_seen = uninterrupted
    cut = build_runner(_cfg(tmp_path))
    cut.register_hook(CallAt(stop_at, stopper))
    # SIG_IGN where the suite runs in the background (no job control)
    handler_before = signal.getsignal(signal.SIGINT)
    with pytest.raises((SystemExit, RuntimeError)) as err:
        cut.train()
    if stopper is _signal:
        assert err.value.code == 128 + signal.SIGINT
        # the handler is given back after the run
        assert signal.getsignal(signal.SIGINT) is handler_before
    with open(osp.join(tmp_path, 'last_checkpoint')) as f:
        assert osp.basename(f.read()) == resumed_from
    done = int(ckpt_io.load_checkpoint(
        osp.join(tmp_path, resumed_from))['meta']['iter'])

    resumed = build_runner(_cfg(tmp_path, resume=True))
    resumed.train()
    # same batches (sample order and pipeline stage) as the full run
    assert cut.model.seen[:done] + resumed.model.seen == expected_seen
    assert len(resumed.model.seen) == 3 * ITERS_PER_EPOCH - done
    assert resumed.iter == 3 * ITERS_PER_EPOCH and resumed.epoch == 3
    _assert_same(final_state(resumed), expected)


def test_resume_without_restoring_would_differ(tmp_path, uninterrupted):
    """The check above can fail: the same run resumed by mmengine's plain
    loop (restarting the epoch) ends elsewhere."""
    expected, _ = uninterrupted
    cut = build_runner(_cfg(tmp_path))
    cut.register_hook(CallAt(6, _crash))
    with pytest.raises(RuntimeError):
        cut.train()
    resumed = build_runner(
        _cfg(tmp_path, resume=True,
             train_cfg=dict(type='EpochBasedTrainLoop', max_epochs=3)))
    resumed.train()
    state = final_state(resumed)
    assert not torch.allclose(state['linear.weight'],
                              expected['linear.weight'], atol=1e-4)


def test_whole_checkpoint_loads_safely(tmp_path):
    runner = build_runner(_cfg(tmp_path, max_epochs=2))
    runner.register_hook(CallAt(6, _crash))
    with pytest.raises(RuntimeError):
        runner.train()
    ckpt = ckpt_io.load_checkpoint(osp.join(tmp_path, 'iter_5.pth'))
    assert set(ckpt) >= {'meta', 'state_dict', 'ema_state_dict', 'optimizer',
                         'param_schedulers', 'message_hub'}
    meta = ckpt['meta']
    assert (meta['epoch'], meta['iter'], meta['epoch_length']) == (1, 5, 4)
    assert isinstance(meta['rng_state']['numpy'][1], np.ndarray)
    assert 'dataset_meta' in meta and isinstance(meta['cfg'], str)
    assert int(ckpt['ema_state_dict']['steps']) == 5
    assert len(ckpt['param_schedulers']) == 2
    assert ckpt['optimizer']['state'][0]['exp_avg'].shape == (4, )
    hub = ckpt['message_hub']
    assert hub['runtime_info']['iter'] == 4  # 0-based iteration 5
    assert isinstance(hub['log_scalars']['train/loss'], dict)


def test_changed_epoch_length_refuses_mid_epoch_resume(tmp_path):
    runner = build_runner(_cfg(tmp_path))
    runner.register_hook(CallAt(6, _crash))
    with pytest.raises(RuntimeError):
        runner.train()
    resumed = build_runner(
        _cfg(tmp_path, resume=True,
             train_dataloader=dict(
                 batch_size=2, num_workers=0,
                 sampler=dict(type='DefaultSampler', shuffle=True),
                 dataset=dict(type='ToyDataset'))))
    with pytest.raises(RuntimeError, match='after batch 1 of 4 per epoch.*'
                       'now has 6 batches'):
        resumed.train()


def test_loop_is_the_resumable_one(tmp_path):
    runner = build_runner(_cfg(tmp_path))
    assert isinstance(runner.build_train_loop(runner._train_loop),
                      ResumableEpochBasedTrainLoop)


class _RecordInputs(CallAt):
    """Keeps each training sample's input per (epoch, sample index)."""

    def __init__(self):
        super().__init__(0, None)
        self.inputs = {}

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        for idx, x in zip(data_batch['idx'], data_batch['inputs']):
            self.inputs[(runner.epoch, int(idx))] = x.clone()


def _worker_cfg(work_dir, **kwargs):
    cfg = toy_cfg(work_dir, num_workers=1, **kwargs)
    cfg.train_dataloader.persistent_workers = False
    return cfg


def _worker_run(work_dir, stop_at=None, **kwargs):
    runner = build_runner(_worker_cfg(work_dir, **kwargs))
    record = _RecordInputs()
    runner.register_hook(record)
    if stop_at is not None:
        runner.register_hook(CallAt(stop_at, _crash))
        with pytest.raises(RuntimeError):
            runner.train()
        return None, record.inputs
    runner.train()
    return final_state(runner), record.inputs


def test_worker_augmentation_is_reproducible_and_per_epoch(tmp_path):
    """With a dataloader worker: two fresh runs are bit-identical, a run
    resumed from an epoch checkpoint equals them, and each epoch draws new
    augmentation (mmengine's worker seeding repeats the first epoch's)."""
    first, inputs = _worker_run(tmp_path / 'a')
    second, _ = _worker_run(tmp_path / 'b')
    _assert_same(second, first)
    _worker_run(tmp_path / 'c', stop_at=9)  # crash early in epoch 3
    resumed, _ = _worker_run(tmp_path / 'c', resume=True)
    _assert_same(resumed, first)
    # epochs 0 and 1 both run the stage-1 pipeline on the same samples
    same = [torch.equal(inputs[(0, i)], inputs[(1, i)])
            for i in range(ITERS_PER_EPOCH)]
    assert not any(same)


def test_resume_names_the_newest_checkpoint_or_loads_a_url(tmp_path,
                                                           monkeypatch):
    runner = build_runner(_cfg(tmp_path, max_epochs=2))
    runner.register_hook(CallAt(6, _crash))
    with pytest.raises(RuntimeError):
        runner.train()
    missing = build_runner(_cfg(tmp_path, max_epochs=2, resume=True,
                                load_from=str(tmp_path / 'gone.pth')))
    with pytest.raises(FileNotFoundError, match=r'gone\.pth does not exist; '
                       r'the newest checkpoint .* is .*iter_5\.pth'):
        missing.train()
    # a URL is no local file: the loader fetches it
    fetched = []

    def fetch(url, sha256=None):
        fetched.append(url)
        return osp.join(tmp_path, 'epoch_1.pth')

    monkeypatch.setattr(hub, 'fetch', fetch)
    url = 'https://example.com/checkpoints/epoch_1.pth'
    resumed = build_runner(_cfg(tmp_path, max_epochs=2, resume=True,
                                load_from=url))
    resumed.train()
    assert fetched == [url]
    assert resumed.iter == 2 * ITERS_PER_EPOCH
    assert len(resumed.model.seen) == ITERS_PER_EPOCH  # epoch 2 only
