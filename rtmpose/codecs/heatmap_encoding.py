"""Gaussian keypoint heatmaps, vectorised over instances and keypoints."""
from typing import Tuple

import numpy as np


def gaussian_heatmaps(keypoints: np.ndarray,
                      keypoints_visible: np.ndarray,
                      heatmap_size: Tuple[int, int],
                      sigma: float,
                      round_centre: bool,
                      truncate: bool) -> Tuple[np.ndarray, np.ndarray]:
    """Unnormalised Gaussians (peak 1) at keypoints, merged over instances,
    with the reference's (mmpose 1.3.2) integer conventions.

    With ``truncate`` (MSRA and UDP) a keypoint's integer location is
    ``mu = int(kp + 0.5)``, truncated toward zero as the reference's
    ``astype(int)`` (so -0.7 goes to 0, not -1), and its support is the
    columns ``[int(mu - 3 sigma), int(mu + 3 sigma + 1))`` (rows likewise),
    with the Gaussian centred at ``int(mu - 3 sigma) + floor(3 sigma + 0.5)``
    (= mu for integer 3 sigma), plus ``kp - mu`` when not ``round_centre``.
    A visible keypoint keeps its weight unless its support lies wholly
    left, right, above or below the map (a support ending exactly at column
    0 still counts, as in the reference). Without ``truncate`` (unbiased)
    the Gaussian covers the whole map at the exact location and the support
    test uses ``kp -/+ 3 sigma`` unrounded.

    Args:
        keypoints: (N, K, 2) heatmap pixels (x, y).
        keypoints_visible: (N, K) visibility; < 0.5 counts as invisible.
        heatmap_size: (W, H).
        sigma: standard deviation, heatmap pixels.
        round_centre: centre the Gaussian at the integer location (MSRA);
            else at the exact sub-pixel location (unbiased / UDP).
        truncate: zero outside the support; else the Gaussian covers the
            whole map.

    Returns:
        heatmaps (K, H, W) float32, the element-wise maximum over instances;
        keypoint_weights (N, K) float32: the visibility, 0 for visible
        keypoints whose support misses the map (invisible ones keep theirs).
    """
    w, h = heatmap_size
    radius = 3 * sigma
    visible = keypoints_visible >= 0.5
    size = np.asarray([w, h])
    denom = np.float32(2 * sigma**2)
    if truncate:
        mu = (keypoints + np.float32(0.5)).astype(np.int64)
        first = (mu - radius).astype(np.int64)  # first support pixel
        end = (mu + radius + 1).astype(np.int64)  # one past the last
        reach = ((first < size) & (end >= 0)).all(-1)
        # the reference's Gaussian patch: ceil(2r + 1) pixels, peak at
        # index floor(r + 0.5), moved by the sub-pixel offset for UDP
        patch = int(np.ceil(2 * radius + 1))
        offset = np.float64((2 * radius + 1) // 2)
        if not round_centre:
            offset = offset + (keypoints.astype(np.float64) - mu)
        else:
            offset = np.broadcast_to(offset, keypoints.shape)
        offset = offset.astype(np.float32)
    else:
        reach = ((keypoints - np.float32(radius) < size) &
                 (keypoints + np.float32(radius + 1) >= 0)).all(-1)
    keep = visible & reach
    weights = np.where(visible & ~reach, 0,
                       keypoints_visible).astype(np.float32)

    sq = []
    for axis, length in enumerate((w, h)):
        grid = np.arange(length)
        if truncate:
            # position within the patch, as float32 like the reference's
            j = grid - first[..., axis:axis + 1]  # (N, K, L)
            d = j.astype(np.float32) - offset[..., axis:axis + 1]
            inside = ((j >= 0) & (j < patch) &
                      (grid < end[..., axis:axis + 1]))
        else:
            d = grid.astype(np.float32) - keypoints[..., axis:axis + 1]
            inside = np.ones(d.shape, bool)
        sq.append((d * d, inside & keep[..., None]))
    (dx2, in_x), (dy2, in_y) = sq
    maps = np.exp(-(dy2[..., :, None] + dx2[..., None, :]) / denom)
    maps *= in_y[..., :, None] & in_x[..., None, :]  # (N, K, H, W)
    if len(maps) == 0:
        return np.zeros(maps.shape[1:], np.float32), weights
    return maps.max(0).astype(np.float32), weights

