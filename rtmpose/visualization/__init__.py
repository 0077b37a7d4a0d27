"""Drawing of poses and codec targets (OpenCV and numpy only)."""
from .pose_drawing import draw_poses, track_color
from .target_drawing import draw_heatmaps, draw_simcc_targets

__all__ = ['draw_poses', 'track_color', 'draw_heatmaps', 'draw_simcc_targets']
