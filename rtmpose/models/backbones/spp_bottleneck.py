"""Spatial pyramid pooling bottleneck used in the last CSPNeXt stage."""
from typing import Sequence

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from torch import Tensor


class SPPBottleneck(BaseModule):
    """1x1 conv to ``in_channels // 2``, parallel stride-1 max pools of the
    given kernel sizes, concatenation ``[x, pool_k1(x), pool_k2(x), ...]``
    and a 1x1 conv to ``out_channels``. Spatial size is unchanged.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 kernel_sizes: Sequence[int] = (5, 9, 13),
                 conv_cfg=None,
                 norm_cfg=dict(type='BN', momentum=0.03, eps=0.001),
                 act_cfg=dict(type='SiLU'),
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        mid_channels = in_channels // 2
        common = dict(conv_cfg=conv_cfg, norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.conv1 = ConvModule(in_channels, mid_channels, 1, **common)
        self.poolings = nn.ModuleList(
            nn.MaxPool2d(k, stride=1, padding=k // 2) for k in kernel_sizes)
        self.conv2 = ConvModule(mid_channels * (len(kernel_sizes) + 1),
                                out_channels, 1, **common)

    def forward(self, x: Tensor) -> Tensor:
        x = self.conv1(x)
        x = torch.cat([x] + [pool(x) for pool in self.poolings], dim=1)
        return self.conv2(x)
