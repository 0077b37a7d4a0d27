"""Foreign ViT checkpoint layouts -> the layout of :class:`VisionTransformer`.

Two foreign layouts share the timm naming (``blocks.i.norm1``,
``blocks.i.attn.qkv``, ``blocks.i.mlp.fc1``, ``patch_embed.proj``):

- ``'timm'``, e.g. MAE pre-training: a ``cls_token``, a position embedding
  with the class token's entry first, on a square grid (14x14 at 224 with
  patch 16; ViT-H/14: patch 14, 16x16), final norm ``norm``. The class
  token and its position are dropped, the grid is resized (bicubic) to the
  model's, and smaller patch kernels are zero-padded to the model's size.
- ``'vitpose'``, the official ViTPose code: no class token but one extra
  leading position entry that its forward adds to every token
  (``x + pos[:, 1:] + pos[:, :1]``); final norm ``last_norm``. The extra
  entry is folded into the others, which gives identical outputs.

Our own layout (that of mmpretrain) passes through, except that a
``cls_token`` and its position entry are dropped and a position embedding
on another grid is resized: a square grid, or one with the aspect ratio of
the model's grid (e.g. 16x12 of a 256x192 model into 24x18 at 384x288 or
32x24 with stride-8 patches). Pre-training-only keys (``cls_token``,
``mask_token``, ``decoder*``, ``head.*``) are dropped in every layout, with
a log line naming them.
"""
import math
import re
from collections import OrderedDict
from typing import Dict, List, Optional, Tuple

import torch.nn.functional as F
from mmengine.logging import print_log
from torch import Tensor

from ..layers import resize_pos_embed
from ..utils.state_dict_adapter import rename_mmpose0_keys

_TIMM_RENAMES = (
    (r'^blocks\.(\d+)\.norm1\.', r'layers.\1.ln1.'),
    (r'^blocks\.(\d+)\.norm2\.', r'layers.\1.ln2.'),
    (r'^blocks\.(\d+)\.attn\.', r'layers.\1.attn.'),
    (r'^blocks\.(\d+)\.mlp\.fc1\.', r'layers.\1.ffn.layers.0.0.'),
    (r'^blocks\.(\d+)\.mlp\.fc2\.', r'layers.\1.ffn.layers.1.'),
    (r'^patch_embed\.proj\.', 'patch_embed.projection.'),
    (r'^(last_)?norm\.', 'ln1.'),
)
# Pre-training parts without a counterpart in a pose backbone.
_PRETRAIN_ONLY = re.compile(r'^(cls_token|mask_token|dist_token|decoder|'
                            r'head\.)')
# Wrappers some training code puts around the backbone's keys.
_WRAPPER_PREFIXES = ('module.', 'backbone.', 'encoder.')


def detect_vit_layout(state_dict: Dict[str, Tensor]) -> str:
    """``'timm'`` (has ``cls_token``), ``'vitpose'`` (official ViTPose) or
    ``'rtmpose'`` for a backbone state_dict without wrapper prefixes."""
    if any(k.startswith(('blocks.', 'patch_embed.proj.'))
           for k in state_dict):
        return 'timm' if 'cls_token' in state_dict else 'vitpose'
    return 'rtmpose'


def strip_wrapper_prefixes(state_dict: Dict[str, Tensor]) -> Dict:
    """Remove ``module.`` / ``backbone.`` / ``encoder.`` prefixes that every
    key carries."""
    changed = True
    while changed and state_dict:
        changed = False
        for prefix in _WRAPPER_PREFIXES:
            if all(k.startswith(prefix) for k in state_dict):
                state_dict = OrderedDict(
                    (k[len(prefix):], v) for k, v in state_dict.items())
                changed = True
    return state_dict


def convert_vit_backbone(state_dict: Dict[str, Tensor],
                         patch_grid: Optional[Tuple[int, int]] = None,
                         patch_size: Optional[int] = None) -> 'OrderedDict':
    """Convert a ViT backbone state_dict to the VisionTransformer layout.

    Args:
        state_dict: backbone weights (MAE / timm, official ViTPose or ours),
            possibly under ``module.`` / ``backbone.`` / ``encoder.``.
        patch_grid: (h, w) patch grid of the target model; the position
            embedding is resized to it (bicubic). ``None`` keeps the grid.
        patch_size: patch side of the target model; smaller kernels are
            zero-padded (centred) to it. ``None`` keeps the kernel.

    Returns:
        OrderedDict in our layout. Our own layout on the right grid comes
        back unchanged.
    """
    state_dict = strip_wrapper_prefixes(OrderedDict(state_dict))
    layout = detect_vit_layout(state_dict)
    notes: List[str] = []
    dropped = [k for k in state_dict if _PRETRAIN_ONLY.match(k)]
    if dropped or layout != 'rtmpose':
        out = OrderedDict()
        for key, value in state_dict.items():
            if key in dropped:
                continue
            if layout != 'rtmpose':
                for pattern, repl in _TIMM_RENAMES:
                    key = re.sub(pattern, repl, key)
            out[key] = value
        state_dict = out
        if layout != 'rtmpose':
            notes.append(f'renamed {layout} keys')
        if dropped:
            notes.append(f'dropped {dropped}')

    if 'pos_embed' in state_dict:
        state_dict['pos_embed'] = _adapt_pos_embed(state_dict['pos_embed'],
                                                   layout, patch_grid, notes)
    key = 'patch_embed.projection.weight'
    if patch_size is not None and key in state_dict:
        state_dict[key] = _pad_patch_kernel(state_dict[key], patch_size,
                                            notes)
    if notes:
        print_log(
            'VisionTransformer weights: ' + '; '.join(notes),
            logger='current')
    return state_dict


def convert_vitpose_official(state_dict: Dict[str, Tensor]) -> 'OrderedDict':
    """A whole official ViTPose model (``backbone.*``, ``keypoint_head.*``)
    -> our TopdownPoseEstimator layout (``backbone.*``, ``head.*``).

    The head layers (deconvs, BNs, final conv) keep their names; the
    backbone goes through :func:`convert_vit_backbone` on its own grid.
    """
    backbone = OrderedDict((k[len('backbone.'):], v)
                           for k, v in state_dict.items()
                           if k.startswith('backbone.'))
    if not backbone or detect_vit_layout(backbone) != 'vitpose':
        raise KeyError('convert_vitpose_official: no official ViTPose '
                       'backbone keys (backbone.blocks.*, '
                       'backbone.patch_embed.proj.*) in the checkpoint; got '
                       f'keys like {list(state_dict)[:5]}')
    out = OrderedDict(('backbone.' + k, v)
                      for k, v in convert_vit_backbone(backbone).items())
    out.update(
        rename_mmpose0_keys({
            k: v
            for k, v in state_dict.items() if not k.startswith('backbone.')
        }))
    return out


def _adapt_pos_embed(pos_embed: Tensor, layout: str,
                     patch_grid: Optional[Tuple[int, int]],
                     notes: List[str]) -> Tensor:
    """Drop / fold the leading non-grid entry and resize to ``patch_grid``."""
    if pos_embed.ndim != 3 or pos_embed.shape[0] != 1:
        raise ValueError('VisionTransformer weights: pos_embed must be '
                         f'(1, L, C), got {tuple(pos_embed.shape)}')
    length = pos_embed.shape[1]
    target = patch_grid[0] * patch_grid[1] if patch_grid else None
    if layout == 'vitpose':
        # the official forward adds entry 0 to every token
        pos_embed = pos_embed[:, 1:] + pos_embed[:, :1]
        notes.append('folded the extra pos_embed entry into the grid')
    elif layout == 'timm' or (length != target and _is_square(length - 1)):
        pos_embed = pos_embed[:, 1:]
        notes.append("dropped the class token's pos_embed entry")
    length = pos_embed.shape[1]
    if patch_grid is None or length == target:
        return pos_embed
    src_grid = _source_grid(length, patch_grid)
    notes.append(f'resized pos_embed {src_grid[0]}x{src_grid[1]} -> '
                 f'{patch_grid[0]}x{patch_grid[1]} (bicubic)')
    return resize_pos_embed(pos_embed, src_grid, patch_grid)


def _source_grid(length: int, patch_grid: Tuple[int, int]) -> Tuple[int, int]:
    """The (h, w) grid of ``length`` stored tokens: square if it can be,
    else the factorisation with the aspect ratio of ``patch_grid`` (the
    only one a checkpoint of the same recipe at another size can have)."""
    if _is_square(length):
        side = math.isqrt(length)
        return side, side
    ratio = patch_grid[0] * length
    for h in range(1, length + 1):
        # h / (length / h) == gh / gw  <=>  h * h * gw == gh * length
        if length % h == 0 and h * h * patch_grid[1] == ratio:
            return h, length // h
    raise ValueError(
        f'VisionTransformer weights: cannot resize pos_embed of {length} '
        f'grid tokens to the {patch_grid[0]}x{patch_grid[1]} patch grid: '
        'its grid is not square and not of that aspect ratio, so its '
        'shape is unknown')


def _pad_patch_kernel(weight: Tensor, patch_size: int,
                      notes: List[str]) -> Tensor:
    """Zero-pad a (C, 3, p, p) patch kernel to (C, 3, P, P), centred."""
    p = weight.shape[-1]
    if p == patch_size:
        return weight
    if p > patch_size or weight.shape[-2] != p:
        raise ValueError(
            'VisionTransformer weights: patch_embed kernel '
            f'{tuple(weight.shape[-2:])} cannot be padded to '
            f'{patch_size}x{patch_size}')
    before = (patch_size - p) // 2
    after = patch_size - p - before
    notes.append(f'zero-padded patch kernel {p}x{p} -> '
                 f'{patch_size}x{patch_size}')
    return F.pad(weight, (before, after, before, after))


def _is_square(n: int) -> bool:
    return n > 0 and math.isqrt(n)**2 == n

