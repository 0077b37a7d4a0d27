from .functional import oks_iou, oks_nms, soft_oks_nms
from .metrics import (AUC, EPE, CocoDetMetric, CocoMetric,
                      CocoWholeBodyMetric, MpiiPCKAccuracy, PCKAccuracy)

__all__ = [
    'CocoDetMetric', 'CocoMetric', 'oks_iou', 'oks_nms', 'soft_oks_nms',
    'AUC', 'EPE', 'CocoWholeBodyMetric', 'MpiiPCKAccuracy', 'PCKAccuracy'
]
