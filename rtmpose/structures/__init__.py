from .bbox import (bbox_cs2xyxy, bbox_inside, bbox_xywh2xyxy, bbox_xyxy2cs,
                   bbox_xyxy2xywh, clip_bbox, fix_aspect_ratio, flip_bbox,
                   get_warp_matrix)
from .det_data_sample import DetDataSample
from .pose_data_sample import PoseDataSample

__all__ = [
    'DetDataSample', 'PoseDataSample', 'bbox_cs2xyxy', 'bbox_inside',
    'bbox_xywh2xyxy', 'bbox_xyxy2cs', 'bbox_xyxy2xywh', 'clip_bbox',
    'fix_aspect_ratio', 'flip_bbox', 'get_warp_matrix'
]
