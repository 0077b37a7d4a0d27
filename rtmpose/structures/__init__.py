from .bbox import (bbox_cs2xyxy, bbox_xywh2xyxy, bbox_xyxy2cs, bbox_xyxy2xywh,
                   fix_aspect_ratio, flip_bbox, get_warp_matrix)
from .pose_data_sample import PoseDataSample

__all__ = [
    'PoseDataSample', 'bbox_cs2xyxy', 'bbox_xywh2xyxy', 'bbox_xyxy2cs',
    'bbox_xyxy2xywh', 'fix_aspect_ratio', 'flip_bbox', 'get_warp_matrix'
]
