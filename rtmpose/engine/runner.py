"""mmengine ``Runner`` with safe, strict and atomic checkpoint handling."""
import datetime
import glob
import inspect
import logging
import os.path as osp
from typing import Callable, Optional, Union

import torch
import torch.distributed as torch_dist
from mmengine.device import get_device
from mmengine.dist import is_distributed
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.runner import BaseLoop, EpochBasedTrainLoop, Runner
from torch import nn
from torch.nn.parallel import DistributedDataParallel

from rtmpose.checkpoint import load_checkpoint, load_weights
from rtmpose.registry import LOOPS, MODEL_WRAPPERS, RUNNERS
from . import checkpoint as ckpt_io
from .console import quiet_console
from .hooks.interrupt_checkpoint_hook import (InterruptCheckpointHook,
                                              WorkerSignalGuard)
from .hooks.non_finite_loss_hook import NonFiniteLossHook
from .hooks.pipeline_switch_hook import reset_persistent_workers
from .pretrained_init import fetch_pretrained
from .resumable_loop import ResumableEpochBasedTrainLoop, seed_worker
from .sync_bn import to_cpu_sync_bn, to_torch_sync_bn


# the names mmengine's Runner.register_default_hooks knows
_MMENGINE_DEFAULT_HOOKS = ('runtime_info', 'timer', 'sampler_seed', 'logger',
                           'param_scheduler', 'checkpoint')


@RUNNERS.register_module()
class PoseRunner(Runner):
    """The runner of ``tools/train.py`` and ``tools/test.py``
    (``runner_type = 'PoseRunner'``).

    What a run does is declared by its config: ``_base_/default_runtime.py``
    names the train loop (:class:`ResumableEpochBasedTrainLoop`) and the
    hooks (:class:`AtomicCheckpointHook`, :class:`PlainCheckpointHook`,
    :class:`StartupCheckHook`, :class:`InterruptCheckpointHook`,
    :class:`NonFiniteLossHook`, :class:`ResultsPlotHook`,
    :class:`ConsoleReportHook`); this class registers none itself.
    Differences from mmengine's ``Runner``:

    - checkpoints are read with torch's weights-only unpickler plus an
      allow-list of numpy types (:mod:`rtmpose.checkpoint`), and local
      ones are written atomically (backend ``'atomic_local'``,
      :mod:`rtmpose.engine.checkpoint`); mmengine's
      global loaders and backends are left as they are;
    - ``load_from`` is strict unless the config sets
      ``load_from_strict=False``, and logs a matched / missing / unexpected
      report; checkpoint ``meta`` carries what the resumable loop needs to
      continue mid-epoch;
    - DataLoader workers start with :class:`WorkerSignalGuard` (they leave
      SIGINT / SIGTERM to the main process, which saves and then shuts them
      down after train / val / test);
    - a warning when the total batch size differs from
      ``auto_scale_lr.base_batch_size`` and scaling is off;
    - distributed runs on CPU: the gloo process group is started here (not
      by mmengine, which needs CUDA), and SyncBN synchronises over it
      (:meth:`wrap_model`);
    - ``None`` in ``default_hooks`` turns off any hook by name, and a
      reference-style ``train_cfg = dict(by_epoch=True, ...)`` works on the
      declared loop type;
    - ``verbose = False`` (``default_runtime.py``): the console logger shows
      warnings only, next to :class:`ConsoleReportHook`'s lines; the work-dir
      log file keeps everything.

    With mmengine's ``EMAHook`` a checkpoint's ``state_dict`` already holds
    the EMA weights (the hook swaps them in before saving), so loading and
    testing a checkpoint evaluates the EMA model.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._loaded_meta: dict = {}

    def register_default_hooks(self, hooks: Optional[dict] = None) -> None:
        """mmengine's, except that ``None`` turns off any hook of
        ``default_hooks`` by name (mmengine allows it for its own six only),
        e.g. ``default_hooks = dict(results_plot=None)``."""
        if hooks is not None:
            hooks = {name: hook for name, hook in hooks.items()
                     if hook is not None or name in _MMENGINE_DEFAULT_HOOKS}
        super().register_default_hooks(hooks)

    def build_logger(self, *args, **kwargs):
        logger = super().build_logger(*args, **kwargs)
        if not self.cfg.get('verbose', True):
            quiet_console(logger)
        return logger

    def setup_env(self, env_cfg: dict) -> None:
        if self.launcher == 'pytorch' and not torch.cuda.is_available() \
                and not is_distributed():
            # mmengine's launcher calls torch.cuda.set_device, which a
            # CPU-only machine lacks: start the gloo group ourselves (torchrun
            # sets RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT).
            dist_cfg = dict(env_cfg.get('dist_cfg', {}))
            dist_cfg.pop('init_backend', None)
            backend = dist_cfg.pop('backend', 'gloo')
            if dist_cfg.get('timeout') is not None:  # seconds, as mmengine
                dist_cfg['timeout'] = datetime.timedelta(
                    seconds=dist_cfg['timeout'])
            torch_dist.init_process_group(backend='gloo', **dist_cfg)
            if backend != 'gloo' and torch_dist.get_rank() == 0:
                print_log(f'no CUDA: using the gloo backend, not {backend}',
                          logger='current', level=logging.WARNING)
        super().setup_env(env_cfg)

    @staticmethod
    def build_dataloader(dataloader, seed=None, diff_rank_seed=False):
        """mmengine's ``build_dataloader`` with :func:`seed_worker` as the
        default ``worker_init_fn`` of seeded runs (reproducible
        augmentation that differs between epochs), wrapped so that workers
        leave SIGINT / SIGTERM to the main process."""
        if isinstance(dataloader, dict) and seed is not None:
            dataloader = dict(dataloader)
            dataloader.setdefault('worker_init_fn', dict(type=seed_worker))
        loader = Runner.build_dataloader(dataloader, seed, diff_rank_seed)
        if loader.num_workers > 0 and not isinstance(loader.worker_init_fn,
                                                     WorkerSignalGuard):
            loader.worker_init_fn = WorkerSignalGuard(loader.worker_init_fn)
        return loader

    def build_train_loop(self, loop):
        """mmengine's, also for configs written like the reference ones
        (``train_cfg = dict(by_epoch=True, max_epochs=...)``) on top of
        ``default_runtime.py``'s loop type, which mmengine refuses: an
        epoch-based type makes ``by_epoch=True`` redundant (dropped), and
        ``by_epoch=False`` there is an error naming the fix."""
        if isinstance(loop, dict) and 'type' in loop and 'by_epoch' in loop:
            loop_type = loop['type']
            loop_cls = LOOPS.get(loop_type) if isinstance(loop_type, str) \
                else loop_type
            epoch_based = isinstance(loop_cls, type) and issubclass(
                loop_cls, EpochBasedTrainLoop)
            if epoch_based and loop['by_epoch']:
                loop = {k: v for k, v in loop.items() if k != 'by_epoch'}
            elif epoch_based:
                raise ValueError(
                    f'train_cfg: by_epoch=False with the epoch-based loop '
                    f'{loop_type!r} (from default_runtime.py); for '
                    "iteration-based training set train_cfg = dict("
                    "_delete_=True, type='IterBasedTrainLoop', max_iters=N, "
                    'val_interval=M)')
        return super().build_train_loop(loop)

    def train(self) -> nn.Module:
        # a missing pretrained file stops here, not after the data is built
        fetch_pretrained(self.cfg.get('model'))
        try:
            return super().train()
        finally:
            for hook in self.hooks:
                if isinstance(hook, (InterruptCheckpointHook,
                                     NonFiniteLossHook)):
                    hook.release()
            self._shut_down_workers()

    def val(self) -> dict:
        try:
            return super().val()
        finally:
            self._shut_down_workers()

    def test(self) -> dict:
        try:
            return super().test()
        finally:
            self._shut_down_workers()

    def _shut_down_workers(self) -> None:
        """Stop the persistent workers of every loop's loader. Idle ones
        would otherwise hold the exit, and since they ignore SIGTERM
        (:class:`WorkerSignalGuard`), multiprocessing's exit handler, which
        terminates and joins them, would wait for them forever."""
        for loop in (self._train_loop, self._val_loop, self._test_loop):
            if isinstance(loop, BaseLoop):
                reset_persistent_workers(loop.dataloader)

    def wrap_model(self, model_wrapper_cfg: Optional[dict],
                   model: nn.Module) -> nn.Module:
        """mmengine's, plus SyncBN that works on either device: a
        distributed CUDA run trains with torch's ``nn.SyncBatchNorm``, a
        distributed CPU run (gloo) with
        :class:`~rtmpose.models.layers.SyncBatchNorm` (torch's needs CUDA,
        and DDP refuses it on CPU), also for mmengine's ``sync_bn``
        config key; one process trains with BN."""
        if not self.distributed or is_model_wrapper(model):
            return super().wrap_model(model_wrapper_cfg, model)
        if get_device() != 'cpu':
            return super().wrap_model(model_wrapper_cfg,
                                      to_torch_sync_bn(model))
        model = to_cpu_sync_bn(model.to('cpu'),
                               all_bn=self.cfg.get('sync_bn') is not None)
        # train mode before DDP records the parameters' strides: modules take
        # their training memory layout there (CSPNeXt: NCHW on CPU)
        model.train()
        # DDP of a CPU module takes no device_ids (mmengine passes them);
        # buffers are not synchronised every forward (torch >= 2.13 renamed
        # broadcast_buffers, and warns about the old name)
        sync_key = 'forward_sync_buffers' if 'forward_sync_buffers' in \
            inspect.signature(DistributedDataParallel).parameters \
            else 'broadcast_buffers'
        wrapper = dict(
            model_wrapper_cfg or {
                'type': 'MMDistributedDataParallel',
                sync_key: False,
                'find_unused_parameters': self.cfg.get(
                    'find_unused_parameters', False)
            },
            device_ids=None)
        return MODEL_WRAPPERS.build(wrapper, default_args=dict(module=model))

    def scale_lr(self, optim_wrapper, auto_scale_lr: Optional[dict] = None):
        super().scale_lr(optim_wrapper, auto_scale_lr)
        if not auto_scale_lr or auto_scale_lr.get('enable', False) or \
                'base_batch_size' not in auto_scale_lr:
            return
        loader = self._train_dataloader
        batch_size = loader.get('batch_size') if isinstance(
            loader, dict) else loader.batch_size
        total = (batch_size or 0) * self.world_size
        base = auto_scale_lr['base_batch_size']
        if not batch_size or total == base:
            return
        wrappers = optim_wrapper.values() if hasattr(
            optim_wrapper, 'values') else [optim_wrapper]
        lrs = sorted({g['lr'] for w in wrappers
                      for g in w.optimizer.param_groups})
        scaled = ', '.join(f'{lr * total / base:.4g}' for lr in lrs)
        self.logger.warning(
            f'total batch size {total} ({self.world_size} process(es) x '
            f'{batch_size}) differs from auto_scale_lr.base_batch_size='
            f'{base}: training with lr {", ".join(f"{lr:.4g}" for lr in lrs)}'
            f' as configured; with --auto-scale-lr it would be {scaled} '
            f'(x{total / base:.4g})')

    def save_checkpoint(self, out_dir: str, filename: str,
                        file_client_args: Optional[dict] = None, *args,
                        meta: Optional[dict] = None,
                        backend_args: Optional[dict] = None,
                        **kwargs) -> None:
        meta = dict(meta or {})
        if isinstance(self._train_loop, ResumableEpochBasedTrainLoop):
            meta.update(self._train_loop.checkpoint_meta())
        if file_client_args is None:
            backend_args = ckpt_io.atomic_backend_args(out_dir, backend_args)
        super().save_checkpoint(out_dir, filename, file_client_args, *args,
                                meta=meta, backend_args=backend_args,
                                **kwargs)

    def resume(self, filename: str, *args, **kwargs) -> None:
        if '://' not in filename and not osp.isfile(filename):
            # e.g. a last_checkpoint that a run with mmengine's hook left
            # (URLs go to the loader, which downloads them)
            present = sorted(glob.glob(osp.join(self.work_dir, '*.pth')),
                             key=osp.getmtime)
            raise FileNotFoundError(
                f'cannot resume: checkpoint {filename} does not exist' +
                (f'; the newest checkpoint in {self.work_dir} is '
                 f'{present[-1]}: pass it to --resume' if present else
                 f' and {self.work_dir} holds none'))
        super().resume(filename, *args, **kwargs)
        if isinstance(self._train_loop, ResumableEpochBasedTrainLoop):
            self._train_loop.resume_position(self._loaded_meta)

    def load_checkpoint(self,
                        filename: str,
                        map_location: Union[str, Callable] = 'cpu',
                        strict: bool = None,
                        revise_keys: list = [(r'^module\.', '')]) -> dict:
        """Load model weights from ``filename`` and return the whole dict."""
        checkpoint = load_checkpoint(filename, map_location)
        self._loaded_meta = checkpoint.get('meta', {})
        # Hooks first: the EMA hook swaps raw weights back in on resume.
        self.call_hook('after_load_checkpoint', checkpoint=checkpoint)
        model = self.model.module if is_model_wrapper(
            self.model) else self.model
        load_weights(
            model,
            checkpoint,
            strict=self.cfg.get('load_from_strict', True)
            if strict is None else strict,
            revise_keys=revise_keys,
            name=filename)
        self._has_loaded = True
        return checkpoint
