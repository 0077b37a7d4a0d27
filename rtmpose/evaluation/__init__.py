from .functional import oks_iou, oks_nms, soft_oks_nms
from .metrics import (AUC, EPE, CocoMetric, CocoWholeBodyMetric,
                      MpiiPCKAccuracy, PCKAccuracy)

__all__ = [
    'CocoMetric', 'oks_iou', 'oks_nms', 'soft_oks_nms', 'AUC', 'EPE',
    'CocoWholeBodyMetric', 'MpiiPCKAccuracy', 'PCKAccuracy'
]
