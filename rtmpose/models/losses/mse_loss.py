"""Mean squared error between predicted and target heatmaps."""
from typing import Optional

import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from rtmpose.registry import MODELS


@MODELS.register_module()
class KeypointMSELoss(nn.Module):
    """Per-pixel squared error averaged over all N x K x H x W values.

    With ``use_target_weight`` each keypoint's map is weighted by its target
    weight (N, K); with ``skip_empty_channel`` maps whose target is all zero
    get weight 0. The mean still divides by every value, weighted or not.

    Args:
        use_target_weight (bool): Weight keypoints by the target weights.
        skip_empty_channel (bool): Ignore keypoints with an all-zero target.
        loss_weight (float): Factor on the loss.
    """

    def __init__(self,
                 use_target_weight: bool = False,
                 skip_empty_channel: bool = False,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        self.use_target_weight = use_target_weight
        self.skip_empty_channel = skip_empty_channel
        self.loss_weight = loss_weight

    def forward(self,
                output: Tensor,
                target: Tensor,
                target_weights: Optional[Tensor] = None) -> Tensor:
        """
        Args:
            output (Tensor): (N, K, H, W) predicted heatmaps.
            target (Tensor): (N, K, H, W) target heatmaps.
            target_weights (Tensor, optional): (N, K) keypoint weights.

        Returns:
            Tensor: scalar loss.
        """
        if output.shape != target.shape:
            raise ValueError(f'KeypointMSELoss: output shape '
                             f'{tuple(output.shape)} != target shape '
                             f'{tuple(target.shape)}')
        n, k = output.shape[:2]
        mask = None
        if self.use_target_weight:
            if target_weights is None:
                raise ValueError('KeypointMSELoss: use_target_weight=True '
                                 'but no target_weights were given')
            if target_weights.shape != (n, k):
                raise ValueError('KeypointMSELoss: target_weights must be '
                                 f'(N, K) = {(n, k)}, got '
                                 f'{tuple(target_weights.shape)}')
            mask = target_weights.reshape(n, k, 1, 1).to(output)
        if self.skip_empty_channel:
            nonempty = (target != 0).flatten(2).any(2).reshape(n, k, 1, 1)
            mask = nonempty.to(output) if mask is None else mask * nonempty
        if mask is None:
            loss = F.mse_loss(output, target)
        else:
            loss = (F.mse_loss(output, target, reduction='none') *
                    mask).mean()
        return loss * self.loss_weight
