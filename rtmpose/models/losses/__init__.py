from .giou_loss import GIoULoss
from .kl_discret_loss import KLDiscretLoss
from .mse_loss import KeypointMSELoss
from .quality_focal_loss import QualityFocalLoss, quality_focal_loss

__all__ = [
    'GIoULoss', 'KLDiscretLoss', 'KeypointMSELoss', 'QualityFocalLoss',
    'quality_focal_loss'
]
