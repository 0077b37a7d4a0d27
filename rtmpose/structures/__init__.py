"""Data structures, crop geometry and box operations.

``bbox`` (numpy and OpenCV only) imports eagerly; the data samples (mmengine
and torch) and the torch box operations (IoU, NMS) load on first access, so
the torch-free ONNX runtime can use the geometry (as ``rtmpose.codecs`` does
its decoders).
"""
import importlib

from .bbox import (DEFAULT_BBOX_PADDING, bbox_cs2xyxy, bbox_inside,
                   bbox_iou_matrix, bbox_xywh2xyxy, bbox_xyxy2cs,
                   bbox_xyxy2xywh, clip_bbox,
                   fix_aspect_ratio, flip_bbox, get_warp_matrix,
                   input_to_image, rescale_size)
from .input_spec import InputSpec

_LAZY = {
    'PoseDataSample': 'rtmpose.structures.pose_data_sample',
    'DetDataSample': 'rtmpose.structures.det_data_sample',
    'bbox_overlaps': 'rtmpose.structures.bbox_iou',
    'nms': 'rtmpose.structures.bbox_nms',
    'batched_nms': 'rtmpose.structures.bbox_nms',
}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')


__all__ = [
    'DEFAULT_BBOX_PADDING', 'InputSpec', 'PoseDataSample', 'DetDataSample',
    'bbox_cs2xyxy', 'bbox_inside', 'bbox_iou_matrix', 'bbox_xywh2xyxy', 'bbox_xyxy2cs',
    'bbox_xyxy2xywh', 'clip_bbox', 'fix_aspect_ratio', 'flip_bbox',
    'get_warp_matrix', 'input_to_image', 'rescale_size', 'bbox_overlaps',
    'nms', 'batched_nms'
]
