"""Windowed, shifted and pooled-window attention against explicit
references computed with full attention and masks."""
import pytest
import torch

from rtmpose.models.backbones import VisionTransformer
from rtmpose.models.layers import (MultiheadSelfAttention,
                                   WindowMultiheadSelfAttention)

C, HEADS = 16, 2
TINY = dict(embed_dims=C, num_layers=6, num_heads=HEADS,
            feedforward_channels=32)


def make_pair(**window):
    """A windowed attention and a full one with the same weights."""
    torch.manual_seed(0)
    attn = WindowMultiheadSelfAttention(C, HEADS, **window).eval()
    full = MultiheadSelfAttention(C, HEADS).eval()
    full.load_state_dict(attn.state_dict())
    return attn, full


def reference(attn, x, allowed, extra_kv=None):
    """Explicit softmax attention of tokens x (1, L, C) where query i sees
    key j iff allowed[i, j]; ``extra_kv`` = (k, v) (heads, E, d) keys and
    values that every query sees as well."""
    length = x.shape[1]
    q, k, v = attn.qkv(x).reshape(1, length, 3, HEADS, -1).permute(
        2, 0, 3, 1, 4)
    q, k, v = q[0], k[0], v[0]  # (heads, L, d)
    logits = q @ k.transpose(-2, -1) / (C // HEADS)**0.5
    logits = logits.masked_fill(~allowed, float('-inf'))
    if extra_kv is not None:
        ek, ev = extra_kv
        logits = torch.cat([logits, q @ ek.transpose(-2, -1) /
                            (C // HEADS)**0.5], dim=-1)
        v = torch.cat([v, ev], dim=1)
    out = (logits.softmax(-1) @ v).transpose(0, 1).reshape(1, length, C)
    return attn.proj(out)


def grid_groups(h, w, window, offset):
    """Window index of every token of the (h, w) grid for a partition whose
    windows start at -offset (clipped at the borders), (h*w,)."""
    ys, xs = torch.meshgrid(torch.arange(h), torch.arange(w), indexing='ij')
    gy = (ys + window[0] - offset[0]) // window[0]
    gx = (xs + window[1] - offset[1]) // window[1]
    return (gy * 1000 + gx).flatten()


@pytest.mark.parametrize('window', [(6, 4), (9, 8), 32])
def test_window_covering_the_map_is_full_attention(window):
    attn, full = make_pair(window_size=window, shift=True, pool=True)
    x = torch.randn(2, 6 * 4, C)
    with torch.no_grad():
        diff = (attn(x, (6, 4)) - full(x)).abs().max().item()
    assert diff < 1e-5


@pytest.mark.parametrize('shift', [False, True])
def test_windows_equal_masked_full_attention(shift):
    # 7x5 grid, 4x3 windows: padded to 8x6; shifted by (2, 1)
    h, w, window = 7, 5, (4, 3)
    attn, _ = make_pair(window_size=window, shift=shift)
    x = torch.randn(1, h * w, C)
    offset = (2, 1) if shift else (0, 0)
    groups = grid_groups(h, w, window, offset)
    allowed = groups[:, None] == groups[None, :]
    with torch.no_grad():
        got = attn(x, (h, w))
        ref = reference(attn, x, allowed)
        # a token attends to some but not all others
        assert 0 < allowed.float().mean() < 0.5
        assert (got - ref).abs().max().item() < 1e-5
        # and the masking matters: full attention is far off
        unmasked = reference(attn, x, torch.ones_like(allowed))
        assert (got - unmasked).abs().max() > 1e-3


def test_pooled_windows_add_one_key_per_window():
    h, w, window = 7, 5, (4, 3)
    attn, _ = make_pair(window_size=window, pool=True)
    x = torch.randn(1, h * w, C)
    groups = grid_groups(h, w, window, (0, 0))
    allowed = groups[:, None] == groups[None, :]
    with torch.no_grad():
        k, v = attn.qkv(x).reshape(1, h * w, 3, HEADS, -1).permute(
            2, 0, 3, 1, 4)[1:, 0]
        # mean key / value of each window's real tokens
        pooled = [(k[:, groups == g].mean(1), v[:, groups == g].mean(1))
                  for g in groups.unique()]
        extra = (torch.stack([p[0] for p in pooled], 1),
                 torch.stack([p[1] for p in pooled], 1))
        assert extra[0].shape == (HEADS, 4, C // HEADS)
        got = attn(x, (h, w))
        ref = reference(attn, x, allowed, extra)
    assert (got - ref).abs().max().item() < 1e-5


def test_padded_query_without_keys_gives_finite_gradients():
    # grid 11x3, window 8x3 shifted by 4 rows: the window part holding the
    # wrapped-around rows 12..15 is padding only
    attn, _ = make_pair(window_size=(8, 3), shift=True, pool=True)
    x = torch.randn(2, 11 * 3, C, requires_grad=True)
    out = attn(x, (11, 3))
    out.square().sum().backward()
    assert torch.isfinite(out).all()
    assert torch.isfinite(x.grad).all() and x.grad.abs().sum() > 0


def test_backbone_window_layers_and_unchanged_state_dict():
    # 64x48 input -> 4x3 grid: 2x2 windows, padded to 4x4
    window_cfg = dict(window_size=(2, 2), shift=True, pool=True,
                      global_layers=(2, 5))
    vit = VisionTransformer(arch=TINY, img_size=(64, 48),
                            window_cfg=window_cfg)
    plain = VisionTransformer(arch=TINY, img_size=(64, 48))
    kinds = [(type(layer.attn).__name__, getattr(layer.attn, 'shift', None))
             for layer in vit.layers]
    assert kinds == [
        ('WindowMultiheadSelfAttention', False),
        ('WindowMultiheadSelfAttention', True),
        ('MultiheadSelfAttention', None),
        ('WindowMultiheadSelfAttention', False),
        ('WindowMultiheadSelfAttention', True),
        ('MultiheadSelfAttention', None),
    ]
    shapes = {k: v.shape for k, v in vit.state_dict().items()}
    assert shapes == {k: v.shape for k, v in plain.state_dict().items()}
    # same weights: windows change the output, a whole-map window does not
    plain.load_state_dict(vit.state_dict())
    whole = VisionTransformer(
        arch=TINY, img_size=(64, 48),
        window_cfg=dict(window_size=(4, 3), shift=True, pool=True))
    whole.load_state_dict(vit.state_dict())
    vit.eval(), plain.eval(), whole.eval()
    x = torch.randn(1, 3, 64, 48)
    with torch.no_grad():
        ref = plain(x)[0]
        assert (vit(x)[0] - ref).abs().max() > 1e-3
        # one 4x3 window covers the grid
        assert (whole(x)[0] - ref).abs().max() < 1e-5


def test_bad_window_cfg_rejected():
    with pytest.raises(KeyError, match='window_size'):
        VisionTransformer(arch=TINY, window_cfg=dict(shift=True))
    with pytest.raises(ValueError, match='global_layers'):
        VisionTransformer(arch=TINY,
                          window_cfg=dict(window_size=4, global_layers=(6, )))
    attn = WindowMultiheadSelfAttention(C, HEADS, window_size=2)
    with pytest.raises(ValueError, match='grid'):
        attn(torch.randn(1, 10, C))
