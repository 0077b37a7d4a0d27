"""Resampling learned position embeddings to another patch grid."""
from typing import Tuple

import torch.nn.functional as F
from torch import Tensor


def resize_pos_embed(pos_embed: Tensor,
                     src_grid: Tuple[int, int],
                     dst_grid: Tuple[int, int],
                     mode: str = 'bicubic') -> Tensor:
    """Interpolate (1, h*w, C) grid position embeddings to another grid.

    Args:
        pos_embed (Tensor): (1, src_h * src_w, C), row-major tokens.
        src_grid (tuple[int, int]): (h, w) of ``pos_embed``.
        dst_grid (tuple[int, int]): (h, w) wanted.
        mode (str): ``F.interpolate`` mode.

    Returns:
        Tensor: (1, dst_h * dst_w, C); ``pos_embed`` itself when the grids
        are equal.
    """
    src_h, src_w = src_grid
    if pos_embed.ndim != 3 or pos_embed.shape[1] != src_h * src_w:
        raise ValueError(f'resize_pos_embed: expected (1, {src_h * src_w}, C)'
                         f' for a {src_h}x{src_w} grid, got '
                         f'{tuple(pos_embed.shape)}')
    if tuple(src_grid) == tuple(dst_grid):
        return pos_embed
    c = pos_embed.shape[-1]
    grid = pos_embed.reshape(1, src_h, src_w, c).permute(0, 3, 1, 2)
    grid = F.interpolate(
        grid.float(), size=tuple(dst_grid), mode=mode, align_corners=False)
    return grid.to(pos_embed.dtype).flatten(2).transpose(1, 2)
