from .base_head import BaseHead
from .heatmap_head import HeatmapHead
from .rtmcc_head import RTMCCHead

__all__ = ['BaseHead', 'RTMCCHead', 'HeatmapHead']
