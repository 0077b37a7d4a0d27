from .conv_bn_folding import enable_conv_bn_folding, folded_conv_bn_forward
from .heatmap_accuracy import heatmap_argmax_coords, heatmap_pck_accuracy
from .pos_embed import resize_pos_embed
from .rtmcc_block import RTMCCBlock, rotary_position_encoding
from .scale import Scale
from .scale_norm import ScaleNorm
from .simcc_accuracy import simcc_argmax_coords, simcc_pck_accuracy
from .tta import flip_back_heatmaps, flip_back_simcc, shift_bins
from .transformer import (FFN, MultiheadSelfAttention,
                          TransformerEncoderLayer)
from .window_attention import WindowMultiheadSelfAttention

__all__ = [
    'enable_conv_bn_folding', 'folded_conv_bn_forward',
    'RTMCCBlock', 'rotary_position_encoding', 'Scale', 'ScaleNorm',
    'simcc_argmax_coords', 'simcc_pck_accuracy', 'flip_back_simcc',
    'shift_bins', 'heatmap_argmax_coords', 'heatmap_pck_accuracy',
    'flip_back_heatmaps', 'resize_pos_embed', 'FFN',
    'MultiheadSelfAttention', 'TransformerEncoderLayer',
    'WindowMultiheadSelfAttention'
]
