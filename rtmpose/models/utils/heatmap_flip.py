"""Undo a horizontal image flip on heatmaps."""
from typing import Sequence

import torch
from torch import Tensor


def flip_back_heatmaps(heatmaps: Tensor,
                       flip_indices: Sequence[int],
                       shift_heatmap: bool = False) -> Tensor:
    """Map heatmaps predicted on a horizontally flipped input back to the
    unflipped input.

    Args:
        heatmaps (Tensor): (N, K, H, W) predicted on the flipped input.
        flip_indices (Sequence[int]): Keypoint index of each keypoint's
            mirror.
        shift_heatmap (bool): Also move the maps one pixel to the right
            (column 0 repeats). With UDP heatmaps (input x at heatmap
            ``x (W - 1) / (w - 1)``) reversing the columns is the exact flip
            and no shift is needed. With stride-s heatmaps (input x at
            ``x / s``) the reversed maps sit ``1 - 1 / s`` pixels left of
            the unflipped ones (0.75 for s = 4); the one-pixel shift of the
            reference over-corrects that to 0.25 to the right.

    Returns:
        Tensor: (N, K, H, W) in the unflipped frame, keypoints swapped.
    """
    flip_indices = torch.as_tensor(
        list(flip_indices), dtype=torch.long, device=heatmaps.device)
    if flip_indices.numel() != heatmaps.shape[1]:
        raise ValueError(f'flip_back_heatmaps: {flip_indices.numel()} '
                         f'flip_indices for {heatmaps.shape[1]} keypoints')
    flipped = heatmaps[:, flip_indices].flip(-1)
    if shift_heatmap:
        flipped = torch.cat([flipped[..., :1], flipped[..., :-1]], -1)
    return flipped
