from .conv_bn_folding import enable_conv_bn_folding, folded_conv_bn_forward
from .heatmap_accuracy import heatmap_argmax_coords, heatmap_pck_accuracy
from .heatmap_flip import flip_back_heatmaps
from .simcc_accuracy import simcc_argmax_coords, simcc_pck_accuracy
from .simcc_flip import flip_back_simcc, shift_bins

__all__ = [
    'enable_conv_bn_folding', 'folded_conv_bn_forward',
    'simcc_argmax_coords', 'simcc_pck_accuracy', 'flip_back_simcc',
    'shift_bins', 'heatmap_argmax_coords', 'heatmap_pck_accuracy',
    'flip_back_heatmaps'
]
