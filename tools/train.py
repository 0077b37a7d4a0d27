"""Train a pose model: ``python tools/train.py CONFIG [options]``."""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from rtmpose.config_loading import load_config  # noqa: E402
from rtmpose.engine.launch import (build_runner, parse_cli,  # noqa: E402
                                   prepare_cfg)


def parse_args():
    parser = argparse.ArgumentParser(description='Train a pose model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from the given checkpoint, or from the latest '
        'checkpoint in the work dir when no path is given')
    parser.add_argument(
        '--amp', action='store_true', help='automatic mixed precision')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the lr by actual batch size / auto_scale_lr.base_batch_size')
    return parse_cli(parser)


def main():
    args = parse_args()
    cfg = load_config(args.config)
    cfg = prepare_cfg(
        cfg,
        config_path=args.config,
        work_dir=args.work_dir,
        cfg_options=args.cfg_options,
        launcher=args.launcher,
        resume=args.resume,
        amp=args.amp,
        auto_scale_lr=args.auto_scale_lr)
    runner = build_runner(cfg)
    runner.train()


if __name__ == '__main__':
    main()
