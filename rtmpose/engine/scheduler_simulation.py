"""Step a config's parameter schedulers without training (no data, no model)
to get the learning rate (and momentum, weight decay, ...) of every
iteration."""
import copy
import math
import warnings
from typing import Dict, Mapping

import numpy as np
import torch
from mmengine.optim import OptimWrapper

from rtmpose.registry import OPTIMIZERS, PARAM_SCHEDULERS


def iters_per_epoch(samples_per_epoch: int,
                    batch_size: int,
                    world_size: int = 1,
                    drop_last: bool = False) -> int:
    """Batches per process and epoch with mmengine's samplers: every process
    gets ceil(samples / world_size) samples (padded), cut into batches."""
    per_process = math.ceil(samples_per_epoch / world_size)
    if drop_last:
        return per_process // batch_size
    return math.ceil(per_process / batch_size)


def simulate_param_schedulers(cfg: Mapping,
                              epoch_length: int,
                              max_epochs: int = None) -> Dict[str, np.ndarray]:
    """Values the optimiser uses at each iteration of an epoch-based run.

    Builds ``cfg.optim_wrapper.optimizer`` on one dummy parameter and the
    schedulers of ``cfg.param_scheduler`` like the runner does (default
    ``end``, ``convert_to_iter_based`` with ``epoch_length``), then steps
    them like ``ParamSchedulerHook``: iteration-based ones after every
    iteration, epoch-based ones after every epoch.

    Args:
        cfg: a training config (Config or dict).
        epoch_length: iterations per epoch (see :func:`iters_per_epoch`).
        max_epochs: default ``cfg.train_cfg.max_epochs``.

    Returns:
        ``lr`` (T,) with T = max_epochs * epoch_length, plus ``momentum``
        (T,) (``betas[0]`` for Adam-style optimisers) and any other
        optimiser setting (``weight_decay``, ...) a scheduler changes.
    """
    max_epochs = max_epochs or cfg['train_cfg']['max_epochs']
    optimizer = OPTIMIZERS.build(
        dict(cfg['optim_wrapper']['optimizer'],
             params=[torch.nn.Parameter(torch.zeros(1))]))
    wrapper = OptimWrapper(optimizer)
    scheduler_cfgs = cfg.get('param_scheduler') or []
    if isinstance(scheduler_cfgs, Mapping):
        scheduler_cfgs = [scheduler_cfgs]
    schedulers = []
    for scheduler_cfg in scheduler_cfgs:
        scheduler_cfg = copy.deepcopy(dict(scheduler_cfg))
        scheduler_cfg.setdefault(
            'end', max_epochs if scheduler_cfg.get('by_epoch', True) else
            max_epochs * epoch_length)
        schedulers.append(
            PARAM_SCHEDULERS.build(
                scheduler_cfg,
                default_args=dict(
                    optimizer=wrapper, epoch_length=epoch_length)))
    names = ['lr']
    for s in schedulers:
        name = getattr(s, 'param_name', 'lr')
        if name not in names:
            names.append(name)
    series = {name: [] for name in names}
    with warnings.catch_warnings():
        # no optimiser steps here, by design
        warnings.filterwarnings(
            'ignore', message='Detected call of')
        for _ in range(max_epochs):
            for _ in range(epoch_length):
                for name in names:
                    series[name].append(_current(wrapper, name))
                for scheduler in schedulers:
                    if not scheduler.by_epoch:
                        scheduler.step()
            for scheduler in schedulers:
                if scheduler.by_epoch:
                    scheduler.step()
    return {name: np.asarray(values) for name, values in series.items()}


def _current(wrapper: OptimWrapper, name: str) -> float:
    """The first param group's ``name`` (momentum: ``betas[0]`` for
    Adam-style optimisers, as mmengine's momentum schedulers)."""
    if name == 'lr':
        return wrapper.get_lr()['lr'][0]
    if name == 'momentum':
        return wrapper.get_momentum()['momentum'][0]
    return float(wrapper.optimizer.param_groups[0][name])
