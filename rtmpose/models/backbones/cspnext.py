"""CSPNeXt backbone (RTMDet / RTMPose)."""
from typing import Optional, Sequence, Tuple

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule, DepthwiseSeparableConvModule
from torch import Tensor
from torch.nn.modules.batchnorm import _BatchNorm

from rtmpose.registry import MODELS
from ..utils import enable_conv_bn_folding
from .base_backbone import BaseBackbone
from .csp_layer import CSPNEXT_INIT_CFG, CSPLayer
from .spp_bottleneck import SPPBottleneck


@MODELS.register_module()
class CSPNeXt(BaseBackbone):
    """CSPNeXt: a 3-conv stem (stride 2) and stages ``stage1..stageN``.

    Each stage is ``[3x3 stride-2 conv, (SPPBottleneck), CSPLayer]``, so
    stage i has stride ``2 ** (i + 1)``. Output index 0 is the stem,
    index i the i-th stage; index 4 of P5 is the stride-32 map, e.g.
    (N, 1024 * widen_factor, 8, 6) for a (N, 3, 256, 192) input
    (``out_strides`` and ``out_channels`` declare each returned map's).

    For CPU speed the convolutions run in channels_last (NHWC) memory
    format: conv weights are stored NHWC-strided (same shapes and state_dict
    keys), the outputs are NHWC-strided too, and in eval mode without
    autograd each BN is folded into its conv
    (:func:`~rtmpose.models.utils.enable_conv_bn_folding`).

    Training on CPU runs NCHW (weights and maps switch with the mode, in
    place, so optimizers keep their parameters): CPU BatchNorm in train mode
    over NHWC tensors is about 100x less accurate in float32 (RTMPose-t, one
    batch of 4: gradient norms 5.6e-3 from float64 in channels_last, 1.8e-5
    in NCHW), which takes one step's loss 2.2e-5 (relative) from the
    reference's, over issue 10's 1e-5. Training curves from one seed do not
    show it (200 AdamW steps: both float32 runs drift from the float64 run
    alike, by chaos, from step 20 on; ``tools/analysis/train_precision.py``)
    and NCHW costs 20-40% CPU training speed, so
    ``channels_last_train=True`` keeps the faster path as an option.

    Args:
        arch (str): 'P5' or 'P6'.
        deepen_factor (float): Blocks per CSP layer =
            ``max(round(num_blocks * deepen_factor), 1)``.
        widen_factor (float): Channel multiplier.
        out_indices (Sequence[int]): Which of stem/stages to return.
        frozen_stages (int): Freeze stem..stage{frozen_stages}
            (eval mode, no grad); -1 freezes nothing.
        use_depthwise (bool): Depthwise-separable downsampling and block convs.
        expand_ratio (float): Hidden channel ratio of the CSP layers.
        arch_ovewrite (list, optional): Replaces the arch table; rows are
            ``[in_channels, out_channels, num_blocks, add_identity, use_spp]``.
        spp_kernel_sizes (Sequence[int]): Max-pool kernels of the SPP.
        channel_attention (bool): Channel attention in every CSP layer.
        norm_eval (bool): Keep BN layers in eval mode while training.
        channels_last_train (bool): Train in channels_last on CPU too
            (faster depthwise weight gradients, less accurate BatchNorm).
            Off by default; GPU training always uses channels_last.
        init_cfg (dict, optional): e.g. ``dict(type='Pretrained',
            prefix='backbone.', checkpoint=...)``; None (training from
            scratch): the convs' Kaiming init, as when the key is absent.
    """
    arch_settings = {
        'P5': [[64, 128, 3, True, False], [128, 256, 6, True, False],
               [256, 512, 6, True, False], [512, 1024, 3, False, True]],
        'P6': [[64, 128, 3, True, False], [128, 256, 6, True, False],
               [256, 512, 6, True, False], [512, 768, 3, True, False],
               [768, 1024, 3, False, True]],
    }

    def __init__(self,
                 arch: str = 'P5',
                 deepen_factor: float = 1.0,
                 widen_factor: float = 1.0,
                 out_indices: Sequence[int] = (2, 3, 4),
                 frozen_stages: int = -1,
                 use_depthwise: bool = False,
                 expand_ratio: float = 0.5,
                 arch_ovewrite: Optional[list] = None,
                 spp_kernel_sizes: Sequence[int] = (5, 9, 13),
                 channel_attention: bool = True,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN', momentum=0.03, eps=0.001),
                 act_cfg: dict = dict(type='SiLU'),
                 norm_eval: bool = False,
                 channels_last_train: bool = False,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(
            init_cfg=CSPNEXT_INIT_CFG if init_cfg is None else init_cfg)
        if arch not in self.arch_settings and not arch_ovewrite:
            raise KeyError(f'CSPNeXt: unknown arch {arch!r}, expected one of '
                           f'{sorted(self.arch_settings)}')
        arch_setting = arch_ovewrite or self.arch_settings[arch]
        num_layers = len(arch_setting) + 1
        if not set(out_indices) <= set(range(num_layers)):
            raise ValueError(f'CSPNeXt: out_indices {tuple(out_indices)} must '
                             f'lie in [0, {num_layers - 1}]')
        if frozen_stages not in range(-1, num_layers):
            raise ValueError(f'CSPNeXt: frozen_stages must be in [-1, '
                             f'{num_layers - 1}], got {frozen_stages}')
        self.out_indices = tuple(out_indices)
        self.frozen_stages = frozen_stages
        self.norm_eval = norm_eval
        common = dict(conv_cfg=conv_cfg, norm_cfg=norm_cfg, act_cfg=act_cfg)
        conv = DepthwiseSeparableConvModule if use_depthwise else ConvModule

        stem_channels = int(arch_setting[0][0] * widen_factor)
        self.stem = nn.Sequential(
            ConvModule(
                3, stem_channels // 2, 3, stride=2, padding=1, **common),
            ConvModule(stem_channels // 2, stem_channels // 2, 3, padding=1,
                       **common),
            ConvModule(stem_channels // 2, stem_channels, 3, padding=1,
                       **common))
        self.layers = ['stem']
        channels = [stem_channels]  # per layer index

        for i, (in_channels, out_channels, num_blocks, add_identity,
                use_spp) in enumerate(arch_setting):
            in_channels = int(in_channels * widen_factor)
            out_channels = int(out_channels * widen_factor)
            stage = [
                conv(in_channels, out_channels, 3, stride=2, padding=1,
                     **common)
            ]
            if use_spp:
                stage.append(
                    SPPBottleneck(out_channels, out_channels,
                                  kernel_sizes=spp_kernel_sizes, **common))
            stage.append(
                CSPLayer(
                    out_channels,
                    out_channels,
                    expand_ratio=expand_ratio,
                    num_blocks=max(round(num_blocks * deepen_factor), 1),
                    add_identity=add_identity,
                    use_depthwise=use_depthwise,
                    channel_attention=channel_attention,
                    **common))
            self.add_module(f'stage{i + 1}', nn.Sequential(*stage))
            self.layers.append(f'stage{i + 1}')
            channels.append(out_channels)
        # BaseBackbone's declaration; maps come in layer order
        self.out_channels = tuple(channels[i] for i in sorted(out_indices))
        self.out_strides = tuple(2**(i + 1) for i in sorted(out_indices))
        self._freeze_stages()
        # CPU speed, same values and state_dict shapes: NHWC weights spare
        # oneDNN a weight reorder per call (inputs are made NHWC in
        # forward), and eval-mode BN is folded into the convs.
        self.channels_last_train = channels_last_train
        self.to(memory_format=torch.channels_last)
        self._memory_format = torch.channels_last
        enable_conv_bn_folding(self)

    def _freeze_stages(self) -> None:
        for name in self.layers[:self.frozen_stages + 1]:
            layer = getattr(self, name)
            layer.eval()
            for param in layer.parameters():
                param.requires_grad = False

    def train(self, mode: bool = True) -> 'CSPNeXt':
        super().train(mode)
        self._freeze_stages()
        if mode and self.norm_eval:
            for m in self.modules():
                if isinstance(m, _BatchNorm):
                    m.eval()
        # the mode's layout now, not at the first forward: DDP records the
        # parameters' strides when it wraps the model, and a later switch
        # costs a gradient copy every step (its "grad strides" warning)
        param = next(self.parameters(), None)
        if param is not None:
            self._use_memory_format(param.device)
        return self

    def init_weights(self) -> None:
        """As configured, drawn in the NHWC layout the weights have from
        construction whatever the mode: random initialisers fill a tensor in
        memory order, so the layout decides which weight gets which draw."""
        self.to(memory_format=torch.channels_last)
        self._memory_format = torch.channels_last
        super().init_weights()
        param = next(self.parameters(), None)
        if param is not None:
            self._use_memory_format(param.device)

    def _use_memory_format(self, device: torch.device) -> torch.memory_format:
        """Put the weights in this mode's layout on ``device`` (in place,
        param.data, so optimizers and DDP keep their parameters)."""
        # NHWC lets oneDNN use its fast kernels, above all for the weight
        # gradient of the depthwise 5x5 convs (several times faster on CPU
        # than the NCHW path), but its train-mode BatchNorm loses precision.
        fmt = torch.channels_last
        if (self.training and device.type == 'cpu'
                and not self.channels_last_train):
            fmt = torch.contiguous_format
        if fmt != self._memory_format:
            self.to(memory_format=fmt)
            self._memory_format = fmt
        return fmt

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        """(N, 3, H, W) -> tuple of the maps selected by ``out_indices``."""
        x = x.contiguous(memory_format=self._use_memory_format(x.device))
        outs = []
        for i, name in enumerate(self.layers):
            x = getattr(self, name)(x)
            if i in self.out_indices:
                outs.append(x)
        return tuple(outs)
