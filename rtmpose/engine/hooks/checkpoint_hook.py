"""mmengine's ``CheckpointHook`` with an order of operations that survives
``kill -9`` at any moment."""
import os.path as osp
from collections import deque
from typing import List

from mmengine.dist import is_main_process
from mmengine.fileio import LocalBackend
from mmengine.hooks import CheckpointHook as MMEngineCheckpointHook

from rtmpose.fileio import atomic_write, remove_stale_temp_files
from rtmpose.registry import HOOKS
from .interrupt_checkpoint_hook import INTERRUPT_CKPT_KEY


@HOOKS.register_module(name='CheckpointHook')
@HOOKS.register_module()
class AtomicCheckpointHook(MMEngineCheckpointHook):
    """``CheckpointHook`` (same arguments) that never leaves a run without a
    complete checkpoint that ``--resume`` finds.

    ``default_hooks.checkpoint`` of ``default_runtime.py``; in the
    ``rtmpose`` scope ``type='CheckpointHook'`` (the reference configs'
    name) builds it too, only ``'mmengine.CheckpointHook'`` is mmengine's
    (:class:`StartupCheckHook` warns about that one). The
    order of a save is: write the new file (temporary name, fsync, rename:
    :mod:`rtmpose.fileio`), point ``last_checkpoint`` at it (atomically),
    and only then delete what ``max_keep_ckpts`` and ``save_best`` retire.
    mmengine's hook deletes first, so a kill during the write (with
    ``max_keep_ckpts=1``) left no checkpoint and a ``last_checkpoint`` naming
    a deleted file.

    Each hook keeps its retention list under its own message-hub key
    ``keep_ckpt_ids:{filename_tmpl}`` (mmengine's hooks share
    ``keep_ckpt_ids``, so with two hooks ``max_keep_ckpts`` stopped being
    honoured after a resume). Files retired but not yet deleted are listed
    under ``retired_ckpts:{filename_tmpl}`` in the checkpoint being written,
    so a run resumed after a kill in between deletes them, as well as the
    checkpoint ``InterruptCheckpointHook`` wrote on a signal, once a hook
    with ``max_keep_ckpts`` has saved after it. At start-up the temporary
    files of a killed write are removed, with a log line.
    """

    def before_train(self, runner) -> None:
        hub = runner.message_hub
        # mmengine's shared key: its base before_train would delete by it
        hub.runtime_info.pop('keep_ckpt_ids', None)
        super().before_train(runner)
        self._pending: List[str] = list(hub.get_info(self._retired_key, []))
        if self.max_keep_ckpts > 0:
            steps = list(hub.get_info(self._keep_key, []))
            cut = max(len(steps) - self.max_keep_ckpts, 0)
            self._pending += [self._path(step) for step in steps[:cut]]
            self.keep_ckpt_ids = deque(steps[cut:], self.max_keep_ckpts)
            hub.update_info(self._keep_key, list(self.keep_ckpt_ids))
        if is_main_process() and isinstance(self.file_backend, LocalBackend):
            for folder in sorted({self.out_dir, runner.work_dir}):
                removed = remove_stale_temp_files(folder)
                if removed:
                    runner.logger.warning(
                        f'removed {len(removed)} temporary file(s) of a '
                        'checkpoint write that was killed: ' +
                        ', '.join(osp.basename(p) for p in removed))
        self._remove_retired(runner)

    @property
    def _keep_key(self) -> str:
        return f'keep_ckpt_ids:{self.filename_tmpl}'

    @property
    def _retired_key(self) -> str:
        return f'retired_ckpts:{self.filename_tmpl}'

    def _path(self, step) -> str:
        return self.file_backend.join_path(self.out_dir,
                                           self.filename_tmpl.format(step))

    def _save_checkpoint_with_step(self, runner, step, meta) -> None:
        hub = runner.message_hub
        if self.max_keep_ckpts > 0 and not (self.keep_ckpt_ids and
                                            self.keep_ckpt_ids[-1] == step):
            if len(self.keep_ckpt_ids) == self.max_keep_ckpts:
                self._pending.append(self._path(self.keep_ckpt_ids.popleft()))
            self.keep_ckpt_ids.append(step)
            hub.update_info(self._keep_key, list(self.keep_ckpt_ids))
            # the file a signal made us write is superseded by this one
            emergency = hub.runtime_info.pop(INTERRUPT_CKPT_KEY, None)
            if emergency:
                self._pending.append(emergency)
        # the new file records what is about to be deleted
        hub.update_info(self._retired_key, list(self._pending))
        filename = self.filename_tmpl.format(step)
        self.last_ckpt = self.file_backend.join_path(self.out_dir, filename)
        hub.update_info('last_ckpt', self.last_ckpt)
        runner.save_checkpoint(
            self.out_dir,
            filename,
            self.file_client_args,
            save_optimizer=self.save_optimizer,
            save_param_scheduler=self.save_param_scheduler,
            meta=meta,
            by_epoch=self.by_epoch,
            backend_args=self.backend_args,
            **self.args)
        if is_main_process():
            atomic_write(
                osp.join(runner.work_dir, 'last_checkpoint'), self.last_ckpt)
        self._remove_retired(runner)

    def _save_best_checkpoint(self, runner, metrics) -> None:
        # mmengine removes the previous best before saving the new one: hold
        # the removal back until the new best and last_checkpoint exist
        backend = self.file_backend
        self.file_backend = _DeferredRemovals(backend, self)
        try:
            super()._save_best_checkpoint(runner, metrics)
        finally:
            self.file_backend = backend
        runner.message_hub.update_info(self._retired_key, list(self._pending))
        self._remove_retired(runner)

    def _remove_retired(self, runner) -> None:
        pending, self._pending = self._pending, []
        runner.message_hub.update_info(self._retired_key, [])
        if not is_main_process():
            return
        backend = getattr(self.file_backend, 'wrapped', self.file_backend)
        keep = {self.last_ckpt, getattr(self, 'best_ckpt_path', None)}
        keep |= set(getattr(self, 'best_ckpt_path_dict', {}).values())
        if self.max_keep_ckpts > 0:
            keep |= {self._path(step) for step in self.keep_ckpt_ids}
        last_file = osp.join(runner.work_dir, 'last_checkpoint')
        if osp.isfile(last_file):
            with open(last_file) as f:
                keep.add(f.read().strip())
        for path in dict.fromkeys(pending):
            if path in keep:
                continue
            if backend.isfile(path):
                backend.remove(path)
            elif backend.isdir(path):  # deepspeed's folders
                backend.rmtree(path)


class _DeferredRemovals:
    """A file backend that adds removals to ``hook._pending`` instead of
    doing them; everything else goes to ``wrapped``."""

    def __init__(self, wrapped, hook: AtomicCheckpointHook):
        self.wrapped, self._hook = wrapped, hook

    def remove(self, path) -> None:
        self._hook._pending.append(str(path))

    rmtree = remove

    def __getattr__(self, name):
        return getattr(self.wrapped, name)
