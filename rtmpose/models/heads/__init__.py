from .heatmap_head import HeatmapHead
from .rtmcc_head import RTMCCHead

__all__ = ['RTMCCHead', 'HeatmapHead']
