"""Model complexity: GFLOPs and parameters of a config's model.

Usage::

    python tools/analysis/get_flops.py CONFIG [--input-shape H W]

Convention: see :mod:`rtmpose.engine.complexity` (multiply-adds,
as the RTMPose paper).
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0,
                osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

from mmengine.registry import init_default_scope  # noqa: E402

from rtmpose.config_loading import load_config  # noqa: E402
from rtmpose.engine.complexity import count_complexity  # noqa: E402
from rtmpose.registry import MODELS  # noqa: E402


def build_model(config: str) -> tuple:
    """The config's model (plain BN, no pretrained weights) and its input
    shape (H, W) from the model's input spec."""
    cfg = load_config(config)
    init_default_scope(cfg.get('default_scope', 'rtmpose'))
    backbone = cfg.model.get('backbone', {})
    backbone.pop('init_cfg', None)
    # SyncBN needs a process group; the count is the same with BN
    if backbone.get('norm_cfg', {}).get('type') == 'SyncBN':
        backbone.norm_cfg = dict(backbone.norm_cfg, type='BN')
    model = MODELS.build(cfg.model)
    spec = getattr(model, 'input_spec', None)
    if spec is None:
        raise KeyError(f'{config}: the model has no input spec (no head '
                       'codec); pass --input-shape H W')
    size = spec.input_size
    return model, (int(size[1]), int(size[0]))


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config')
    parser.add_argument(
        '--input-shape',
        type=int,
        nargs=2,
        metavar=('H', 'W'),
        help='input height and width (default: the config input_size)')
    args = parser.parse_args(argv)
    model, shape = build_model(args.config)
    if args.input_shape:
        shape = tuple(args.input_shape)
    gflops, params = count_complexity(model, shape)
    split = '=' * 40
    print(f'{split}\nInput shape: (1, 3, {shape[0]}, {shape[1]})\n'
          f'Flops: {gflops:.2f} GFLOPs (multiply-adds)\n'
          f'Params: {params:.2f} M\n{split}')
    return gflops, params


if __name__ == '__main__':
    main()
