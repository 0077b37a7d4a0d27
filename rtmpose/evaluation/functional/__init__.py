from .keypoint_eval import (keypoint_auc, keypoint_epe, keypoint_pck_accuracy,
                            mpii_pckh, normalized_distances)
from .nms import oks_iou, oks_nms, soft_oks_nms

__all__ = [
    'oks_iou', 'oks_nms', 'soft_oks_nms', 'keypoint_auc', 'keypoint_epe',
    'keypoint_pck_accuracy', 'mpii_pckh', 'normalized_distances'
]
