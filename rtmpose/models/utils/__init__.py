from .conv_bn_folding import enable_conv_bn_folding, folded_conv_bn_forward
from .heatmap_flip import flip_back_heatmaps
from .simcc_flip import flip_back_simcc, shift_bins
from .state_dict_adapter import adapt_state_dict, register_state_dict_adapter

__all__ = [
    'enable_conv_bn_folding', 'folded_conv_bn_forward', 'flip_back_simcc',
    'shift_bins', 'flip_back_heatmaps', 'adapt_state_dict',
    'register_state_dict_adapter'
]
