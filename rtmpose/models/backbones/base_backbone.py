"""The contract of backbones: what they hand to a neck or head.

A backbone maps (N, 3, H, W) images to a tuple of feature maps and declares,
per returned map (in ``forward``'s order):

- ``out_channels``: its channels C;
- ``out_strides``: input pixels per map pixel (CSPNeXt stage i: 2 ** (i+1));
- ``out_sizes(input_size)``: its (w, h) for a (w, h) input; by default
  ``ceil(input / stride)`` per side (what stride-2 3x3 convs with padding 1
  give); a backbone whose arithmetic differs (e.g. a patch embedding with
  its own padding) overrides it.

Top-down estimators derive the head's input map size from these (see
``rtmpose.models.heads.BaseHead.derived_args``); the start-up check's dry
forward confirms them.
"""
import math
from typing import List, Sequence, Tuple

from mmengine.model import BaseModule


class BaseBackbone(BaseModule):
    """Base class of backbones; subclasses set ``out_channels`` and
    ``out_strides`` (tuples, one entry per output map) in ``__init__``."""

    out_channels: Tuple[int, ...] = ()
    out_strides: Tuple[int, ...] = ()

    def out_sizes(self, input_size: Sequence[int]) -> List[Tuple[int, int]]:
        """(w, h) of every output map for a (w, h) input."""
        return [(math.ceil(input_size[0] / s), math.ceil(input_size[1] / s))
                for s in self.out_strides]
