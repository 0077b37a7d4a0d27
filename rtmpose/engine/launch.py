"""Shared set-up of ``tools/train.py`` and ``tools/test.py``."""
import argparse
import difflib
import logging
import os
import os.path as osp
from typing import Optional

import torch
from mmengine.config import Config, ConfigDict, DictAction
from mmengine.logging import print_log

from .runner import PoseRunner


def parse_cli(parser: argparse.ArgumentParser) -> argparse.Namespace:
    """Add the options every tool shares (``--cfg-options``, ``--launcher``,
    ``--local-rank``) and parse the command line."""
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, e.g. train_cfg.max_epochs=10 '
        '(a misspelt key is refused)')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def merge_cfg_options(cfg: Config, options: Optional[dict]) -> None:
    """Merge ``--cfg-options`` into ``cfg``, refusing likely typos.

    A key whose parent does not exist is an error; a new leaf key is an error
    when an existing sibling is a close match (``max_epoch`` for
    ``max_epochs``), otherwise it is added with a warning.
    """
    if not options:
        return
    for dotted in options:
        node, path = cfg.to_dict(), []
        parts = dotted.split('.')
        for part in parts[:-1]:
            path.append(part)
            if isinstance(node, (list, tuple)) and part.isdigit():
                if int(part) >= len(node):
                    raise KeyError(f'--cfg-options {dotted}: index {part} is '
                                   f'out of range for {".".join(path[:-1])}')
                node = node[int(part)]
                continue
            if not isinstance(node, dict) or part not in node:
                raise KeyError(
                    f'--cfg-options {dotted}: the config has no '
                    f'"{".".join(path)}"{_suggest(part, node)}')
            node = node[part]
        leaf = parts[-1]
        if isinstance(node, dict) and leaf not in node:
            hint = _suggest(leaf, node)
            if hint:
                raise KeyError(f'--cfg-options {dotted}: the config has no '
                               f'"{dotted}"{hint}')
            print_log(
                f'--cfg-options adds the new key "{dotted}"',
                logger='current',
                level=logging.WARNING)
    cfg.merge_from_dict(options)


def _suggest(key: str, node) -> str:
    if not isinstance(node, dict):
        return ''
    close = difflib.get_close_matches(
        key, [str(k) for k in node], n=1, cutoff=0.8)
    return f' (did you mean "{close[0]}"?)' if close else ''


def prepare_cfg(cfg: Config,
                config_path: str,
                work_dir: Optional[str] = None,
                cfg_options: Optional[dict] = None,
                launcher: str = 'none',
                resume: Optional[str] = None,
                amp: bool = False,
                auto_scale_lr: bool = False,
                load_from: Optional[str] = None) -> Config:
    """Apply the command line of the train/test tools to a config."""
    merge_cfg_options(cfg, cfg_options)
    cfg.launcher = launcher
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(config_path))[0])
    if not torch.cuda.is_available() and launcher != 'none':
        # NCCL needs CUDA; gloo runs distributed data parallel on CPU.
        cfg.setdefault('env_cfg', ConfigDict())
        cfg.env_cfg.setdefault('dist_cfg', ConfigDict())
        cfg.env_cfg.dist_cfg.backend = 'gloo'
    if amp:
        if not torch.cuda.is_available():
            raise RuntimeError('--amp needs a CUDA device; none is available')
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if auto_scale_lr:
        if 'auto_scale_lr' not in cfg or 'base_batch_size' not in (
                cfg.auto_scale_lr or {}):
            raise KeyError('--auto-scale-lr needs "auto_scale_lr = '
                           'dict(base_batch_size=...)" in the config')
        cfg.auto_scale_lr.enable = True
    if resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif resume is not None:
        cfg.resume = True
        cfg.load_from = resume
    if load_from is not None:
        cfg.load_from = load_from
    return cfg


def build_runner(cfg: Config) -> PoseRunner:
    """Build the runner named by ``runner_type`` (default ``PoseRunner``)."""
    if 'runner_type' in cfg:
        from rtmpose.registry import RUNNERS
        return RUNNERS.build(cfg)
    return PoseRunner.from_cfg(cfg)
