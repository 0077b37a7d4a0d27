"""Decoding model outputs to input-space keypoints: numpy only (no torch).
Mapping them to image pixels is ``rtmpose.structures.bbox.input_to_image``."""
from typing import Sequence, Tuple

import numpy as np

from rtmpose.codecs import decode_heatmaps, decode_simcc


def decode_outputs(outputs: Sequence[np.ndarray],
                   meta: dict) -> Tuple[np.ndarray, np.ndarray]:
    """Graph outputs of a model with metadata ``meta`` -> keypoints
    (N, K, 2) float32 input pixels and scores (N, K) float32, decoded as the
    model's codec decodes (same functions, DARK included); keypoints with
    score <= 0 are -1."""
    kind = meta['outputs']
    if kind == 'keypoints':
        return outputs[0], outputs[1]
    if kind == 'simcc':
        return decode_simcc(outputs[0], outputs[1], **meta['decode'])
    if kind == 'heatmaps':
        return decode_heatmaps(outputs[0], **meta['decode'])
    raise ValueError(f"unknown model outputs {kind!r} in metadata; expected "
                     "'simcc', 'heatmaps' or 'keypoints'")

