"""Keypoint codecs, registered in ``rtmpose.registry.KEYPOINT_CODECS``.

The decoding functions import eagerly and need only numpy and OpenCV (the
ONNX runtime in ``rtmpose.runtime`` uses them without torch or mmengine);
the codec classes, which register themselves with mmengine, load on first
access, through ``rtmpose.registry.KEYPOINT_CODECS`` (whose import
locations name their modules).
"""
from .base import (DECODERS, BaseHeatmapCodec, BaseKeypointCodec,
                   decode_by_kind)
from .heatmap_decoding import (HEATMAP_REFINEMENTS, decode_heatmaps,
                               gaussian_blur, get_heatmap_maximum,
                               refine_keypoints_dark,
                               refine_keypoints_dark_udp,
                               refine_keypoints_quarter, refine_udp_combined)
from .simcc_decoding import decode_simcc, get_simcc_maximum, refine_simcc_dark


def __getattr__(name: str):
    # only the codec classes of __all__: other probes must not pull mmengine
    if name in __all__:
        from rtmpose.registry import KEYPOINT_CODECS
        codec = KEYPOINT_CODECS.get(name)
        if codec is not None:
            return codec
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')


__all__ = [
    'DECODERS', 'BaseHeatmapCodec', 'BaseKeypointCodec', 'decode_by_kind',
    'SimCCLabel', 'MSRAHeatmap', 'UDPHeatmap',
    'HEATMAP_REFINEMENTS', 'decode_heatmaps', 'decode_simcc',
    'gaussian_blur', 'get_heatmap_maximum', 'get_simcc_maximum',
    'refine_keypoints_dark', 'refine_keypoints_dark_udp',
    'refine_keypoints_quarter', 'refine_simcc_dark', 'refine_udp_combined'
]
