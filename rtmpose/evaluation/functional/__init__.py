from .nms import oks_iou, oks_nms, soft_oks_nms

__all__ = ['oks_iou', 'oks_nms', 'soft_oks_nms']
