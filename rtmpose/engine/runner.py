"""mmengine ``Runner`` with safe, strict and atomic checkpoint handling."""
import datetime
import glob
import logging
import os.path as osp
from typing import Callable, Optional, Union

import torch
import torch.distributed as torch_dist
from mmengine.device import get_device
from mmengine.dist import is_distributed
from mmengine.hooks import CheckpointHook as MMEngineCheckpointHook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper, revert_sync_batchnorm
from mmengine.runner import BaseLoop, Runner
from torch import nn

from rtmpose.registry import RUNNERS
from . import checkpoint as ckpt_io
from .console import quiet_console
from .hooks.checkpoint_hook import AtomicCheckpointHook
from .hooks.console_report_hook import ConsoleReportHook
from .hooks.interrupt_checkpoint_hook import (InterruptCheckpointHook,
                                              WorkerSignalGuard)
from .hooks.non_finite_loss_hook import NonFiniteLossHook
from .hooks.pipeline_switch_hook import reset_persistent_workers
from .hooks.plain_checkpoint_hook import PlainCheckpointHook
from .hooks.results_plot_hook import ResultsPlotHook
from .hooks.startup_check_hook import StartupCheckHook
from .resumable_loop import ResumableEpochBasedTrainLoop, seed_worker


@RUNNERS.register_module()
class PoseRunner(Runner):
    """The runner of ``tools/train.py`` and ``tools/test.py``.

    Differences from mmengine's ``Runner``:

    - checkpoints are read with torch's weights-only unpickler plus an
      allow-list of numpy types, and written atomically;
    - ``load_from`` is strict unless the config sets
      ``load_from_strict=False``, and logs a matched / missing / unexpected
      report;
    - ``train_cfg = dict(by_epoch=True, ...)`` runs
      :class:`ResumableEpochBasedTrainLoop`: ``--resume`` from a mid-epoch
      checkpoint continues with the next batch of that epoch;
    - every ``CheckpointHook`` of the config is an
      :class:`AtomicCheckpointHook` (a kill at any moment leaves a complete
      checkpoint that ``--resume`` finds);
    - always registered: :class:`StartupCheckHook` (config / model / data
      consistency before the run), :class:`InterruptCheckpointHook` (Ctrl-C
      or SIGTERM, also to the whole process group, save a resumable
      checkpoint) and :class:`NonFiniteLossHook` (a NaN / inf loss stops
      training before the step) unless the config has them,
      :class:`PlainCheckpointHook`;
    - DataLoader workers start with :class:`WorkerSignalGuard` (they leave
      SIGINT / SIGTERM to the main process);
    - a warning when the total batch size differs from
      ``auto_scale_lr.base_batch_size`` and scaling is off;
    - distributed runs on CPU: the gloo process group is started here (not
      by mmengine, which needs CUDA) and SyncBN becomes BN;
    - the console (configs with ``verbose = False``, as
      ``default_runtime.py``): warnings only from the logger plus
      :class:`ConsoleReportHook`'s header, progress bars, validation lines
      and summary; the work-dir log file keeps everything. Without a
      ``verbose`` key mmengine's console is kept as is;
    - ``plot_results = True``: :class:`ResultsPlotHook` writes
      ``results.png`` at the end of training.

    With mmengine's ``EMAHook`` a checkpoint's ``state_dict`` already holds
    the EMA weights (the hook swaps them in before saving), so loading and
    testing a checkpoint evaluates the EMA model.
    """

    def __init__(self, *args, **kwargs):
        ckpt_io.install()
        super().__init__(*args, **kwargs)
        self.load_from_strict = True
        self._loaded_meta: dict = {}
        self.register_hook(PlainCheckpointHook())
        self.register_hook(StartupCheckHook())
        for guard in (InterruptCheckpointHook, NonFiniteLossHook):
            if not any(isinstance(h, guard) for h in self.hooks):
                self.register_hook(guard())
        if self.cfg.get('plot_results', False):
            self.register_hook(ResultsPlotHook())
        if 'verbose' in self.cfg and not any(
                isinstance(h, ConsoleReportHook) for h in self.hooks):
            self.register_hook(
                ConsoleReportHook(progress_bar=not self.cfg.verbose))

    def register_hook(self, hook, priority=None) -> None:
        if isinstance(hook, dict) and hook.get('type') in (
                'CheckpointHook', 'mmengine.CheckpointHook',
                MMEngineCheckpointHook):
            hook = dict(hook, type=AtomicCheckpointHook)
        elif type(hook) is MMEngineCheckpointHook:
            raise TypeError(
                'PoseRunner saves checkpoints with AtomicCheckpointHook; pass '
                "dict(type='CheckpointHook', ...) instead of mmengine's "
                'CheckpointHook object')
        super().register_hook(hook, priority)

    def build_logger(self, *args, **kwargs):
        logger = super().build_logger(*args, **kwargs)
        if not self.cfg.get('verbose', True):
            quiet_console(logger)
        return logger

    @classmethod
    def from_cfg(cls, cfg) -> 'PoseRunner':
        runner = super().from_cfg(cfg)
        runner.load_from_strict = cfg.get('load_from_strict', True)
        return runner

    def setup_env(self, env_cfg: dict) -> None:
        if self.launcher == 'pytorch' and not torch.cuda.is_available() \
                and not is_distributed():
            # mmengine's launcher calls torch.cuda.set_device, which a
            # CPU-only machine lacks: start the gloo group ourselves (torchrun
            # sets RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT).
            dist_cfg = dict(env_cfg.get('dist_cfg', {}))
            dist_cfg.pop('init_backend', None)
            if dist_cfg.pop('backend', 'gloo') != 'gloo':
                print_log('no CUDA: using the gloo backend', logger='current',
                          level=logging.WARNING)
            if dist_cfg.get('timeout') is not None:  # seconds, as mmengine
                dist_cfg['timeout'] = datetime.timedelta(
                    seconds=dist_cfg['timeout'])
            torch_dist.init_process_group(backend='gloo', **dist_cfg)
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
        if isinstance(loop, dict) and 'type' not in loop and loop.get(
                'by_epoch', False):
            loop_cfg = dict(loop)
            loop_cfg.pop('by_epoch')
            return ResumableEpochBasedTrainLoop(
                **loop_cfg, runner=self, dataloader=self._train_dataloader)
        return super().build_train_loop(loop)

    def train(self) -> nn.Module:
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
        if self.distributed and get_device() == 'cpu' and \
                not is_model_wrapper(model):
            if any(isinstance(m, nn.SyncBatchNorm) for m in model.modules()):
                self.logger.warning(
                    'SyncBN needs CUDA: training on CPU with per-process BN '
                    'statistics instead')
                model = revert_sync_batchnorm(model)
            # DDP of a CPU module takes no device_ids (mmengine passes them)
            model_wrapper_cfg = dict(
                model_wrapper_cfg or dict(
                    type='MMDistributedDataParallel',
                    broadcast_buffers=False,
                    find_unused_parameters=self.cfg.get(
                        'find_unused_parameters', False)),
                device_ids=None)
        return super().wrap_model(model_wrapper_cfg, model)

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

    def save_checkpoint(self, out_dir: str, filename: str, *args,
                        meta: Optional[dict] = None, **kwargs) -> None:
        meta = dict(meta or {})
        if isinstance(self._train_loop, ResumableEpochBasedTrainLoop):
            meta.update(self._train_loop.checkpoint_meta())
        super().save_checkpoint(out_dir, filename, *args, meta=meta, **kwargs)

    def resume(self, filename: str, *args, **kwargs) -> None:
        if not osp.isfile(filename):
            # e.g. a last_checkpoint that a run with mmengine's hook left
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
        checkpoint = ckpt_io.load_checkpoint(filename, map_location)
        self._loaded_meta = checkpoint.get('meta', {})
        # Hooks first: the EMA hook swaps raw weights back in on resume.
        self.call_hook('after_load_checkpoint', checkpoint=checkpoint)
        model = self.model.module if is_model_wrapper(
            self.model) else self.model
        state_dict = ckpt_io.revise_state_dict(
            ckpt_io.get_state_dict(checkpoint), revise_keys=revise_keys)
        ckpt_io.load_state_dict(
            model,
            state_dict,
            strict=self.load_from_strict if strict is None else strict,
            source=filename)
        self._has_loaded = True
        return checkpoint
