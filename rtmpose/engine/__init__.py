from .checkpoint import (UnsafeCheckpointError, load_checkpoint,
                         load_state_dict)
from .hooks import *  # noqa: F401,F403
from .pretrained_init import PretrainedInit
from .runner import PoseRunner

__all__ = [
    'PoseRunner', 'PretrainedInit', 'UnsafeCheckpointError',
    'load_checkpoint', 'load_state_dict'
]
