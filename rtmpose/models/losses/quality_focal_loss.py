"""Quality focal loss (Generalized Focal Loss, Li et al. 2020)."""
from typing import Optional, Tuple

import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from rtmpose.registry import MODELS
from .reduction import weight_reduce_loss


def quality_focal_loss(pred: Tensor, labels: Tensor, scores: Tensor,
                       beta: float = 2.0) -> Tensor:
    """Per-prior QFL summed over classes.

    For logits ``x`` (N, C), ``p = sigmoid(x)`` and soft targets ``y``
    (``y = scores[i]`` at class ``labels[i]`` of a positive, 0 elsewhere)::

        QFL = sum_c BCE(x_c, y_c) * |y_c - p_c| ** beta

    Args:
        pred: (N, C) logits.
        labels: (N,) class index; ``C`` (or any value outside [0, C))
            marks a negative.
        scores: (N,) quality targets (IoU) of the positives.

    Returns:
        (N,) losses.
    """
    num_classes = pred.size(1)
    prob = pred.sigmoid()
    loss = F.binary_cross_entropy_with_logits(
        pred, pred.new_zeros(pred.shape), reduction='none') * prob.pow(beta)
    pos = ((labels >= 0) & (labels < num_classes)).nonzero().squeeze(1)
    pos_label = labels[pos].long()
    pos_pred = pred[pos, pos_label]
    scale = (scores[pos] - prob[pos, pos_label]).abs().pow(beta)
    loss[pos, pos_label] = F.binary_cross_entropy_with_logits(
        pos_pred, scores[pos], reduction='none') * scale
    return loss.sum(dim=1)


@MODELS.register_module()
class QualityFocalLoss(nn.Module):
    """:func:`quality_focal_loss` on sigmoid logits, weighted and reduced.

    Args:
        use_sigmoid: must be True (the softmax form is not defined for QFL).
        beta: exponent of the modulating factor.
        reduction: ``'none'``, ``'mean'`` or ``'sum'``.
        loss_weight: factor on the loss.
    """

    def __init__(self,
                 use_sigmoid: bool = True,
                 beta: float = 2.0,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if not use_sigmoid:
            raise ValueError('QualityFocalLoss: only use_sigmoid=True is '
                             'supported')
        self.use_sigmoid = use_sigmoid
        self.beta = beta
        self.reduction = reduction
        self.loss_weight = loss_weight

    def forward(self,
                pred: Tensor,
                target: Tuple[Tensor, Tensor],
                weight: Optional[Tensor] = None,
                avg_factor: Optional[float] = None) -> Tensor:
        """
        Args:
            pred: (N, C) logits.
            target: ``(labels (N,), scores (N,))``, see
                :func:`quality_focal_loss`.
            weight: optional (N,) per-prior weights.
            avg_factor: divisor of the weighted sum for ``'mean'``.
        """
        labels, scores = target
        if labels.shape != pred.shape[:1] or scores.shape != pred.shape[:1]:
            raise ValueError('QualityFocalLoss: labels and scores must be '
                             f'({pred.size(0)},), got {tuple(labels.shape)} '
                             f'and {tuple(scores.shape)}')
        loss = quality_focal_loss(pred, labels, scores, self.beta)
        return self.loss_weight * weight_reduce_loss(
            loss, weight, self.reduction, avg_factor)
