"""Windowed self-attention on the token grid, with shifted and pooled
windows (the attention variants of ViTPose, Table 4)."""
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from torch import Tensor

from .transformer import MultiheadSelfAttention


class WindowMultiheadSelfAttention(MultiheadSelfAttention):
    """Self-attention restricted to (wh, ww) windows of the (h, w) grid.

    Same parameters (and state_dict keys ``qkv``, ``proj``) as
    :class:`MultiheadSelfAttention`, so full-attention weights load as they
    are. The grid is zero-padded at the bottom / right to whole windows;
    padded tokens never serve as keys.

    - ``shift``: the partition is offset by half a window (Swin): the grid
      is rolled by (-wh // 2, -ww // 2) and tokens that the roll brought
      together from opposite borders do not attend to each other. Tokens
      then group as in a partition whose windows start at
      ``-(wh // 2), -(ww // 2)``, clipped at the borders.
    - ``pool``: every window also attends to one pooled key / value per
      window (the mean over that window's real tokens), which carries
      global context across windows without extra parameters.

    A window that covers the whole grid (sides clipped to the grid) is
    exactly full attention: shift and pool, which exist to exchange
    information between windows, are then skipped.

    Args:
        embed_dims (int): Token channels C.
        num_heads (int): Attention heads.
        window_size (int | tuple[int, int]): (wh, ww) tokens.
        shift (bool): Shifted partition.
        pool (bool): Pooled-window keys and values.
        qkv_bias, attn_drop, proj_drop: as :class:`MultiheadSelfAttention`.
    """

    def __init__(self,
                 embed_dims: int,
                 num_heads: int,
                 window_size: Union[int, Sequence[int]],
                 shift: bool = False,
                 pool: bool = False,
                 qkv_bias: bool = True,
                 attn_drop: float = 0.,
                 proj_drop: float = 0.) -> None:
        super().__init__(embed_dims, num_heads, qkv_bias, attn_drop,
                         proj_drop)
        if isinstance(window_size, int):
            window_size = (window_size, window_size)
        window_size = tuple(int(s) for s in window_size)
        if len(window_size) != 2 or min(window_size) < 1:
            raise ValueError('WindowMultiheadSelfAttention: window_size must '
                             'be a positive int or (h, w), got '
                             f'{window_size}')
        self.window_size = window_size
        self.shift = shift
        self.pool = pool

    def extra_repr(self) -> str:
        return (f'window_size={self.window_size}, shift={self.shift}, '
                f'pool={self.pool}')

    def forward(self, x: Tensor,
                hw: Optional[Tuple[int, int]] = None) -> Tensor:
        """(N, h*w, C) tokens (row-major grid) -> (N, h*w, C)."""
        if hw is None:
            raise ValueError('WindowMultiheadSelfAttention needs the (h, w) '
                             'token grid')
        n, length, c = x.shape
        h, w = hw
        if length != h * w:
            raise ValueError(f'WindowMultiheadSelfAttention: {length} tokens '
                             f'do not fill the {h}x{w} grid (extra tokens '
                             'are not supported)')
        wh, ww = min(self.window_size[0], h), min(self.window_size[1], w)
        if (wh, ww) == (h, w):
            return super().forward(x)
        shift = (wh // 2, ww // 2) if self.shift else (0, 0)
        pad_h, pad_w = (-h) % wh, (-w) % ww
        hp, wp = h + pad_h, w + pad_w
        nwh, nww = hp // wh, wp // ww
        heads = self.num_heads

        grid = F.pad(self.qkv(x).reshape(n, h, w, 3 * c),
                     (0, 0, 0, pad_w, 0, pad_h))
        if self.shift:
            grid = torch.roll(grid, (-shift[0], -shift[1]), dims=(1, 2))
        # (N, Hp, Wp, 3C) -> 3 x (N, windows, heads, wh*ww, C / heads)
        q, k, v = grid.reshape(n, nwh, wh, nww, ww, 3, heads, -1).permute(
            5, 0, 1, 3, 6, 2, 4, 7).reshape(3, n, nwh * nww, heads, wh * ww,
                                            -1)

        valid, mask = self._window_masks(h, w, (wh, ww), shift, x.device)
        if self.pool:
            # per window, the mean key / value over its real tokens;
            # every window sees all of them
            weight = (valid / valid.sum(-1, keepdim=True)).to(k.dtype)
            weight = weight[None, :, None, :, None]
            pooled_k = (k * weight).sum(-2).transpose(1, 2)
            pooled_v = (v * weight).sum(-2).transpose(1, 2)
            num_windows = nwh * nww
            k = torch.cat([k, pooled_k[:, None].expand(
                -1, num_windows, -1, -1, -1)], dim=-2)
            v = torch.cat([v, pooled_v[:, None].expand(
                -1, num_windows, -1, -1, -1)], dim=-2)
            if mask is not None:
                mask = torch.cat([mask, mask.new_ones(
                    mask.shape[:2] + (num_windows, ))], dim=-1)
        out = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=None if mask is None else mask[:, None],
            dropout_p=self.attn_drop if self.training else 0.)

        # (N, windows, heads, wh*ww, C / heads) -> (N, Hp, Wp, C)
        out = out.reshape(n, nwh, nww, heads, wh, ww, -1).permute(
            0, 1, 4, 2, 5, 3, 6).reshape(n, hp, wp, c)
        if self.shift:
            out = torch.roll(out, shift, dims=(1, 2))
        out = out[:, :h, :w].reshape(n, length, c)
        return self.proj_drop(self.proj(out))

    @staticmethod
    def _window_masks(h: int, w: int, window: Tuple[int, int],
                      shift: Tuple[int, int], device
                      ) -> Tuple[Tensor, Optional[Tensor]]:
        """Per window, which of its tokens are real (not padding), and which
        key each query may attend to.

        Returns:
            valid (Tensor): (windows, wh*ww) bool.
            mask (Tensor | None): (windows, wh*ww, wh*ww) bool, True where
            query i may attend to key j; None when every pair may.
        """
        wh, ww = window
        hp, wp = h + (-h) % wh, w + (-w) % ww
        # small integer maps: built on the CPU, whatever the input's device
        rows, cols = torch.arange(hp), torch.arange(wp)
        real = (rows[:, None] < h) & (cols[None, :] < w)
        # Swin regions on the rolled grid: the last window of each axis
        # holds border tokens that the roll wrapped around
        region = torch.zeros(hp, wp, dtype=torch.long)
        if any(shift):
            region_rows = torch.bucketize(
                rows, torch.tensor([hp - wh, hp - shift[0]]), right=True)
            region_cols = torch.bucketize(
                cols, torch.tensor([wp - ww, wp - shift[1]]), right=True)
            region = region_rows[:, None] * 3 + region_cols[None, :]
            real = torch.roll(real, (-shift[0], -shift[1]), dims=(0, 1))

        def windows(t: Tensor) -> Tensor:
            return t.reshape(hp // wh, wh, wp // ww, ww).transpose(
                1, 2).reshape(-1, wh * ww)

        valid, region = windows(real), windows(region)
        if (hp, wp) == (h, w) and not any(shift):
            return valid.to(device), None
        mask = (region[:, :, None] == region[:, None, :]) & valid[:, None, :]
        # A padded query can be left without any key (a window part of
        # padding only); let it see all keys so that softmax gives no NaN,
        # which would reach the real keys' gradients. Its output is cropped.
        mask |= ~mask.any(-1, keepdim=True)
        return valid.to(device), mask.to(device)
