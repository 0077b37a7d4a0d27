"""Decoding model outputs to image pixels: numpy only (no torch)."""
from typing import Sequence, Tuple

import numpy as np

from rtmpose.codecs import decode_heatmaps, decode_simcc


def decode_outputs(outputs: Sequence[np.ndarray],
                   meta: dict) -> Tuple[np.ndarray, np.ndarray]:
    """Graph outputs of a model with metadata ``meta`` -> keypoints
    (N, K, 2) float32 input pixels and scores (N, K) float32, decoded as the
    model's codec decodes (same functions, DARK included); keypoints with
    score <= 0 are at location -1 in bins / heatmap pixels, scaled as
    the reference does."""
    kind = meta['outputs']
    if kind == 'keypoints':
        return outputs[0], outputs[1]
    if kind == 'simcc':
        return decode_simcc(outputs[0], outputs[1], **meta['decode'])
    if kind == 'heatmaps':
        return decode_heatmaps(outputs[0], **meta['decode'])
    raise ValueError(f"unknown model outputs {kind!r} in metadata; expected "
                     "'simcc', 'heatmaps' or 'keypoints'")


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
