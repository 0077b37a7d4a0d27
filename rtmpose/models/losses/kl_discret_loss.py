"""KL divergence loss between SimCC predictions and soft labels."""
from typing import Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from rtmpose.registry import MODELS


@MODELS.register_module()
class KLDiscretLoss(nn.Module):
    """KL(target || softmax(beta * pred)) per keypoint and axis.

    The target is ``softmax(label_beta * label)`` when ``label_softmax``,
    else the label itself (already a distribution). For each keypoint and
    axis the KL terms are averaged over the bins; keypoint losses are
    weighted by the target weights, summed over the batch and keypoints,
    summed over the x and y axes and divided by K. (Batch-summed, so the
    value grows with the batch size, as in the reference recipe.)

    Args:
        beta (float): Temperature inverse applied to the predictions.
        label_softmax (bool): Turn labels into distributions with a softmax.
        label_beta (float): Temperature inverse applied to the labels.
        use_target_weight (bool): Weight keypoints by the target weights.
        mask (Sequence[int], optional): Keypoint indices whose loss is
            multiplied by ``mask_weight``.
        mask_weight (float): Factor for the masked keypoints.
    """

    def __init__(self,
                 beta: float = 1.0,
                 label_softmax: bool = False,
                 label_beta: float = 10.0,
                 use_target_weight: bool = True,
                 mask: Optional[Sequence[int]] = None,
                 mask_weight: float = 1.0) -> None:
        super().__init__()
        self.beta = beta
        self.label_softmax = label_softmax
        self.label_beta = label_beta
        self.use_target_weight = use_target_weight
        self.mask = list(mask) if mask is not None else None
        self.mask_weight = mask_weight

    def _axis_loss(self, pred: Tensor, label: Tensor) -> Tensor:
        """(N, K, B) logits and labels -> (N, K) bin-averaged KL terms."""
        log_q = F.log_softmax(pred * self.beta, dim=-1)
        p = (F.softmax(label * self.label_beta, dim=-1)
             if self.label_softmax else label)
        # xlogy makes 0 * log(0) = 0 for hard (zero) label bins
        return (torch.xlogy(p, p) - p * log_q).mean(dim=-1)

    def forward(self, pred_simcc: Tuple[Tensor, ...],
                gt_simcc: Tuple[Tensor, ...],
                target_weight: Optional[Tensor] = None) -> Tensor:
        """
        Args:
            pred_simcc (tuple[Tensor]): (N, K, Wx), (N, K, Wy) logits.
            gt_simcc (tuple[Tensor]): labels of the same shapes.
            target_weight (Tensor, optional): (N, K) keypoint weights.

        Returns:
            Tensor: scalar loss.
        """
        num_keypoints = pred_simcc[0].shape[1]
        loss = pred_simcc[0].new_zeros(())
        for pred, label in zip(pred_simcc, gt_simcc):
            if pred.shape != label.shape:
                raise ValueError(f'KLDiscretLoss: prediction shape '
                                 f'{tuple(pred.shape)} != label shape '
                                 f'{tuple(label.shape)}')
            axis_loss = self._axis_loss(pred, label)
            if self.use_target_weight:
                if target_weight is None:
                    raise ValueError('KLDiscretLoss: use_target_weight=True '
                                     'but no target_weight was given')
                axis_loss = axis_loss * target_weight.reshape(axis_loss.shape)
            if self.mask is not None:
                factor = axis_loss.new_ones(num_keypoints)
                factor[self.mask] = self.mask_weight
                axis_loss = axis_loss * factor
            loss = loss + axis_loss.sum()
        return loss / num_keypoints
