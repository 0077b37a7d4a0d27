from .keypoint_eval import (heatmap_pck_accuracy, keypoint_auc, keypoint_epe,
                            keypoint_pck_accuracy, mpii_pckh,
                            normalized_distances, simcc_pck_accuracy)
from .nms import oks_iou, oks_nms, soft_oks_nms

__all__ = [
    'oks_iou', 'oks_nms', 'soft_oks_nms', 'heatmap_pck_accuracy',
    'keypoint_auc', 'keypoint_epe', 'keypoint_pck_accuracy', 'mpii_pckh',
    'normalized_distances', 'simcc_pck_accuracy'
]
