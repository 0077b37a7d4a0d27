"""Point priors of dense anchor-free heads: one point per feature-map cell."""
from typing import List, Sequence, Tuple, Union

import torch
from torch import Tensor

from rtmpose.registry import TASK_UTILS


@TASK_UTILS.register_module()
class MlvlPointGenerator:
    """Grid points of several feature levels, in input-image pixels.

    Cell (row r, column c) of level l has the point
    ``((c + offset) * stride_l, (r + offset) * stride_l)``; RTMDet uses
    offset 0 (the cell's top-left corner). Points are ordered row-major
    (y outer, x inner), the order of ``feat.permute(0, 2, 3, 1).reshape``.

    Args:
        strides: one stride per level, an int or a (w, h) pair.
        offset: sub-cell offset of the point, in cells.
    """

    def __init__(self,
                 strides: Sequence[Union[int, Tuple[int, int]]],
                 offset: float = 0.5) -> None:
        self.strides = [
            tuple(s) if isinstance(s, (tuple, list)) else (s, s)
            for s in strides
        ]
        self.offset = offset

    @property
    def num_levels(self) -> int:
        return len(self.strides)

    def single_level_grid_priors(self,
                                 featmap_size: Tuple[int, int],
                                 level_idx: int,
                                 dtype: torch.dtype = torch.float32,
                                 device='cpu',
                                 with_stride: bool = False) -> Tensor:
        """(H * W, 2) points (x, y), or (H * W, 4) (x, y, stride_w,
        stride_h) with ``with_stride``, of a (H, W) feature map."""
        feat_h, feat_w = featmap_size
        stride_w, stride_h = self.strides[level_idx]
        shift_x = (torch.arange(feat_w, device=device) +
                   self.offset) * stride_w
        shift_y = (torch.arange(feat_h, device=device) +
                   self.offset) * stride_h
        shift_x = shift_x.to(dtype)
        shift_y = shift_y.to(dtype)
        xx = shift_x.repeat(feat_h)
        yy = shift_y.view(-1, 1).repeat(1, feat_w).view(-1)
        if not with_stride:
            return torch.stack([xx, yy], dim=-1)
        return torch.stack([
            xx, yy,
            xx.new_full((xx.numel(), ), stride_w),
            yy.new_full((yy.numel(), ), stride_h)
        ], dim=-1)

    def grid_priors(self,
                    featmap_sizes: Sequence[Tuple[int, int]],
                    dtype: torch.dtype = torch.float32,
                    device='cpu',
                    with_stride: bool = False) -> List[Tensor]:
        """One :meth:`single_level_grid_priors` tensor per level."""
        if len(featmap_sizes) != self.num_levels:
            raise ValueError(f'MlvlPointGenerator: {len(featmap_sizes)} '
                             f'feature maps for {self.num_levels} strides')
        return [
            self.single_level_grid_priors(
                tuple(size), i, dtype, device, with_stride)
            for i, size in enumerate(featmap_sizes)
        ]
