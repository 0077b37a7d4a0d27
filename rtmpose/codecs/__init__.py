"""Keypoint codecs, registered in ``rtmpose.registry.KEYPOINT_CODECS``.

The decoding functions and the output kinds (``output_kinds``) import
eagerly and need only numpy and OpenCV (the ONNX runtime in
``rtmpose.runtime`` uses them without torch or mmengine); the codec classes,
which register themselves with mmengine, load on first access
(``rtmpose.codecs.SimCCLabel``), through the registry, whose import location
(``all_codecs``) imports every module of this package.
"""
from .base import BaseHeatmapCodec, BaseKeypointCodec
from .heatmap_decoding import (HEATMAP_REFINEMENTS, decode_heatmaps,
                               gaussian_blur, get_heatmap_maximum,
                               refine_keypoints_dark,
                               refine_keypoints_dark_udp,
                               refine_keypoints_quarter, refine_udp_combined)
from .output_kinds import (OUTPUT_KINDS, OutputKind, decode_by_kind,
                           get_output_kind, register_output_kind)
from .simcc_decoding import decode_simcc, get_simcc_maximum, refine_simcc_dark


def __getattr__(name: str):
    # registered codec classes only (CamelCase): other probes (dunders,
    # functions) must not pull mmengine
    if name[:1].isupper():
        from rtmpose.registry import KEYPOINT_CODECS
        codec = KEYPOINT_CODECS.get(name)
        if codec is not None:
            return codec
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')


__all__ = [
    'BaseHeatmapCodec', 'BaseKeypointCodec', 'OUTPUT_KINDS', 'OutputKind',
    'decode_by_kind', 'get_output_kind', 'register_output_kind',
    'HEATMAP_REFINEMENTS', 'decode_heatmaps', 'decode_simcc',
    'gaussian_blur', 'get_heatmap_maximum', 'get_simcc_maximum',
    'refine_keypoints_dark', 'refine_keypoints_dark_udp',
    'refine_keypoints_quarter', 'refine_simcc_dark', 'refine_udp_combined'
]
