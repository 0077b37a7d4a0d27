from .coco_det_metric import CocoDetMetric
from .coco_metric import CocoMetric
from .coco_wholebody_metric import CocoWholeBodyMetric
from .keypoint_2d_metrics import AUC, EPE, MpiiPCKAccuracy, PCKAccuracy

__all__ = [
    'CocoDetMetric', 'CocoMetric', 'CocoWholeBodyMetric', 'AUC', 'EPE', 'MpiiPCKAccuracy',
    'PCKAccuracy'
]
