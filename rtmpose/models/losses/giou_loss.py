"""Generalised IoU loss (Rezatofighi et al. 2019)."""
from typing import Optional

import torch.nn as nn
from torch import Tensor

from rtmpose.registry import MODELS
from rtmpose.structures.bbox_iou import bbox_overlaps
from .reduction import weight_reduce_loss


@MODELS.register_module()
class GIoULoss(nn.Module):
    """``1 - GIoU(pred_i, target_i)`` of aligned xyxy boxes, weighted and
    reduced.

    Args:
        eps: lower bound of union and enclosing areas.
        reduction: ``'none'``, ``'mean'`` or ``'sum'``.
        loss_weight: factor on the loss.
    """

    def __init__(self,
                 eps: float = 1e-6,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        self.eps = eps
        self.reduction = reduction
        self.loss_weight = loss_weight

    def forward(self,
                pred: Tensor,
                target: Tensor,
                weight: Optional[Tensor] = None,
                avg_factor: Optional[float] = None) -> Tensor:
        """
        Args:
            pred: (N, 4) predicted xyxy boxes.
            target: (N, 4) target xyxy boxes.
            weight: optional (N,) per-box weights.
            avg_factor: divisor of the weighted sum for ``'mean'``.
        """
        if pred.shape != target.shape:
            raise ValueError(f'GIoULoss: pred {tuple(pred.shape)} and target '
                             f'{tuple(target.shape)} differ')
        if weight is not None and not (weight > 0).any():
            # nothing to learn from: a zero that keeps the graph connected
            return (pred * weight[:, None]).sum()
        loss = 1 - bbox_overlaps(
            pred.float(), target.float(), mode='giou', is_aligned=True,
            eps=self.eps)
        return self.loss_weight * weight_reduce_loss(
            loss, weight, self.reduction, avg_factor)
