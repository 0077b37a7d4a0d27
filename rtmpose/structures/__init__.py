from .bbox import (bbox_cs2xyxy, bbox_inside, bbox_xywh2xyxy, bbox_xyxy2cs,
                   bbox_xyxy2xywh, clip_bbox, fix_aspect_ratio, flip_bbox,
                   get_warp_matrix)
from .bbox_nms import batched_nms, nms
from .bbox_overlaps import bbox_overlaps
from .det_data_sample import DetDataSample
from .pose_data_sample import PoseDataSample

__all__ = [
    'PoseDataSample', 'DetDataSample', 'bbox_cs2xyxy', 'bbox_inside',
    'bbox_xywh2xyxy', 'bbox_xyxy2cs', 'bbox_xyxy2xywh', 'clip_bbox',
    'fix_aspect_ratio', 'flip_bbox', 'get_warp_matrix', 'bbox_overlaps',
    'nms', 'batched_nms'
]
