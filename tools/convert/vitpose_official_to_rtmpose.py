"""Convert a checkpoint of the official ViTPose code to this toolbox.

Usage::

    python tools/convert/vitpose_official_to_rtmpose.py IN.pth OUT.pth

``IN`` holds ``backbone.blocks.*``, ``backbone.patch_embed.proj.*``,
``backbone.pos_embed`` (with one extra leading entry), ``backbone.last_norm.*``
and ``keypoint_head.*``. ``OUT`` holds ``{'state_dict': ..., 'meta': ...}`` in
the layout of ``configs/vitpose/`` models and loads with ``strict=True``.
(Loading ``IN`` directly also works: the models convert it on the fly.)
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

import torch  # noqa: E402

from rtmpose.checkpoint import read_weights  # noqa: E402
from rtmpose.models.backbones.vit_weights import \
    convert_vitpose_official  # noqa: E402


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('src', help='official ViTPose checkpoint')
    parser.add_argument('dst', help='output checkpoint')
    args = parser.parse_args(argv)

    converted = convert_vitpose_official(read_weights(args.src))
    torch.save(
        dict(
            state_dict=converted,
            meta=dict(converted_from=osp.basename(args.src))), args.dst)
    numel = sum(v.numel() for v in converted.values())
    print(f'wrote {args.dst}: {len(converted)} tensors, '
          f'{numel / 1e6:.2f}M values')


if __name__ == '__main__':
    main()
