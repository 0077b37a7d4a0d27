"""Test-time augmentation: undo a horizontal input flip on head outputs.

Both helpers follow the reference (mmpose 1.3.2) by default, which is what
the published flip-test APIs were measured with; the geometrically exact
alternatives are options, documented where they apply.
"""
from typing import Sequence, Tuple

import torch
from torch import Tensor


def _flip_index(flip_indices: Sequence[int], num_keypoints: int, device,
                owner: str) -> Tensor:
    index = torch.as_tensor(list(flip_indices), dtype=torch.long,
                            device=device)
    if index.numel() != num_keypoints:
        raise ValueError(f'{owner}: {index.numel()} flip_indices for '
                         f'{num_keypoints} keypoints')
    return index


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


def flip_back_simcc(simcc_x: Tensor,
                    simcc_y: Tensor,
                    flip_indices: Sequence[int],
                    split_ratio: float,
                    shift_flip: bool = False) -> Tuple[Tensor, Tensor]:
    """Map SimCC outputs of a horizontally flipped input back to the
    unflipped input.

    Args:
        simcc_x (Tensor): (N, K, W*k) x vectors predicted on the flipped input.
        simcc_y (Tensor): (N, K, H*k) y vectors predicted on the flipped input.
        flip_indices (Sequence[int]): Keypoint index of each keypoint's mirror.
        split_ratio (float): Bins per pixel k.
        shift_flip (bool): False (default, the reference's ``flip_vectors``):
            only reverse the x bins. True: also shift the reversed vector by
            ``k - 1`` bins. Bin b stands for x = b / k and the image flip maps
            x to W - 1 - x, while reversing the bins maps x to W - 1/k - x:
            the plain reversal leaves the flipped view (k - 1) / k px to the
            right (0.5 px for k = 2), which the shift removes. The published
            flip-test APs were measured without it.

    Returns:
        tuple: (simcc_x, simcc_y) in the unflipped frame, keypoints swapped.
    """
    index = _flip_index(flip_indices, simcc_x.shape[1], simcc_x.device,
                        'flip_back_simcc')
    simcc_x = simcc_x[:, index].flip(-1)
    if shift_flip:
        simcc_x = shift_bins(simcc_x, split_ratio - 1)
    return simcc_x, simcc_y[:, index]


def flip_back_heatmaps(heatmaps: Tensor,
                       flip_indices: Sequence[int],
                       shift_heatmap: bool = False) -> Tensor:
    """Map heatmaps predicted on a horizontally flipped input back to the
    unflipped input (the reference's ``flip_heatmaps``, mode ``'heatmap'``).

    Args:
        heatmaps (Tensor): (N, K, H, W) predicted on the flipped input.
        flip_indices (Sequence[int]): Keypoint index of each keypoint's
            mirror.
        shift_heatmap (bool): Also move the maps one pixel to the right
            (column 0 keeps its value), as the reference's configs ask for
            stride heatmaps. With UDP heatmaps (input x at heatmap
            ``x (W - 1) / (w - 1)``) reversing the columns is the exact flip
            and no shift is needed. With stride-s heatmaps (input x at
            ``x / s``) the reversed maps sit ``1 - 1 / s`` pixels left of
            the unflipped ones (0.75 for s = 4); the one-pixel shift
            over-corrects that to 0.25 to the right.

    Returns:
        Tensor: (N, K, H, W) in the unflipped frame, keypoints swapped.
    """
    index = _flip_index(flip_indices, heatmaps.shape[1], heatmaps.device,
                        'flip_back_heatmaps')
    flipped = heatmaps[:, index].flip(-1)
    if shift_heatmap:
        flipped = torch.cat([flipped[..., :1], flipped[..., :-1]], -1)
    return flipped
