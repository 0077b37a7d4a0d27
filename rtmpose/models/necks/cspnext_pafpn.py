"""Path-aggregation FPN of RTMDet, built from CSPNeXt's CSP layers."""
from typing import Sequence, Tuple

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule, DepthwiseSeparableConvModule
from mmengine.model import BaseModule
from torch import Tensor

from rtmpose.registry import MODELS
from ..backbones.csp_layer import CSPNEXT_INIT_CFG, CSPLayer
from ..utils import enable_conv_bn_folding


@MODELS.register_module()
class CSPNeXtPAFPN(BaseModule):
    """Top-down then bottom-up fusion of L backbone maps.

    Inputs: L maps (N, in_channels[i], H_i, W_i), strides doubling from one
    to the next (8, 16, 32 for RTMDet). Top-down, the coarser map is reduced
    by a 1x1 conv to the finer map's channels, upsampled 2x (nearest),
    concatenated with it and fused by a CSP layer; bottom-up, the finer
    result is downsampled by a stride-2 3x3 conv, concatenated with the
    top-down map of the coarser level and fused again. A 3x3 conv per level
    maps everything to ``out_channels``.

    Returns:
        L maps (N, out_channels, H_i, W_i) (channels-last strided).

    Args:
        in_channels: channels of the input maps, finest first.
        out_channels: channels of every output map.
        num_csp_blocks: CSPNeXt blocks per CSP layer.
        use_depthwise: depthwise-separable 3x3 convs (downsampling, output
            convs and the blocks' first conv).
        expand_ratio: hidden channel ratio of the CSP layers.
        upsample_cfg: arguments of ``nn.Upsample``.
    """

    def __init__(self,
                 in_channels: Sequence[int],
                 out_channels: int,
                 num_csp_blocks: int = 3,
                 use_depthwise: bool = False,
                 expand_ratio: float = 0.5,
                 upsample_cfg: dict = dict(scale_factor=2, mode='nearest'),
                 conv_cfg=None,
                 norm_cfg: dict = dict(type='BN', momentum=0.03, eps=0.001),
                 act_cfg: dict = dict(type='Swish'),
                 init_cfg=CSPNEXT_INIT_CFG) -> None:
        super().__init__(init_cfg)
        self.in_channels = tuple(in_channels)
        self.out_channels = out_channels
        common = dict(conv_cfg=conv_cfg, norm_cfg=norm_cfg, act_cfg=act_cfg)
        conv = DepthwiseSeparableConvModule if use_depthwise else ConvModule

        def csp_layer(cin: int, cout: int) -> CSPLayer:
            # the neck's CSP layers have no identity shortcut and no channel
            # attention (unlike the backbone's)
            return CSPLayer(
                cin,
                cout,
                expand_ratio=expand_ratio,
                num_blocks=num_csp_blocks,
                add_identity=False,
                use_depthwise=use_depthwise,
                channel_attention=False,
                **common)

        self.upsample = nn.Upsample(**upsample_cfg)
        self.reduce_layers = nn.ModuleList()
        self.top_down_blocks = nn.ModuleList()
        for idx in range(len(in_channels) - 1, 0, -1):
            self.reduce_layers.append(
                ConvModule(in_channels[idx], in_channels[idx - 1], 1,
                           **common))
            self.top_down_blocks.append(
                csp_layer(in_channels[idx - 1] * 2, in_channels[idx - 1]))

        self.downsamples = nn.ModuleList()
        self.bottom_up_blocks = nn.ModuleList()
        for idx in range(len(in_channels) - 1):
            self.downsamples.append(
                conv(in_channels[idx], in_channels[idx], 3, stride=2,
                     padding=1, **common))
            self.bottom_up_blocks.append(
                csp_layer(in_channels[idx] * 2, in_channels[idx + 1]))

        self.out_convs = nn.ModuleList([
            conv(c, out_channels, 3, padding=1, **common) for c in in_channels
        ])
        # CPU speed as in CSPNeXt: NHWC weights for the backbone's NHWC
        # maps, eval-mode BN folded into the convs (same state_dict)
        self.to(memory_format=torch.channels_last)
        enable_conv_bn_folding(self)

    def forward(self, inputs: Sequence[Tensor]) -> Tuple[Tensor, ...]:
        """L maps (N, in_channels[i], H_i, W_i) -> L maps
        (N, out_channels, H_i, W_i)."""
        if len(inputs) != len(self.in_channels):
            raise ValueError(f'CSPNeXtPAFPN: expected {len(self.in_channels)} '
                             f'input maps, got {len(inputs)}')
        num = len(self.in_channels)
        # top-down: inner[0] is always the finest map reached so far
        inner = [inputs[-1]]
        for i, idx in enumerate(range(num - 1, 0, -1)):
            high = self.reduce_layers[i](inner[0])
            inner[0] = high
            fused = self.top_down_blocks[i](
                torch.cat([self.upsample(high), inputs[idx - 1]], 1))
            inner.insert(0, fused)
        # bottom-up
        outs = [inner[0]]
        for idx in range(num - 1):
            down = self.downsamples[idx](outs[-1])
            outs.append(self.bottom_up_blocks[idx](
                torch.cat([down, inner[idx + 1]], 1)))
        return tuple(conv(x) for conv, x in zip(self.out_convs, outs))
