from .conv_bn_folding import enable_conv_bn_folding, folded_conv_bn_forward
from .state_dict_adapter import adapt_state_dict, register_state_dict_adapter
from .tta import flip_back_heatmaps, flip_back_simcc, shift_bins

__all__ = [
    'enable_conv_bn_folding', 'folded_conv_bn_forward', 'flip_back_simcc',
    'shift_bins', 'flip_back_heatmaps', 'adapt_state_dict',
    'register_state_dict_adapter'
]
