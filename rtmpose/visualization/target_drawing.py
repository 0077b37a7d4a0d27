"""Draw codec targets (SimCC label vectors, heatmaps) over model inputs."""
from typing import Optional

import cv2
import numpy as np


def draw_simcc_targets(img: np.ndarray,
                       x_labels: np.ndarray,
                       y_labels: np.ndarray,
                       split_ratio: float,
                       colors: np.ndarray,
                       weights: Optional[np.ndarray] = None) -> np.ndarray:
    """Per-keypoint SimCC label vectors as curves along the image edges.

    Args:
        img: (h, w, 3) uint8 BGR model input.
        x_labels: (K, Wx) x-axis labels, drawn upwards from the bottom edge
            at x = bin / split_ratio; y_labels: (K, Wy), drawn rightwards from
            the left edge.
        split_ratio: bins per pixel.
        colors: (K, 3) RGB colours per keypoint.
        weights: (K,) keypoint weights; weight-0 keypoints are skipped.

    Returns:
        annotated copy of ``img``; curves span a quarter of the image.
    """
    out = img.copy()
    h, w = out.shape[:2]
    for k in range(len(x_labels)):
        if weights is not None and weights[k] <= 0:
            continue
        color = tuple(int(c) for c in np.asarray(colors[k])[::-1])
        for labels, horizontal in ((x_labels[k], True), (y_labels[k], False)):
            peak = labels.max()
            if peak <= 0:
                continue
            pos = np.arange(len(labels)) / split_ratio
            height = labels / peak * (min(h, w) / 4)
            pts = (np.stack([pos, h - 1 - height], -1)
                   if horizontal else np.stack([height, pos], -1))
            cv2.polylines(out, [np.round(pts).astype(np.int32)], False, color,
                          1, cv2.LINE_AA)
    return out


def draw_heatmaps(img: np.ndarray,
                  heatmaps: np.ndarray,
                  alpha: float = 0.5) -> np.ndarray:
    """The max over keypoints of (K, hh, hw) heatmaps, resized to the
    (h, w, 3) uint8 BGR image and blended over it as a colour map."""
    h, w = img.shape[:2]
    peak = np.clip(np.asarray(heatmaps).max(0), 0, None)
    peak = peak / peak.max() if peak.max() > 0 else peak
    heat = cv2.resize((peak * 255).astype(np.uint8), (w, h),
                      interpolation=cv2.INTER_LINEAR)
    colored = cv2.applyColorMap(heat, cv2.COLORMAP_JET)
    return cv2.addWeighted(img, 1 - alpha, colored, alpha, 0)
