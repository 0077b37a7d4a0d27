"""Keypoint codecs, registered in ``rtmpose.registry.KEYPOINT_CODECS``."""
from .base import BaseKeypointCodec
from .simcc_decoding import get_simcc_maximum, refine_simcc_dark
from .simcc_label import SimCCLabel

__all__ = [
    'BaseKeypointCodec', 'SimCCLabel', 'get_simcc_maximum',
    'refine_simcc_dark'
]
