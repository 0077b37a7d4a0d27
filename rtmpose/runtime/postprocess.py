"""Decoding model outputs to input-space keypoints: numpy only (no torch).
Mapping them to image pixels is ``rtmpose.structures.bbox.input_to_image``."""
from typing import Sequence, Tuple

import numpy as np

from rtmpose.codecs import DECODERS, decode_by_kind


def decode_outputs(outputs: Sequence[np.ndarray],
                   meta: dict) -> Tuple[np.ndarray, np.ndarray]:
    """Graph outputs of a model with metadata ``meta`` -> keypoints
    (N, K, 2) float32 input pixels and scores (N, K) float32, decoded as the
    model's codec decodes (the codec kind's function, DARK included);
    keypoints with score <= 0 are at location -1 in bins / heatmap pixels,
    scaled as the reference does."""
    kind = meta['outputs']
    if kind == 'keypoints':  # decoded in the graph
        return outputs[0], outputs[1]
    if kind not in DECODERS:
        raise ValueError(f'unknown model outputs {kind!r} in metadata; '
                         f"expected 'keypoints' or one of {sorted(DECODERS)}")
    return decode_by_kind(kind, outputs, meta['decode'])
