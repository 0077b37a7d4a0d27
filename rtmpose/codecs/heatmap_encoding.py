"""Gaussian keypoint heatmaps, vectorised over instances and keypoints."""
from typing import Tuple

import numpy as np


def gaussian_heatmaps(keypoints: np.ndarray,
                      keypoints_visible: np.ndarray,
                      heatmap_size: Tuple[int, int],
                      sigma: float,
                      round_centre: bool,
                      truncate: bool) -> Tuple[np.ndarray, np.ndarray]:
    """Unnormalised Gaussians (peak 1) at keypoints, merged over instances.

    The support of a keypoint is the square of half-side 3 * sigma around
    its rounded location ``floor(kp + 0.5)``. A visible keypoint whose
    support misses the map gets weight 0 and no Gaussian.

    Args:
        keypoints: (N, K, 2) heatmap pixels (x, y).
        keypoints_visible: (N, K) visibility; < 0.5 counts as invisible.
        heatmap_size: (W, H).
        sigma: standard deviation, heatmap pixels.
        round_centre: centre the Gaussian at the rounded location (MSRA);
            else at the exact sub-pixel location (unbiased / UDP).
        truncate: zero outside the support square; else the Gaussian covers
            the whole map.

    Returns:
        heatmaps (K, H, W) float32, the element-wise maximum over instances;
        keypoint_weights (N, K) float32: the visibility where visible and
        on the map, else 0.
    """
    w, h = heatmap_size
    radius = 3 * sigma
    rounded = np.floor(keypoints + 0.5)
    visible = keypoints_visible >= 0.5
    x, y = rounded[..., 0], rounded[..., 1]
    on_map = ((x - radius <= w - 1) & (x + radius >= 0)
              & (y - radius <= h - 1) & (y + radius >= 0))
    keep = visible & on_map
    weights = np.where(keep, keypoints_visible, 0).astype(np.float32)

    centre = rounded if round_centre else keypoints
    xs = np.arange(w, dtype=np.float32)
    ys = np.arange(h, dtype=np.float32)
    # Separable: exp(-(dx^2 + dy^2) / 2s^2) = gx(x) * gy(y).
    dx = xs - centre[..., 0:1]  # (N, K, W)
    dy = ys - centre[..., 1:2]  # (N, K, H)
    coef = np.float32(-0.5 / sigma**2)
    gx = np.exp(dx * dx * coef)
    gy = np.exp(dy * dy * coef)
    if truncate:
        gx *= np.abs(xs - rounded[..., 0:1]) <= radius
        gy *= np.abs(ys - rounded[..., 1:2]) <= radius
    gx *= keep[..., None]
    maps = gy[..., :, None] * gx[..., None, :]  # (N, K, H, W)
    if len(maps) == 0:
        return np.zeros(maps.shape[1:], np.float32), weights
    return maps.max(0).astype(np.float32), weights


def check_keypoints(keypoints, keypoints_visible,
                    owner: str) -> Tuple[np.ndarray, np.ndarray]:
    """Validate and default (N, K, 2) keypoints and (N, K) visibility."""
    keypoints = np.asarray(keypoints, dtype=np.float32)
    if keypoints.ndim != 3 or keypoints.shape[-1] != 2:
        raise ValueError(f'{owner}.encode: keypoints must be (N, K, 2), got '
                         f'{keypoints.shape}')
    if keypoints_visible is None:
        keypoints_visible = np.ones(keypoints.shape[:2], np.float32)
    keypoints_visible = np.asarray(keypoints_visible, dtype=np.float32)
    if keypoints_visible.shape != keypoints.shape[:2]:
        raise ValueError(f'{owner}.encode: keypoints_visible must be (N, K) '
                         f'= {keypoints.shape[:2]}, got '
                         f'{keypoints_visible.shape}')
    return keypoints, keypoints_visible
