"""ScaleNorm: L2 normalisation with one learned gain."""
import torch
import torch.nn as nn
from torch import Tensor


class ScaleNorm(nn.Module):
    """``g * x / max(||x||_2 / sqrt(dim), eps)`` over the last axis.

    Args:
        dim (int): Size of the last axis (sets the ``sqrt(dim)`` scaling).
        eps (float): Lower bound of the scaled norm.
    """

    def __init__(self, dim: int, eps: float = 1e-5) -> None:
        super().__init__()
        self.scale = dim**-0.5
        self.eps = eps
        self.g = nn.Parameter(torch.ones(1))

    def forward(self, x: Tensor) -> Tensor:
        norm = torch.linalg.vector_norm(x, dim=-1, keepdim=True) * self.scale
        return x / norm.clamp(min=self.eps) * self.g
