"""Save a resumable checkpoint when training is interrupted by a signal."""
import os.path as osp
import signal
import threading
from typing import Callable, Optional, Sequence

import torch
from mmengine.dist import all_reduce, barrier, get_world_size, \
    is_main_process
from mmengine.hooks import Hook

from rtmpose.fileio import atomic_write
from rtmpose.registry import HOOKS


# message-hub key of the checkpoint written on a signal
INTERRUPT_CKPT_KEY = 'interrupt_ckpt'


@HOOKS.register_module()
class InterruptCheckpointHook(Hook):
    """On one of ``signals`` (Ctrl-C, ``kill``, a Slurm time limit or
    preemption), finish the current iteration, write ``iter_{n}.pth`` into
    the work dir, point ``last_checkpoint`` at it and stop with exit status
    128 + signal number. ``tools/train.py --resume`` then continues from the
    next batch of the same epoch.

    The signal may go to the whole process group (``timeout``, Slurm
    preemption, ``docker stop``, Ctrl-C): ``PoseRunner`` starts DataLoader
    workers with :class:`WorkerSignalGuard`, so they ignore it and keep
    serving batches until the main process has saved and shuts them down.

    A second signal of the same kind gets the previous handler (Ctrl-C twice
    stops at once). Under distributed training the ranks agree every
    iteration on whether any of them was signalled, so they all stop after
    the same iteration.

    The next save of a ``CheckpointHook`` with ``max_keep_ckpts`` after the
    resume deletes this file (it is then superseded).

    For crashes that give no signal (``kill -9``, power loss) add a periodic
    iteration checkpoint: ``dict(type='CheckpointHook', by_epoch=False,
    interval=1000, max_keep_ckpts=1)`` in ``custom_hooks``.

    Args:
        signals: names of the signals to catch.
    """

    # After CheckpointHook: an interval checkpoint of this iteration is
    # already written when we look at the flag.
    priority = 'VERY_LOW'

    def __init__(self, signals: Sequence[str] = ('SIGINT', 'SIGTERM')):
        self.signals = [getattr(signal, name) for name in signals]
        self.received: Optional[int] = None
        self._previous = {}

    def _handle(self, signum, frame) -> None:
        self.received = signum
        # The next one of this kind does what it did before we came.
        signal.signal(signum, self._previous.pop(signum, signal.SIG_DFL))

    def before_train(self, runner) -> None:
        if threading.current_thread() is not threading.main_thread():
            runner.logger.warning('InterruptCheckpointHook: not in the main '
                                  'thread, cannot catch signals')
            return
        for signum in self.signals:
            self._previous[signum] = signal.signal(signum, self._handle)

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        signum = self.received or 0
        if get_world_size() > 1:  # a collective only where ranks must agree
            stop = torch.tensor([signum])
            all_reduce(stop, op='max')
            signum = int(stop.item())
        if not signum:
            return
        name = f'iter_{runner.iter + 1}.pth'
        runner.logger.warning(
            f'{signal.Signals(signum).name} received: saving {name} after '
            f'iteration {runner.iter + 1} (epoch {runner.epoch + 1}, batch '
            f'{batch_idx + 1}) and stopping; continue with --resume')
        # a CheckpointHook with max_keep_ckpts retires it once superseded
        runner.message_hub.update_info(INTERRUPT_CKPT_KEY,
                                       osp.join(runner.work_dir, name))
        runner.save_checkpoint(runner.work_dir, name, by_epoch=False)
        if is_main_process():
            atomic_write(osp.join(runner.work_dir, 'last_checkpoint'),
                         osp.join(runner.work_dir, name))
        barrier()  # no rank exits (and gets the others killed) mid-save
        self.release()
        raise SystemExit(128 + signum)

    def after_train(self, runner) -> None:
        self.release()

    def release(self) -> None:
        """Give the signals back to their previous handlers (also called by
        ``PoseRunner.train`` when training ends with an exception)."""
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous = {}


class WorkerSignalGuard:
    """``worker_init_fn`` of DataLoader workers: ignore SIGINT and SIGTERM,
    then call ``init_fn`` (mmengine's seeding).

    torch's workers die of a SIGTERM (and stop on a SIGINT) that is sent to
    the process group, and the main process then crashes with "DataLoader
    worker is killed" before it can save. The main process alone decides:
    it saves (:class:`InterruptCheckpointHook`) and ends the workers; a
    worker whose main process is gone exits by itself (torch's watchdog).
    """

    def __init__(self, init_fn: Optional[Callable[[int], None]] = None):
        self.init_fn = init_fn

    def __call__(self, worker_id: int) -> None:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_IGN)
        if self.init_fn is not None:
            self.init_fn(worker_id)
