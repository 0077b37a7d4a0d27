"""Keypoint codecs, registered in ``rtmpose.registry.KEYPOINT_CODECS``."""
from .base import BaseKeypointCodec
from .heatmap_decoding import (gaussian_blur, get_heatmap_maximum,
                               refine_keypoints_dark,
                               refine_keypoints_dark_udp,
                               refine_keypoints_quarter)
from .msra_heatmap import MSRAHeatmap
from .simcc_decoding import get_simcc_maximum, refine_simcc_dark
from .simcc_label import SimCCLabel
from .udp_heatmap import UDPHeatmap

__all__ = [
    'BaseKeypointCodec', 'SimCCLabel', 'get_simcc_maximum',
    'refine_simcc_dark', 'MSRAHeatmap', 'UDPHeatmap', 'gaussian_blur',
    'get_heatmap_maximum', 'refine_keypoints_dark',
    'refine_keypoints_dark_udp', 'refine_keypoints_quarter'
]
