"""Exponential moving average of the weights with a momentum warm-up."""
import math
from typing import Optional

import torch
from mmengine.model import ExponentialMovingAverage
from torch import Tensor, nn

from rtmpose.registry import MODELS


@MODELS.register_module()
class ExpMomentumEMA(ExponentialMovingAverage):
    """EMA whose momentum decays from 1 to ``momentum`` (RTMDet / RTMPose).

    At update ``t`` (``t`` = number of earlier updates, >= 1; update 0 copies
    the source weights)::

        m_t = (1 - momentum) * exp(-(1 + t) / gamma) + momentum
        averaged = averaged * (1 - m_t) + source * m_t

    Early on ``m_t`` is close to 1, so the average follows the fast-changing
    weights of the first iterations instead of remembering the random
    initialisation; after a few ``gamma`` updates it settles at ``momentum``.

    Used through mmengine's ``EMAHook(ema_type='ExpMomentumEMA', ...)``.

    Args:
        model: the model to average (deep-copied).
        momentum: final momentum, in (0, 1).
        gamma: warm-up length in updates, > 0.
        interval: update every ``interval`` calls.
        device: where to keep the averaged copy (default: the model's).
        update_buffers: average floating-point buffers (BN statistics) too;
            otherwise they are copied from the model.
    """

    def __init__(self,
                 model: nn.Module,
                 momentum: float = 0.0002,
                 gamma: int = 2000,
                 interval: int = 1,
                 device: Optional[torch.device] = None,
                 update_buffers: bool = False) -> None:
        if gamma <= 0:
            raise ValueError(f'ExpMomentumEMA: gamma must be > 0, got {gamma}')
        super().__init__(
            model=model,
            momentum=momentum,
            interval=interval,
            device=device,
            update_buffers=update_buffers)
        self.gamma = gamma

    def momentum_at(self, steps: int) -> float:
        """The momentum ``m_t`` of the update after ``steps`` earlier ones."""
        return (1 - self.momentum) * math.exp(
            -float(1 + steps) / self.gamma) + self.momentum

    def avg_func(self, averaged_param: Tensor, source_param: Tensor,
                 steps: int) -> None:
        momentum = self.momentum_at(int(steps))
        averaged_param.mul_(1 - momentum).add_(source_param, alpha=momentum)
