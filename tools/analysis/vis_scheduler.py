"""Plot the learning rate schedule of a training config, and the momentum
and weight decay where a scheduler changes them.

    python tools/analysis/vis_scheduler.py CONFIG [--out lr.png]
        [--dataset-size N] [--ngpus N] [--cfg-options ...]

Without ``--dataset-size`` the training dataset is built (annotations only,
no images) to count the samples of an epoch. The number of training
processes (GPUs) defaults to the one in the config's name (``8xb256``: 8
GPUs with batch 256 each), else 1.
"""
import argparse
import os.path as osp
import re
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(
    __file__)))))

import matplotlib  # noqa: E402

matplotlib.use('Agg')  # no display needed
import matplotlib.pyplot as plt  # noqa: E402
from mmengine.config import Config, DictAction  # noqa: E402

from rtmpose.config_loading import load_config  # noqa: E402
from rtmpose.engine.launch import merge_cfg_options  # noqa: E402
from rtmpose.engine.scheduler_simulation import (  # noqa: E402
    iters_per_epoch, simulate_param_schedulers)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Plot the parameter schedule of a training config')
    parser.add_argument('config', help='training config file')
    parser.add_argument('--out', default='lr.png', help='PNG file to write')
    parser.add_argument(
        '--dataset-size',
        type=int,
        help='training samples per epoch (default: build the dataset and '
        'count them)')
    parser.add_argument(
        '--ngpus',
        type=int,
        help='number of training processes (GPUs); default: the config '
        'name\'s NxbB, else 1')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, e.g. train_cfg.max_epochs=10')
    return parser.parse_args(argv)


def gpus_in_name(config: str) -> int:
    """N of an mmpose-style ``..._NxbB-...`` config name, else 1."""
    found = re.search(r'_(\d+)xb\d+', osp.basename(config))
    return int(found.group(1)) if found else 1


def samples_per_epoch(cfg: Config) -> int:
    """Build the training dataset and sampler (one process) and count."""
    from mmengine.registry import init_default_scope

    from rtmpose.registry import DATA_SAMPLERS, DATASETS
    init_default_scope(cfg.get('default_scope', 'rtmpose'))
    loader = cfg.train_dataloader
    dataset = DATASETS.build(loader.dataset)
    sampler = DATA_SAMPLERS.build(
        loader.sampler, default_args=dict(dataset=dataset, seed=0))
    return len(sampler)


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config)
    merge_cfg_options(cfg, args.cfg_options)
    samples = args.dataset_size or samples_per_epoch(cfg)
    ngpus = args.ngpus or gpus_in_name(args.config)
    loader = cfg.train_dataloader
    epoch_length = iters_per_epoch(samples, loader.batch_size, ngpus,
                                   loader.get('drop_last', False))
    values = simulate_param_schedulers(cfg, epoch_length)

    fig, axes = plt.subplots(
        len(values), 1, figsize=(10, 3.5 * len(values)), sharex=True,
        squeeze=False)
    for ax, (name, series) in zip(axes[:, 0], values.items()):
        ax.plot(series)
        ax.set_ylabel(name)
        ax.grid(alpha=0.3)
    axes[-1, 0].set_xlabel(
        f'iteration ({epoch_length} per epoch = {samples} samples / '
        f'({ngpus} GPU(s) x {loader.batch_size}))')
    axes[0, 0].set_title(osp.basename(args.config))
    fig.tight_layout()
    fig.savefig(args.out)
    plt.close(fig)
    lr = values['lr']
    print(f'{len(lr)} iterations ({epoch_length} per epoch, {ngpus} '
          f'GPU(s) x batch {loader.batch_size}); lr first {lr[0]:.4g}, max '
          f'{lr.max():.4g}, last {lr[-1]:.4g}; plotted '
          f'{", ".join(values)} to {args.out}')
    return values


if __name__ == '__main__':
    main()
