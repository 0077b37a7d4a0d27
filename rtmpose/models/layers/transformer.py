"""Pre-norm transformer encoder layer of the plain Vision Transformer."""
from typing import Optional, Tuple

import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn.bricks import DropPath
from torch import Tensor


class MultiheadSelfAttention(nn.Module):
    """Self-attention over (N, L, C) tokens with a fused qkv projection.

    The attention itself runs in
    :func:`torch.nn.functional.scaled_dot_product_attention` (fused kernels
    where available).

    Args:
        embed_dims (int): Token channels C.
        num_heads (int): Heads; C must divide by it.
        qkv_bias (bool): Bias of the qkv projection.
        attn_drop (float): Dropout on the attention weights (training).
        proj_drop (float): Dropout after the output projection.
    """

    def __init__(self,
                 embed_dims: int,
                 num_heads: int,
                 qkv_bias: bool = True,
                 attn_drop: float = 0.,
                 proj_drop: float = 0.) -> None:
        super().__init__()
        if embed_dims % num_heads:
            raise ValueError(f'MultiheadSelfAttention: embed_dims '
                             f'{embed_dims} is not divisible by num_heads '
                             f'{num_heads}')
        self.num_heads = num_heads
        self.attn_drop = attn_drop
        self.qkv = nn.Linear(embed_dims, embed_dims * 3, bias=qkv_bias)
        self.proj = nn.Linear(embed_dims, embed_dims)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self, x: Tensor,
                hw: Optional[Tuple[int, int]] = None) -> Tensor:
        """(N, L, C) -> (N, L, C). ``hw``, the (h, w) token grid, is for
        windowed subclasses; full attention does not need it."""
        n, length, c = x.shape
        # (N, L, 3C) -> 3 x (N, heads, L, C / heads)
        q, k, v = self.qkv(x).reshape(n, length, 3, self.num_heads,
                                      -1).permute(2, 0, 3, 1, 4)
        x = F.scaled_dot_product_attention(
            q, k, v, dropout_p=self.attn_drop if self.training else 0.)
        x = x.transpose(1, 2).reshape(n, length, c)
        return self.proj_drop(self.proj(x))


class FFN(nn.Module):
    """Linear -> GELU -> dropout -> Linear -> dropout on (N, L, C) tokens.

    ``layers`` is nested as ``[[fc1, act, drop], fc2, drop]`` so that the
    state_dict keys read ``layers.0.0.*`` and ``layers.1.*``, the layout of
    the reference checkpoints.
    """

    def __init__(self,
                 embed_dims: int,
                 feedforward_channels: int,
                 drop: float = 0.) -> None:
        super().__init__()
        self.layers = nn.Sequential(
            nn.Sequential(
                nn.Linear(embed_dims, feedforward_channels), nn.GELU(),
                nn.Dropout(drop)),
            nn.Linear(feedforward_channels, embed_dims), nn.Dropout(drop))

    def forward(self, x: Tensor) -> Tensor:
        return self.layers(x)


class TransformerEncoderLayer(nn.Module):
    """``x + attn(ln1(x))`` then ``x + ffn(ln2(x))``, each branch with
    stochastic depth.

    Args:
        embed_dims (int): Token channels C.
        num_heads (int): Attention heads.
        feedforward_channels (int): Hidden channels of the FFN.
        qkv_bias (bool): Bias of the qkv projection.
        drop_rate (float): Dropout after the attention projection and in
            the FFN.
        attn_drop_rate (float): Dropout on the attention weights.
        drop_path_rate (float): Stochastic depth rate of both branches.
        norm_eps (float): LayerNorm epsilon.
        attn (nn.Module, optional): Replaces the default
            :class:`MultiheadSelfAttention` (e.g. a windowed variant); it
            maps (N, L, C) tokens and the (h, w) grid to (N, L, C).
    """

    def __init__(self,
                 embed_dims: int,
                 num_heads: int,
                 feedforward_channels: int,
                 qkv_bias: bool = True,
                 drop_rate: float = 0.,
                 attn_drop_rate: float = 0.,
                 drop_path_rate: float = 0.,
                 norm_eps: float = 1e-6,
                 attn: Optional[nn.Module] = None) -> None:
        super().__init__()
        self.ln1 = nn.LayerNorm(embed_dims, eps=norm_eps)
        self.attn = attn if attn is not None else MultiheadSelfAttention(
            embed_dims, num_heads, qkv_bias, attn_drop_rate, drop_rate)
        self.ln2 = nn.LayerNorm(embed_dims, eps=norm_eps)
        self.ffn = FFN(embed_dims, feedforward_channels, drop_rate)
        self.drop_path = DropPath(
            drop_path_rate) if drop_path_rate > 0 else nn.Identity()

    def forward(self, x: Tensor,
                hw: Optional[Tuple[int, int]] = None) -> Tensor:
        """(N, L, C) -> (N, L, C); ``hw`` is the (h, w) token grid that
        windowed attention needs."""
        x = x + self.drop_path(self.attn(self.ln1(x), hw))
        return x + self.drop_path(self.ffn(self.ln2(x)))
