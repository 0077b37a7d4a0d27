"""Gated Attention Unit (GAU) over keypoint tokens, as used in RTMCCHead."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn.bricks import DropPath
from torch import Tensor

from .scale import Scale
from .scale_norm import ScaleNorm


def rotary_position_encoding(x: Tensor, dim: int = 1) -> Tensor:
    """Rotate feature pairs of ``x`` by angles growing with the position
    along axis ``dim`` (rotary position embedding).

    The last axis (even size 2h) is split into halves (x1, x2) rotated by
    ``pos * 10000 ** (i / h)``, i < h: the frequency table of the reference
    RTMCC block, kept so that its weights trained with ``pos_enc`` transfer.
    Axes between ``dim`` and the last one share the angle.
    """
    half = x.shape[-1] // 2
    position = torch.arange(x.shape[dim], dtype=x.dtype, device=x.device)
    position = position.reshape((-1, ) + (1, ) * (x.dim() - dim - 2))
    freq = 10000.0**(
        torch.arange(half, dtype=x.dtype, device=x.device) / half)
    angle = position[..., None] * freq
    sin, cos = angle.sin(), angle.cos()
    x1, x2 = x[..., :half], x[..., half:2 * half]
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1)


class RTMCCBlock(nn.Module):
    """Self-attention GAU on (N, K, C) tokens.

    ``z = ScaleNorm(x)``; ``u, v, base = split(act(z @ uv), [e, e, s])``;
    ``q, k = base * gamma + beta`` (two cheap per-dim affine maps);
    ``A = relu(q k^T / sqrt(s)) ** 2`` (K, K); ``out = o(u * (A v))``;
    with in == out dims the block is residual: ``res_scale(x) + out``.

    The RTMPose paper writes ``A`` with an extra ``1 / n`` factor; the
    published RTMPose weights were trained without it, so it is left out
    here to keep those checkpoints working unchanged.

    Args:
        num_token (int): Number of tokens K (keypoints).
        in_token_dims (int): Input channels C.
        out_token_dims (int): Output channels.
        expansion_factor (float): ``e = int(in_token_dims * expansion)``.
        s (int): Query/key dimension.
        eps (float): ScaleNorm epsilon.
        dropout_rate (float): Dropout on the attention matrix.
        drop_path (float): Stochastic depth rate of the residual branch.
        act_fn (str): 'SiLU' or 'ReLU' after the ``uv`` projection.
        bias (bool): Biases in the ``uv`` and ``o`` projections.
        use_rel_bias (bool): Learned relative-position bias on ``q k^T``
            (parameter ``w`` of size 2K - 1; for n <= K tokens
            ``bias[i, j] = w[j - i + n - 1]``).
        pos_enc (bool): Rotary position encoding of q and k.
    """

    def __init__(self,
                 num_token: int,
                 in_token_dims: int,
                 out_token_dims: int,
                 expansion_factor: float = 2,
                 s: int = 128,
                 eps: float = 1e-5,
                 dropout_rate: float = 0.,
                 drop_path: float = 0.,
                 act_fn: str = 'SiLU',
                 bias: bool = False,
                 use_rel_bias: bool = True,
                 pos_enc: bool = False) -> None:
        super().__init__()
        activations = {'SiLU': nn.SiLU, 'ReLU': nn.ReLU}
        if act_fn not in activations:
            raise ValueError(f'RTMCCBlock: act_fn must be one of '
                             f'{sorted(activations)}, got {act_fn!r}')
        self.s = s
        self.e = int(in_token_dims * expansion_factor)
        self.num_token = num_token
        self.use_rel_bias = use_rel_bias
        self.pos_enc = pos_enc
        self.sqrt_s = math.sqrt(s)

        if use_rel_bias:
            self.w = nn.Parameter(torch.rand(2 * num_token - 1))
        self.o = nn.Linear(self.e, out_token_dims, bias=bias)
        self.uv = nn.Linear(in_token_dims, 2 * self.e + s, bias=bias)
        self.gamma = nn.Parameter(torch.rand(2, s))
        self.beta = nn.Parameter(torch.rand(2, s))
        self.ln = ScaleNorm(in_token_dims, eps=eps)
        self.act_fn = activations[act_fn]()
        self.dropout = nn.Dropout(dropout_rate) if dropout_rate > 0 else None
        self.drop_path = DropPath(drop_path) if drop_path > 0 else None
        self.res_scale = (
            Scale(in_token_dims) if in_token_dims == out_token_dims else None)
        nn.init.xavier_uniform_(self.uv.weight)

    def rel_pos_bias(self, seq_len: int) -> Tensor:
        """(seq_len, seq_len) Toeplitz bias ``w[j - i + seq_len - 1]``."""
        if seq_len > self.num_token:
            raise ValueError(f'RTMCCBlock: {seq_len} tokens exceed the '
                             f'num_token={self.num_token} of the bias table')
        idx = torch.arange(seq_len, device=self.w.device)
        return self.w[idx[None, :] - idx[:, None] + seq_len - 1]

    def _attend(self, x: Tensor) -> Tensor:
        x = self.ln(x)
        uv = self.act_fn(self.uv(x))
        u, v, base = torch.split(uv, [self.e, self.e, self.s], dim=-1)
        # (N, K, 1, s) * (2, s) + (2, s) -> (N, K, 2, s): q and k at once
        base = base.unsqueeze(2) * self.gamma + self.beta
        if self.pos_enc:
            base = rotary_position_encoding(base, dim=1)
        q, k = base.unbind(dim=2)
        qk = torch.bmm(q, k.transpose(1, 2))
        if self.use_rel_bias:
            qk = qk + self.rel_pos_bias(qk.shape[1])
        kernel = F.relu(qk / self.sqrt_s).square()
        if self.dropout is not None:
            kernel = self.dropout(kernel)
        return self.o(u * torch.bmm(kernel, v))

    def forward(self, x: Tensor) -> Tensor:
        """(N, K, in_token_dims) -> (N, K, out_token_dims)."""
        out = self._attend(x)
        if self.drop_path is not None:
            out = self.drop_path(out)
        return self.res_scale(x) + out if self.res_scale is not None else out
