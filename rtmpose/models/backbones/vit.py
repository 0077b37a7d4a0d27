"""Plain Vision Transformer backbone of ViTPose (Xu et al., NeurIPS 2022)."""
from typing import Dict, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmengine.logging import print_log
from mmengine.model.weight_init import trunc_normal_
from torch import Tensor

from rtmpose.registry import MODELS
from ..layers import (TransformerEncoderLayer, WindowMultiheadSelfAttention,
                      resize_pos_embed)
from ..utils.state_dict_adapter import register_state_dict_adapter
from .base_backbone import BaseBackbone
from .vit_weights import convert_vit_backbone


@MODELS.register_module()
class VisionTransformer(BaseBackbone):
    """ViT without class token: patch embedding + learned position
    embedding -> pre-norm transformer layers -> LayerNorm -> 1/16 map.

    (N, 3, H, W) -> tuple of one (N, C, H', W') map, the tokens laid back
    on the patch grid: H' = (H + 2 * padding - patch) // stride + 1, e.g.
    16x12 for 256x192 with patch 16 and padding 2 (ViTPose), 32x24 with
    stride 8 and padding 4 (overlapping patches, a 1/8 map).

    Options of the ViTPose paper (all off by default; the default
    state_dict is unchanged): overlapping patches (``patch_cfg``),
    windowed attention (``window_cfg``), frozen attention / FFN modules
    (``frozen_modules``) and knowledge tokens (``num_knowledge_tokens``).

    The state_dict follows the reference checkpoints: ``patch_embed.
    projection``, ``pos_embed`` (1, H'*W', C), ``layers.i.{ln1, attn.qkv,
    attn.proj, ln2, ffn.layers.0.0, ffn.layers.1}``, final norm ``ln1``.
    Every ``load_state_dict`` also accepts the layouts of MAE pre-training
    and of the official ViTPose code: :meth:`adapt_state_dict` converts
    them as a pre-hook (see :mod:`.vit_weights`).

    Args:
        arch (str | dict): ``'small'``, ``'base'``, ``'large'``, ``'huge'``
            (the ViTPose sizes) or a dict with ``embed_dims``,
            ``num_layers``, ``num_heads``, ``feedforward_channels``.
        img_size (int | tuple[int, int]): (h, w) input size the position
            embedding is made for; other inputs get it resized (bicubic).
        patch_size (int): Patch side, pixels.
        in_channels (int): Input channels.
        patch_cfg (dict): ``padding`` (pixels on each side) and ``stride``
            (default ``patch_size``) of the patch convolution; a stride
            below the patch size gives overlapping patches.
        qkv_bias (bool): Bias of the qkv projections.
        drop_rate (float): Dropout after the position embedding, after the
            attention projections and in the FFNs.
        attn_drop_rate (float): Dropout on the attention weights.
        drop_path_rate (float): Stochastic depth of the last layer; it rises
            linearly from 0 over the layers.
        norm_cfg (dict): ``dict(type='LN', eps=...)``.
        final_norm (bool): LayerNorm after the last layer.
        out_type (str): ``'featmap'`` (N, C, H', W') or ``'raw'`` tokens
            (N, H'*W', C).
        window_cfg (dict, optional): windowed attention
            (:class:`WindowMultiheadSelfAttention`) in every layer except
            ``global_layers``: ``window_size`` (h, w) tokens, ``shift``
            (bool: every second windowed layer uses the shifted partition),
            ``pool`` (bool: pooled-window keys and values),
            ``global_layers`` (indices keeping full attention, e.g. (2, 5,
            8, 11) as in ViTDet). Same parameters as full attention.
        frozen_modules (Sequence[str]): parts of every layer whose
            parameters get ``requires_grad=False``: ``'attn'`` (MHSA),
            ``'ffn'``, ``'ln1'``, ``'ln2'``.
        num_knowledge_tokens (int): learnable tokens
            ``knowledge_tokens`` (1, T, D) appended to the patch tokens
            after the position embedding and dropped before the output
            (ViTPose's knowledge token distillation, Eq. 5-6).
        knowledge_token_dims (int, optional): D when it differs from the
            embedding dims (tokens of a wider teacher); a learned
            ``knowledge_proj`` Linear(D, C) maps them in. Default C.
        init_cfg (dict | list, optional): e.g. ``dict(type='Pretrained',
            checkpoint=...)`` for MAE weights (converted on load).
    """
    arch_zoo: Dict[str, dict] = {
        'small':
        dict(
            embed_dims=384,
            num_layers=12,
            num_heads=12,
            feedforward_channels=1536),
        'base':
        dict(
            embed_dims=768,
            num_layers=12,
            num_heads=12,
            feedforward_channels=3072),
        'large':
        dict(
            embed_dims=1024,
            num_layers=24,
            num_heads=16,
            feedforward_channels=4096),
        'huge':
        dict(
            embed_dims=1280,
            num_layers=32,
            num_heads=16,
            feedforward_channels=5120),
    }

    def __init__(self,
                 arch: Union[str, dict] = 'base',
                 img_size: Union[int, Sequence[int]] = (256, 192),
                 patch_size: int = 16,
                 in_channels: int = 3,
                 patch_cfg: Optional[dict] = None,
                 qkv_bias: bool = True,
                 drop_rate: float = 0.,
                 attn_drop_rate: float = 0.,
                 drop_path_rate: float = 0.,
                 norm_cfg: dict = dict(type='LN', eps=1e-6),
                 final_norm: bool = True,
                 out_type: str = 'featmap',
                 window_cfg: Optional[dict] = None,
                 frozen_modules: Sequence[str] = (),
                 num_knowledge_tokens: int = 0,
                 knowledge_token_dims: Optional[int] = None,
                 init_cfg: Optional[Union[dict, list]] = None) -> None:
        if init_cfg is None:
            init_cfg = [
                dict(type='TruncNormal', layer='Linear', std=.02, bias=0.),
                dict(type='Constant', layer='LayerNorm', val=1., bias=0.),
            ]
        super().__init__(init_cfg=init_cfg)
        self.arch_settings = self._parse_arch(arch)
        if out_type not in ('featmap', 'raw'):
            raise ValueError("VisionTransformer: out_type must be 'featmap' "
                             f"or 'raw', got {out_type!r}")
        if norm_cfg.get('type', 'LN') != 'LN':
            raise ValueError('VisionTransformer: only LayerNorm is supported,'
                             f' got norm_cfg={norm_cfg}')
        unknown = set(patch_cfg or {}) - {'padding', 'stride'}
        if unknown:
            raise KeyError(f'VisionTransformer: unknown patch_cfg keys '
                           f'{sorted(unknown)}; supported: padding, stride')
        embed_dims = self.arch_settings['embed_dims']
        num_layers = self.arch_settings['num_layers']
        norm_eps = norm_cfg.get('eps', 1e-6)

        self.embed_dims = embed_dims
        self.num_layers = num_layers
        self.img_size = ((img_size, img_size) if isinstance(img_size, int)
                         else tuple(img_size))
        self.patch_size = patch_size
        self.patch_padding = (patch_cfg or {}).get('padding', 0)
        self.patch_stride = (patch_cfg or {}).get('stride', patch_size)
        self.out_type = out_type
        self.window_cfg = self._parse_window_cfg(window_cfg, num_layers)
        if num_knowledge_tokens and self.window_cfg is not None:
            raise ValueError('VisionTransformer: knowledge tokens and '
                             'window_cfg cannot be combined (windows cover '
                             'the patch grid only)')

        self.patch_embed = nn.Module()
        self.patch_embed.projection = nn.Conv2d(
            in_channels,
            embed_dims,
            kernel_size=patch_size,
            stride=self.patch_stride,
            padding=self.patch_padding)
        self.patch_grid = self.grid_size(self.img_size)
        self.out_channels = (embed_dims, )
        self.out_strides = (self.patch_stride, )
        num_patches = self.patch_grid[0] * self.patch_grid[1]
        self.pos_embed = nn.Parameter(torch.zeros(1, num_patches, embed_dims))
        self.drop_after_pos = nn.Dropout(drop_rate)

        rates = [
            drop_path_rate * i / max(num_layers - 1, 1)
            for i in range(num_layers)
        ]
        self.layers = nn.ModuleList(
            self.make_layer(i, rates[i], qkv_bias, drop_rate, attn_drop_rate,
                            norm_eps) for i in range(num_layers))
        self.ln1 = nn.LayerNorm(
            embed_dims, eps=norm_eps) if final_norm else nn.Identity()

        self.num_knowledge_tokens = num_knowledge_tokens
        self.knowledge_proj = None
        if num_knowledge_tokens:
            token_dims = knowledge_token_dims or embed_dims
            # initialised here, not in init_weights: pre-trained weights
            # lack them and keep these values (see adapt_state_dict)
            self.knowledge_tokens = nn.Parameter(
                trunc_normal_(
                    torch.empty(1, num_knowledge_tokens, token_dims),
                    std=.02))
            if token_dims != embed_dims:
                self.knowledge_proj = nn.Linear(token_dims, embed_dims)
        self._freeze(frozen_modules)
        register_state_dict_adapter(self, 'adapt_state_dict')

    @staticmethod
    def _parse_window_cfg(window_cfg: Optional[dict],
                          num_layers: int) -> Optional[dict]:
        if window_cfg is None:
            return None
        keys = {'window_size', 'shift', 'pool', 'global_layers'}
        unknown = set(window_cfg) - keys
        if unknown or 'window_size' not in window_cfg:
            raise KeyError(f'VisionTransformer: window_cfg needs window_size'
                           f' and takes {sorted(keys)}; got {window_cfg}')
        cfg = dict(shift=False, pool=False, global_layers=())
        cfg.update(window_cfg)
        cfg['global_layers'] = tuple(cfg['global_layers'])
        wrong = [i for i in cfg['global_layers'] if not 0 <= i < num_layers]
        if wrong:
            raise ValueError(f'VisionTransformer: window_cfg global_layers '
                             f'{wrong} outside 0..{num_layers - 1}')
        return cfg

    def _freeze(self, frozen_modules: Sequence[str]) -> None:
        """``requires_grad=False`` on the named part of every layer."""
        parts = ('attn', 'ffn', 'ln1', 'ln2')
        if isinstance(frozen_modules, str):
            frozen_modules = (frozen_modules, )
        wrong = [m for m in frozen_modules if m not in parts]
        if wrong:
            raise KeyError(f'VisionTransformer: frozen_modules {wrong} are '
                           f'not layer parts; choose from {parts}')
        self.frozen_modules = tuple(frozen_modules)
        for layer in self.layers:
            for name in self.frozen_modules:
                getattr(layer, name).requires_grad_(False)

    def _parse_arch(self, arch: Union[str, dict]) -> dict:
        keys = {'embed_dims', 'num_layers', 'num_heads',
                'feedforward_channels'}
        if isinstance(arch, str):
            if arch not in self.arch_zoo:
                raise KeyError(f'VisionTransformer: unknown arch {arch!r}; '
                               f'choose from {sorted(self.arch_zoo)} or give'
                               f' a dict with {sorted(keys)}')
            return dict(self.arch_zoo[arch])
        if not isinstance(arch, dict) or set(arch) != keys:
            raise KeyError(f'VisionTransformer: an arch dict needs exactly '
                           f'the keys {sorted(keys)}, got {arch!r}')
        return dict(arch)

    def make_layer(self, index: int, drop_path_rate: float, qkv_bias: bool,
                   drop_rate: float, attn_drop_rate: float,
                   norm_eps: float) -> nn.Module:
        """Layer ``index``, with windowed attention when ``window_cfg``
        says so."""
        s = self.arch_settings
        attn = None
        window = self.window_cfg
        if window is not None and index not in window['global_layers']:
            windowed = [
                i for i in range(s['num_layers'])
                if i not in window['global_layers']
            ]
            attn = WindowMultiheadSelfAttention(
                s['embed_dims'],
                s['num_heads'],
                window['window_size'],
                shift=window['shift'] and windowed.index(index) % 2 == 1,
                pool=window['pool'],
                qkv_bias=qkv_bias,
                attn_drop=attn_drop_rate,
                proj_drop=drop_rate)
        return TransformerEncoderLayer(
            s['embed_dims'],
            s['num_heads'],
            s['feedforward_channels'],
            qkv_bias=qkv_bias,
            drop_rate=drop_rate,
            attn_drop_rate=attn_drop_rate,
            drop_path_rate=drop_path_rate,
            norm_eps=norm_eps,
            attn=attn)

    def grid_size(self, img_size: Tuple[int, int]) -> Tuple[int, int]:
        """(h, w) input pixels -> (h, w) patch grid."""
        return tuple((s + 2 * self.patch_padding - self.patch_size) //
                     self.patch_stride + 1 for s in img_size)

    def out_sizes(self, input_size: Sequence[int]) -> list:
        """[(w, h)] of the patch grid for a (w, h) input."""
        h, w = self.grid_size((input_size[1], input_size[0]))
        return [(w, h)]

    def init_weights(self) -> None:
        super().init_weights()
        pretrained = isinstance(self.init_cfg, dict) and \
            self.init_cfg.get('type') == 'Pretrained'
        if not pretrained:
            trunc_normal_(self.pos_embed, std=.02)

    def adapt_state_dict(self, state_dict: dict) -> dict:
        """Rename a foreign backbone layout (MAE, official ViTPose) to this
        module's; our own layout on this grid comes back unchanged.

        Runs on every ``load_state_dict`` (a pre-hook, see
        ``rtmpose.models.utils.state_dict_adapter``), and is called by
        ``rtmpose.checkpoint.load_state_dict`` before matching keys.
        Knowledge tokens (and their projection) absent from the weights,
        e.g. pre-trained ones, keep this module's values.
        """
        state_dict = convert_vit_backbone(
            state_dict,
            patch_grid=self.patch_grid,
            patch_size=self.patch_size)
        own = [(k, v) for k, v in self.state_dict().items()
               if k.startswith('knowledge_') and k not in state_dict]
        if own:
            print_log(
                'VisionTransformer weights: kept the model\'s own '
                f'{[k for k, _ in own]} (not in the checkpoint)',
                logger='current')
            state_dict.update(own)
        return state_dict

    def forward(self, x: Tensor) -> Tuple[Tensor]:
        """(N, 3, H, W) -> ((N, C, H', W'),) or ((N, H'*W', C),)."""
        x = self.patch_embed.projection(x)
        n, c, h, w = x.shape
        x = x.flatten(2).transpose(1, 2)
        pos_embed = resize_pos_embed(self.pos_embed, self.patch_grid, (h, w))
        x = self.drop_after_pos(x + pos_embed)
        if self.num_knowledge_tokens:
            tokens = self.knowledge_tokens
            if self.knowledge_proj is not None:
                tokens = self.knowledge_proj(tokens)
            x = torch.cat([x, tokens.to(x.dtype).expand(n, -1, -1)], dim=1)
        for layer in self.layers:
            x = layer(x, (h, w))
        x = self.ln1(x[:, :h * w])
        if self.out_type == 'raw':
            return (x, )
        # (N, L, C) -> (N, C, h, w), channels_last-strided without a copy
        return (x.reshape(n, h, w, c).permute(0, 3, 1, 2), )
