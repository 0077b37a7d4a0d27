"""What a training run prints on the console (the work-dir log has it all).

A short header (model, size, data, batch, lr, schedule, device, threads), a
progress bar per epoch with loss, lr, it/s and ETA, one line per validation
with the metrics, and a summary at the end (best metric and epoch, time,
paths of the best checkpoint, the plots and the full log).
"""
import os.path as osp
import time
from typing import Callable, Optional, Tuple

import torch
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from rtmpose.progress import Progress
from rtmpose.registry import HOOKS
from ..console import echo, format_duration, format_metrics

# Without a checkpoint hook's rule: metric names where lower is better (the
# rest: higher is better)
_LOWER_IS_BETTER = ('loss', 'epe')


def model_summary(runner) -> str:
    """``TopdownPoseEstimator (CSPNeXt + CSPNeXtPAFPN + RTMCCHead), 3.34 M
    params, 0.36 GFLOPs at 192x256`` (GFLOPs as multiply-adds, batch 1)."""
    from ..complexity import count_complexity
    model = runner.model.module if is_model_wrapper(
        runner.model) else runner.model
    parts = [type(getattr(model, name)).__name__
             for name in ('backbone', 'neck', 'head')
             if getattr(model, name, None) is not None]
    text = type(model).__name__ + (f' ({" + ".join(parts)})' if parts else '')
    spec = getattr(model, 'input_spec', None)
    size = None if spec is None else spec.input_size
    params = sum(p.numel() for p in model.parameters()) / 1e6
    if size is None:
        return f'{text}, {params:.2f} M params'
    try:
        gflops, _ = count_complexity(model, (int(size[1]), int(size[0])))
        flops = f', {gflops:.3g} GFLOPs at {size[0]}x{size[1]} (w x h)'
    except Exception as err:  # a model without a 'tensor' mode forward
        flops = f', GFLOPs not counted ({type(err).__name__})'
    return f'{text}, {params:.2f} M params{flops}'


def _scheduler_summary(cfg) -> str:
    schedulers = cfg.get('param_scheduler') or []
    if isinstance(schedulers, dict):
        schedulers = [schedulers]
    parts = []
    for s in schedulers:
        unit = 'ep' if s.get('by_epoch', True) else 'it'
        span = f'{s.get("begin", 0)}-{s.get("end", "end")} {unit}'
        parts.append(f'{s.get("type", "?")} {span}')
    return ', '.join(parts) or 'constant lr'


@HOOKS.register_module()
class ConsoleReportHook(Hook):
    """Header, per-epoch progress bar, validation lines and summary on
    stdout (rank 0); ``default_hooks.console`` of ``default_runtime.py``.

    Args:
        progress_bar: a bar per epoch. ``None``: unless the config says
            ``verbose = True`` (``-v``), where mmengine's own log lines show
            progress.
        line_percent: without a bar, a progress line every this many percent
            of an epoch.
    """

    priority = 'LOWEST'  # after the checkpoint hook has saved the best

    def __init__(self, progress_bar: Optional[bool] = None,
                 line_percent: int = 25):
        self.progress_bar = progress_bar
        self.line_percent = line_percent
        self._bar: Optional[Progress] = None
        self._start = None
        self._best = None  # (value, epoch, metric name)
        self._loss_sum = self._loss_n = 0

    def _enabled(self, runner) -> bool:
        return runner.rank == 0

    def before_run(self, runner) -> None:
        if self.progress_bar is None:
            self.progress_bar = not runner.cfg.get('verbose', False)

    def before_train(self, runner) -> None:
        self._start = time.perf_counter()
        if not self._enabled(runner):
            return
        loader = runner.train_dataloader
        batch = loader.batch_size or 0
        val = runner.val_loop.dataloader.dataset \
            if runner.val_loop is not None else None
        # the configured lr (warm-up has already scaled the current one)
        lrs = sorted({g.get('initial_lr', g['lr'])
                      for g in _param_groups(runner)})
        optimizer = runner.cfg.get('optim_wrapper', {}).get(
            'optimizer', {}).get('type', '')
        val_interval = getattr(runner.train_loop, 'val_interval', None)
        lines = [
            f'{_run_name(runner)}: {model_summary(runner)}',
            f'data: {len(loader.dataset)} train samples'
            + (f', {len(val)} val samples' if val is not None else '')
            + f'; {len(loader)} iterations per epoch',
            f'batch {batch * runner.world_size} total ({runner.world_size} '
            f'process(es) x {batch}), lr '
            + ', '.join(f'{lr:.3g}' for lr in lrs) + f' {optimizer}',
            f'schedule: {runner.max_epochs} epochs ('
            f'{_scheduler_summary(runner.cfg)})'
            + (f', validation every {val_interval} epochs'
               if val_interval else ''),
            f'device {_device(runner)}, {torch.get_num_threads()} torch '
            f'thread(s), {loader.num_workers} dataloader worker(s); full log '
            f'{_log_file(runner)}',
        ]
        echo('\n'.join(lines))

    def before_train_epoch(self, runner) -> None:
        self._loss_sum = self._loss_n = 0
        if self._enabled(runner) and self.progress_bar:
            self._bar = Progress(
                len(runner.train_dataloader),
                f'epoch {runner.epoch + 1}/{runner.max_epochs}',
                line_percent=self.line_percent)

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        if self._bar is None:
            return
        scalars = runner.message_hub.log_scalars
        loss = (outputs or {}).get('loss')
        if loss is not None:
            # RuntimeInfoHook (priority VERY_HIGH) has read this iteration's
            # loss to the host already: no second device sync
            self._loss_sum += scalars['train/loss'].current() \
                if 'train/loss' in scalars else float(
                    loss.detach() if isinstance(loss, torch.Tensor) else loss)
            self._loss_n += 1
        lr = scalars['train/lr'].current() if 'train/lr' in scalars \
            else float('nan')
        postfix = f'loss={self._loss_sum / max(self._loss_n, 1):.4g}, ' \
            f'lr={lr:.3g}'
        self._bar.update(batch_idx + 1, postfix)

    def after_train_epoch(self, runner) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def after_val_epoch(self, runner, metrics=None) -> None:
        if not metrics:
            return
        key, better = _best_key(runner, metrics)
        value = metrics.get(key)
        if isinstance(value, (int, float)):
            if better is None:
                lower = any(k in key.lower() for k in _LOWER_IS_BETTER)
                better = (lambda x, y: x < y) if lower else (
                    lambda x, y: x > y)
            if self._best is None or better(value, self._best[0]):
                self._best = (float(value), runner.epoch, key)
        if self._enabled(runner):
            echo(f'val epoch {runner.epoch}: {format_metrics(metrics)}')

    def after_train(self, runner) -> None:
        if not self._enabled(runner):
            return
        elapsed = format_duration(time.perf_counter() - (self._start or 0))
        lines = [f'done in {elapsed}, {runner.epoch} epochs']
        if self._best is not None:
            value, epoch, key = self._best
            lines[0] += f': best {key} {value:.4f} at epoch {epoch}'
        hub = runner.message_hub
        best = hub.get_info('best_ckpt')
        last = hub.get_info('last_ckpt')
        if best:
            lines.append(f'best checkpoint: {best}')
        if last:
            lines.append(f'last checkpoint: {last}')
        plot = osp.join(runner.work_dir, 'results.png')
        if osp.isfile(plot):
            lines.append(f'plots: {plot}')
        lines.append(f'full log: {_log_file(runner)}')
        echo('\n'.join(lines))


def _run_name(runner) -> str:
    """The config's file name (stem), else the experiment name."""
    filename = getattr(runner.cfg, 'filename', None)
    if filename:
        return osp.splitext(osp.basename(filename))[0]
    return runner.experiment_name


def _param_groups(runner):
    wrapper = runner.optim_wrapper
    wrappers = wrapper.values() if hasattr(wrapper, 'values') else [wrapper]
    return [g for w in wrappers for g in w.optimizer.param_groups]


def _device(runner) -> str:
    try:
        return str(next(runner.model.parameters()).device)
    except StopIteration:
        return 'cpu'


def _log_file(runner) -> str:
    return osp.join(runner.log_dir, f'{runner.timestamp}.log')


def _best_key(runner, metrics: dict) -> Tuple[str, Optional[Callable]]:
    """The metric the checkpoint hook keeps the best of, with that hook's
    comparison (``is_better_than``: its ``rule``, given or inferred; ``None``
    before it has one), else the first metric and ``None``."""
    for hook in runner.hooks:
        save_best = getattr(hook, 'save_best', None)
        if isinstance(save_best, (list, tuple)) and save_best:
            save_best = save_best[0]
        if isinstance(save_best, str) and save_best in metrics:
            return save_best, getattr(hook, 'is_better_than',
                                      {}).get(save_best)
    return next(iter(metrics)), None
