"""Decoding model outputs to image pixels: numpy only (no torch)."""
from typing import Tuple

import numpy as np


def decode_simcc(simcc_x: np.ndarray, simcc_y: np.ndarray,
                 split_ratio: float) -> Tuple[np.ndarray, np.ndarray]:
    """SimCC vectors -> keypoints and scores, as ``SimCCLabel.decode`` without
    DARK refinement.

    Args:
        simcc_x: (N, K, Wx) x-axis responses; simcc_y: (N, K, Wy).
        split_ratio: bins per input pixel k.

    Returns:
        keypoints (N, K, 2) float32 input pixels (argmax bin / k; -1 where the
        score is <= 0) and scores (N, K) float32, the smaller of the two
        axes' maximum responses.
    """
    x_locs = simcc_x.argmax(-1)
    y_locs = simcc_y.argmax(-1)
    x_max = np.take_along_axis(simcc_x, x_locs[..., None], -1)[..., 0]
    y_max = np.take_along_axis(simcc_y, y_locs[..., None], -1)[..., 0]
    scores = np.minimum(x_max, y_max).astype(np.float32)
    keypoints = np.stack([x_locs, y_locs], -1).astype(np.float32)
    keypoints /= np.float32(split_ratio)
    keypoints[scores <= 0] = -1
    return keypoints, scores


def to_image_coords(keypoints: np.ndarray, centers: np.ndarray,
                    scales: np.ndarray, input_size: Tuple[int, int],
                    use_udp: bool) -> np.ndarray:
    """Input-space keypoints (N, K, 2) of crops with ``centers`` (N, 2) and
    ``scales`` (N, 2) (w, h) -> image pixels (N, K, 2); inverts
    :func:`~rtmpose.deploy.preprocess.crop_matrix`."""
    size = np.asarray(input_size, dtype=np.float32)
    centers = np.asarray(centers, dtype=np.float32)[:, None]
    scales = np.asarray(scales, dtype=np.float32)[:, None]
    if use_udp:
        return (keypoints - (size - 1) / 2) * scales / (size - 1) + centers
    return keypoints * scales / size + centers - scales / 2
