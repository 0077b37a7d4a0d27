"""Decoding model outputs to input-space keypoints: numpy only (no torch).
Mapping them to image pixels is ``rtmpose.structures.bbox.input_to_image``."""
from typing import Sequence, Tuple

import numpy as np

from rtmpose.codecs import get_output_kind


def decode_outputs(outputs: Sequence[np.ndarray],
                   meta: dict) -> Tuple[np.ndarray, np.ndarray]:
    """Graph outputs of a model with metadata ``meta`` -> keypoints
    (N, K, 2) float32 input pixels and scores (N, K) float32, decoded as the
    model's codec decodes (its output kind's function, DARK included);
    keypoints with score <= 0 are at location -1 in bins / heatmap pixels,
    scaled as the reference does."""
    kind = meta['outputs']
    if kind == 'keypoints':  # decoded in the graph
        return outputs[0], outputs[1]
    return get_output_kind(kind).decode(*outputs, **meta['decode'])
