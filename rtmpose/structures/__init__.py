"""Data structures and crop geometry.

``bbox`` (numpy and OpenCV only) imports eagerly; ``PoseDataSample``, which
needs mmengine and torch, loads on first access, so the torch-free ONNX
runtime can use the geometry (as ``rtmpose.codecs`` does its decoders).
"""
import importlib

from .bbox import (DEFAULT_BBOX_PADDING, bbox_cs2xyxy, bbox_xywh2xyxy,
                   bbox_xyxy2cs, bbox_xyxy2xywh, fix_aspect_ratio, flip_bbox,
                   get_warp_matrix, input_to_image)

_LAZY = {'PoseDataSample': 'rtmpose.structures.pose_data_sample'}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')


__all__ = [
    'DEFAULT_BBOX_PADDING', 'PoseDataSample', 'bbox_cs2xyxy',
    'bbox_xywh2xyxy', 'bbox_xyxy2cs', 'bbox_xyxy2xywh', 'fix_aspect_ratio',
    'flip_bbox', 'get_warp_matrix', 'input_to_image'
]
