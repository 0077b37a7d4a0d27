from .conv_bn_folding import enable_conv_bn_folding, folded_conv_bn_forward
from .heatmap_flip import flip_back_heatmaps
from .pos_embed import resize_pos_embed
from .rtmcc_block import RTMCCBlock, rotary_position_encoding
from .scale import Scale
from .scale_norm import ScaleNorm
from .simcc_flip import flip_back_simcc, shift_bins
from .transformer import (FFN, MultiheadSelfAttention,
                          TransformerEncoderLayer)
from .window_attention import WindowMultiheadSelfAttention

__all__ = [
    'enable_conv_bn_folding', 'folded_conv_bn_forward',
    'RTMCCBlock', 'rotary_position_encoding', 'Scale', 'ScaleNorm',
    'flip_back_simcc', 'shift_bins', 'flip_back_heatmaps', 'resize_pos_embed',
    'FFN', 'MultiheadSelfAttention', 'TransformerEncoderLayer',
    'WindowMultiheadSelfAttention'
]
