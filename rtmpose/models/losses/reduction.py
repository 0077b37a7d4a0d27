"""Weighting and averaging of per-element losses (detection losses)."""
from typing import Optional

import torch
from torch import Tensor


def weight_reduce_loss(loss: Tensor,
                       weight: Optional[Tensor] = None,
                       reduction: str = 'mean',
                       avg_factor: Optional[float] = None) -> Tensor:
    """``loss * weight`` reduced by ``reduction``.

    With ``avg_factor`` and ``'mean'`` the weighted sum is divided by
    ``avg_factor + eps`` (float32 eps, as the reference does, so that an
    avg_factor of 0 gives 0 rather than NaN); ``'sum'`` ignores it.
    """
    if weight is not None:
        loss = loss * weight
    if reduction == 'none':
        return loss
    if reduction == 'sum':
        return loss.sum()
    if reduction != 'mean':
        raise ValueError(f'reduction must be "none", "mean" or "sum", got '
                         f'{reduction!r}')
    if avg_factor is None:
        return loss.mean()
    return loss.sum() / (avg_factor + torch.finfo(torch.float32).eps)
