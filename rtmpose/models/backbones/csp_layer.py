"""Cross Stage Partial layer of CSPNeXt: two 1x1 branches, a chain of
CSPNeXt blocks on one of them, optional channel attention, 1x1 fusion."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule, DepthwiseSeparableConvModule
from mmengine.model import BaseModule
from torch import Tensor

# The init of the reference's CSPNeXt and CSPNeXtPAFPN: torch's own Conv2d
# default (Kaiming uniform, a = sqrt(5)), stated so that it survives
# mmengine's init_weights.
CSPNEXT_INIT_CFG = dict(
    type='Kaiming',
    layer='Conv2d',
    a=math.sqrt(5),
    distribution='uniform',
    mode='fan_in',
    nonlinearity='leaky_relu')


class ChannelAttention(BaseModule):
    """Squeeze-style channel gate: ``x * hardsigmoid(fc(avgpool(x)))``.

    Args:
        channels (int): Channels C of the (N, C, H, W) input and output.
    """

    def __init__(self, channels: int, init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.fc = nn.Conv2d(channels, channels, 1, bias=True)
        self.act = nn.Hardsigmoid()

    def forward(self, x: Tensor) -> Tensor:
        # the 1x1 conv on a 1x1 map is a matrix product; F.linear skips
        # the convolution dispatch (slow for this shape on CPU)
        pooled = x.mean(dim=(2, 3))
        gate = F.linear(pooled, self.fc.weight.flatten(1), self.fc.bias)
        return x * self.act(gate)[:, :, None, None]


class CSPNeXtBlock(BaseModule):
    """Residual block: 3x3 conv, then a depthwise-separable large-kernel conv.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        expansion (float): Hidden channels = ``int(out_channels * expansion)``.
        add_identity (bool): Add the input to the output; only applied when
            ``in_channels == out_channels``.
        use_depthwise (bool): Make the first 3x3 conv depthwise-separable too.
        kernel_size (int): Kernel of the second (depthwise) conv.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 expansion: float = 0.5,
                 add_identity: bool = True,
                 use_depthwise: bool = False,
                 kernel_size: int = 5,
                 conv_cfg=None,
                 norm_cfg=dict(type='BN', momentum=0.03, eps=0.001),
                 act_cfg=dict(type='SiLU'),
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        hidden_channels = int(out_channels * expansion)
        conv = DepthwiseSeparableConvModule if use_depthwise else ConvModule
        self.conv1 = conv(
            in_channels,
            hidden_channels,
            3,
            padding=1,
            conv_cfg=conv_cfg,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg)
        self.conv2 = DepthwiseSeparableConvModule(
            hidden_channels,
            out_channels,
            kernel_size,
            padding=kernel_size // 2,
            conv_cfg=conv_cfg,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg)
        self.add_identity = add_identity and in_channels == out_channels

    def forward(self, x: Tensor) -> Tensor:
        out = self.conv2(self.conv1(x))
        return out + x if self.add_identity else out


class CSPLayer(BaseModule):
    """CSP layer built from :class:`CSPNeXtBlock` s.

    The input (N, in_channels, H, W) goes through two 1x1 convs to
    ``mid = int(out_channels * expand_ratio)`` channels each (``main_conv``,
    ``short_conv``); the main branch runs ``num_blocks`` blocks; the two are
    concatenated (main first), gated by :class:`ChannelAttention` and fused
    by ``final_conv`` to (N, out_channels, H, W).
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 expand_ratio: float = 0.5,
                 num_blocks: int = 1,
                 add_identity: bool = True,
                 use_depthwise: bool = False,
                 channel_attention: bool = True,
                 conv_cfg=None,
                 norm_cfg=dict(type='BN', momentum=0.03, eps=0.001),
                 act_cfg=dict(type='SiLU'),
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        mid_channels = int(out_channels * expand_ratio)
        common = dict(conv_cfg=conv_cfg, norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.main_conv = ConvModule(in_channels, mid_channels, 1, **common)
        self.short_conv = ConvModule(in_channels, mid_channels, 1, **common)
        self.final_conv = ConvModule(2 * mid_channels, out_channels, 1,
                                     **common)
        self.blocks = nn.Sequential(*[
            CSPNeXtBlock(
                mid_channels,
                mid_channels,
                expansion=1.0,
                add_identity=add_identity,
                use_depthwise=use_depthwise,
                **common) for _ in range(num_blocks)
        ])
        self.attention = (
            ChannelAttention(2 * mid_channels) if channel_attention else None)

    def forward(self, x: Tensor) -> Tensor:
        x_main = self.blocks(self.main_conv(x))
        x_final = torch.cat((x_main, self.short_conv(x)), dim=1)
        if self.attention is not None:
            x_final = self.attention(x_final)
        return self.final_conv(x_final)
