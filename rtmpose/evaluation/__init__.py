from .functional import oks_iou, oks_nms, soft_oks_nms
from .metrics import CocoMetric

__all__ = ['CocoMetric', 'oks_iou', 'oks_nms', 'soft_oks_nms']
