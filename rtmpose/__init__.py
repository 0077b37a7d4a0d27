"""rtmpose: real-time top-down 2D pose estimation (RTMPose, ViTPose) on mmengine."""
from .version import __version__

__all__ = ['__version__']
