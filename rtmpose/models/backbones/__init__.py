from .base_backbone import BaseBackbone
from .csp_layer import ChannelAttention, CSPLayer, CSPNeXtBlock
from .cspnext import CSPNeXt
from .spp_bottleneck import SPPBottleneck
from .vit import VisionTransformer
from .vit_weights import convert_vit_backbone, convert_vitpose_official

__all__ = [
    'BaseBackbone', 'CSPNeXt', 'CSPLayer', 'CSPNeXtBlock', 'ChannelAttention',
    'SPPBottleneck', 'VisionTransformer', 'convert_vit_backbone', 'convert_vitpose_official'
]
