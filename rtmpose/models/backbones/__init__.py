from .csp_layer import ChannelAttention, CSPLayer, CSPNeXtBlock
from .cspnext import CSPNeXt
from .spp_bottleneck import SPPBottleneck

__all__ = [
    'CSPNeXt', 'CSPLayer', 'CSPNeXtBlock', 'ChannelAttention', 'SPPBottleneck'
]
