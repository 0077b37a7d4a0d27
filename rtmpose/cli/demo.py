"""``rtmpose demo``: train RTMPose-t on the embedded synthetic people, data
to COCO AP on a CPU, from any directory (the config ships in the package;
the data is generated on first use into ``data/demo_synthetic/`` of the
working directory).

Usage::

    rtmpose demo [--max-epochs N] [--images N] [train options]

``--max-epochs 1 --images 64`` runs every stage once, quickly (its AP means
nothing); the defaults (10 epochs, 1500 images) are the README's demo run.
"""
import argparse
from typing import List, Optional

from rtmpose.engine.launch import parse_cli, train, train_parser

DEMO_CONFIG = 'configs/demo/rtmpose-t_demo.py'
_DATALOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


def demo_cfg_options(args: argparse.Namespace) -> dict:
    """The config settings ``--max-epochs`` and ``--images`` stand for."""
    options = {}
    if args.max_epochs is not None:
        options['train_cfg.max_epochs'] = args.max_epochs
        # validate (and keep the best checkpoint) at the end as the config
        options['train_cfg.val_interval'] = args.max_epochs
    if args.images is not None:
        # every dataset of the config reads one generation: same settings
        for loader in _DATALOADERS:
            key = f'{loader}.dataset.synthetic_cfg'
            options[f'{key}.num_train_images'] = args.images
            options[f'{key}.num_val_images'] = max(8, args.images // 8)
    return options


def main(argv: Optional[List[str]] = None):
    """Train the demo; returns the model."""
    parser = train_parser(
        prog='rtmpose demo',
        description='Train RTMPose-t on generated synthetic people',
        default_config=DEMO_CONFIG)
    demo = parser.add_argument_group('demo')
    demo.add_argument('--max-epochs', type=int,
                      help='train this many epochs (default: the config\'s '
                      '10)')
    demo.add_argument('--images', type=int,
                      help='generate this many training images and a '
                      'validation set of an eighth of it, at least 8 '
                      '(default: the config\'s 1500 and 200)')
    args = parse_cli(parser, argv)
    return train(args, demo_cfg_options(args))
