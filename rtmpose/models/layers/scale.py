"""Learned per-channel scaling."""
import torch
import torch.nn as nn
from torch import Tensor


class Scale(nn.Module):
    """Multiplies the last axis by a learned vector ``scale`` of size dim."""

    def __init__(self, dim: int, init_value: float = 1.0) -> None:
        super().__init__()
        self.scale = nn.Parameter(torch.full((dim, ), float(init_value)))

    def forward(self, x: Tensor) -> Tensor:
        return x * self.scale
