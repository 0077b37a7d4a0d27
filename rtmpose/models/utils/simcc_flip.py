"""Undo a horizontal image flip on SimCC vectors."""
from typing import Sequence, Tuple

import torch
from torch import Tensor


def shift_bins(vectors: Tensor, offset: float) -> Tensor:
    """Resample (..., B) vectors so that ``out[..., b] = in[..., b + offset]``.

    Non-integer offsets interpolate linearly; positions past either end
    repeat the edge bin.
    """
    num_bins = vectors.shape[-1]
    pos = torch.arange(num_bins, dtype=vectors.dtype,
                       device=vectors.device) + offset
    lo = pos.floor()
    frac = pos - lo
    lo = lo.long().clamp(0, num_bins - 1)
    hi = (lo + 1).clamp(max=num_bins - 1)
    if float(offset).is_integer():
        return vectors[..., lo]
    return vectors[..., lo] * (1 - frac) + vectors[..., hi] * frac


def flip_back_simcc(simcc_x: Tensor, simcc_y: Tensor,
                    flip_indices: Sequence[int],
                    split_ratio: float) -> Tuple[Tensor, Tensor]:
    """Map SimCC outputs of a horizontally flipped input back to the
    unflipped input.

    Args:
        simcc_x (Tensor): (N, K, W*k) x vectors predicted on the flipped input.
        simcc_y (Tensor): (N, K, H*k) y vectors predicted on the flipped input.
        flip_indices (Sequence[int]): Keypoint index of each keypoint's mirror.
        split_ratio (float): Bins per pixel k.

    Bin b stands for x = b / k. The flip maps x to W - 1 - x; reversing the
    bins maps x to W - 1/k - x; so the reversed vector sits (k - 1) bins to
    the right of the unflipped one and is shifted back by that amount.

    Returns:
        tuple: (simcc_x, simcc_y) in the unflipped frame, keypoints swapped.
    """
    flip_indices = torch.as_tensor(
        list(flip_indices), dtype=torch.long, device=simcc_x.device)
    if flip_indices.numel() != simcc_x.shape[1]:
        raise ValueError(f'flip_back_simcc: {flip_indices.numel()} '
                         f'flip_indices for {simcc_x.shape[1]} keypoints')
    simcc_x = shift_bins(simcc_x[:, flip_indices].flip(-1), split_ratio - 1)
    return simcc_x, simcc_y[:, flip_indices]
