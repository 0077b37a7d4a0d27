"""SIGTERM / SIGINT to the whole process group (DataLoader workers included)
saves a resumable checkpoint of the last completed iteration."""
import os
import os.path as osp
import signal

import pytest
import torch
from toy_train_process import process_cfg, run, start, wait_ready
from toy_training import one_thread  # noqa: F401 (autouse fixture)
from toy_training import CallAt, build_runner, final_state, toy_cfg

from rtmpose import checkpoint as ckpt_io
from rtmpose.engine.hooks import WorkerSignalGuard


@pytest.mark.parametrize('signum', [signal.SIGTERM, signal.SIGINT])
def test_signal_to_process_group_with_workers(tmp_path, signum):
    work = tmp_path / 'work'
    # a session of its own: os.killpg reaches it and its workers only
    proc = start(work, '--wait-signal-at', 7, '--num-workers', 1,
                 '--no-jitter', start_new_session=True)
    wait_ready(proc, work)
    os.killpg(proc.pid, signum)
    out, _ = proc.communicate()
    assert proc.returncode == 128 + signum, out
    assert 'DataLoader worker' not in out
    assert f'{signal.Signals(signum).name} received: saving iter_7.pth' in out
    with open(work / 'last_checkpoint') as f:
        last = f.read()
    assert osp.basename(last) == 'iter_7.pth'
    assert int(ckpt_io.load_checkpoint(last)['meta']['iter']) == 7
    if signum != signal.SIGTERM:
        return
    run(work, '--resume', '--num-workers', 1, '--no-jitter', '--out',
        tmp_path / 'final.pt')
    full = build_runner(process_cfg(tmp_path / 'full', jitter=False))
    full.train()
    expected = final_state(full)
    resumed = torch.load(tmp_path / 'final.pt')
    assert resumed.keys() == expected.keys()
    for key, value in expected.items():
        torch.testing.assert_close(resumed[key], value, rtol=0, atol=1e-6)


def test_worker_guard_ignores_signals_then_seeds(monkeypatch):
    calls = []
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT,
                                                 signal.SIGTERM)}
    try:
        WorkerSignalGuard(calls.append)(3)
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    assert calls == [3]


def test_signal_checkpoint_is_retired_once_superseded(tmp_path):
    def cfg(**kwargs):
        return toy_cfg(tmp_path, custom_hooks=[dict(
            type='CheckpointHook', by_epoch=False, interval=5,
            max_keep_ckpts=1)], **kwargs)

    cut = build_runner(cfg())
    cut.register_hook(CallAt(6, lambda r: os.kill(os.getpid(),
                                                  signal.SIGINT)))
    with pytest.raises(SystemExit):
        cut.train()
    assert (tmp_path / 'iter_6.pth').exists()
    resumed = build_runner(cfg(resume=True))
    resumed.train()
    assert sorted(n for n in os.listdir(tmp_path) if n.endswith('.pth')) == [
        'epoch_1.pth', 'epoch_2.pth', 'epoch_3.pth', 'iter_12.pth']
