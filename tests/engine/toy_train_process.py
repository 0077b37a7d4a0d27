"""Run the toy training of ``toy_training`` in its own process, for tests that
kill it (``kill -9`` in the middle of a checkpoint write, SIGTERM to the
process group).

    python toy_train_process.py WORK_DIR [--resume] [--out FINAL.pth]
        [--block-replace NAME | --block-remove NAME] [--wait-signal-at N]
        [--num-workers N] [--no-jitter]

Checkpoints: one every 2 iterations with ``max_keep_ckpts=1`` (the setting
where mmengine's order of operations lost everything), none per epoch.
``--block-replace NAME[:K]`` stops forever in the K-th (default first)
``os.replace`` that makes a file named NAME appear (its content written and
fsynced, the rename not done); ``--block-remove NAME`` stops before NAME is
deleted;
``--wait-signal-at N`` waits after iteration N until a signal arrives. Each
writes ``WORK_DIR/ready`` when it stops, so the test knows when to kill.
``--out`` saves the final weights (``toy_training.final_state``).
"""
import argparse
import os
import os.path as osp
import subprocess
import sys
import time

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(
    __file__)))))

import torch  # noqa: E402
from toy_training import CallAt, build_runner, final_state, toy_cfg  # noqa

from rtmpose.engine.hooks import InterruptCheckpointHook  # noqa: E402

ITER_CKPT = dict(type='CheckpointHook', by_epoch=False, interval=2,
                 max_keep_ckpts=1)


def process_cfg(work_dir, **kwargs):
    cfg = toy_cfg(work_dir, custom_hooks=[ITER_CKPT], log_level='INFO',
                  **kwargs)
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=-1,
                                        save_last=False)
    return cfg


def start(work_dir, *args, **popen_kwargs) -> subprocess.Popen:
    """Start this script on ``work_dir`` (output: ``proc.stdout``)."""
    env = dict(os.environ, OMP_NUM_THREADS='1')
    root = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    env['PYTHONPATH'] = os.pathsep.join(
        p for p in (root, env.get('PYTHONPATH')) if p)
    return subprocess.Popen(
        [sys.executable, osp.abspath(__file__), str(work_dir)] +
        [str(a) for a in args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=env, **popen_kwargs)


def wait_ready(proc: subprocess.Popen, work_dir, limit_s=600) -> None:
    """Wait until the process stopped at its blocking point."""
    ready = osp.join(str(work_dir), 'ready')
    for _ in range(int(limit_s / 0.05)):
        if osp.exists(ready):
            os.remove(ready)
            return
        if proc.poll() is not None:
            raise AssertionError(f'exited with {proc.returncode} before '
                                 f'blocking:\n{proc.stdout.read()}')
        time.sleep(0.05)
    proc.kill()
    raise AssertionError(f'did not block within {limit_s} s')


def run(work_dir, *args) -> str:
    """Run this script to the end; its output."""
    proc = start(work_dir, *args)
    out, _ = proc.communicate()
    if proc.returncode:
        raise AssertionError(f'exit status {proc.returncode}:\n{out}')
    return out


def _ready(work_dir):
    with open(osp.join(work_dir, 'ready'), 'w') as f:
        f.write(str(os.getpid()))


def _block_forever(work_dir):
    _ready(work_dir)
    while True:
        time.sleep(1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('work_dir')
    parser.add_argument('--resume', action='store_true')
    parser.add_argument('--out')
    parser.add_argument('--block-replace')
    parser.add_argument('--block-remove')
    parser.add_argument('--wait-signal-at', type=int)
    parser.add_argument('--num-workers', type=int, default=0)
    parser.add_argument('--no-jitter', action='store_true')
    args = parser.parse_args()
    torch.set_num_threads(1)

    replace, remove = os.replace, os.remove
    if args.block_replace:
        name, _, nth = args.block_replace.partition(':')
        calls = []

        def blocking_replace(src, dst):
            if osp.basename(dst) == name:
                calls.append(dst)
                if len(calls) == int(nth or 1):
                    _block_forever(args.work_dir)
            return replace(src, dst)
        os.replace = blocking_replace
    if args.block_remove:
        def blocking_remove(path):
            if osp.basename(path) == args.block_remove:
                _block_forever(args.work_dir)
            return remove(path)
        os.remove = blocking_remove

    runner = build_runner(process_cfg(
        args.work_dir, num_workers=args.num_workers,
        jitter=not args.no_jitter, resume=args.resume))
    if args.wait_signal_at:
        def wait_for_signal(runner):
            hook = next(h for h in runner.hooks
                        if isinstance(h, InterruptCheckpointHook))
            _ready(args.work_dir)
            for _ in range(600):
                if hook.received is not None:
                    return
                time.sleep(0.1)
        runner.register_hook(CallAt(args.wait_signal_at, wait_for_signal))
    runner.train()
    if args.out:
        torch.save(final_state(runner), args.out)


if __name__ == '__main__':
    main()
