from .kl_discret_loss import KLDiscretLoss
from .mse_loss import KeypointMSELoss

__all__ = ['KLDiscretLoss', 'KeypointMSELoss']
