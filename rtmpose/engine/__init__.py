from .ema import ExpMomentumEMA
from .hooks import *  # noqa: F401,F403
from .optim_wrappers import LayerDecayOptimWrapperConstructor
from .pretrained_init import PretrainedInit
from .resumable_loop import ResumableEpochBasedTrainLoop
from .runner import PoseRunner
from .startup_checks import SetupError, check_setup, find_setup_problems

__all__ = [
    'PoseRunner', 'PretrainedInit', 'ExpMomentumEMA',
    'ResumableEpochBasedTrainLoop', 'SetupError', 'check_setup',
    'find_setup_problems', 'LayerDecayOptimWrapperConstructor'
]
