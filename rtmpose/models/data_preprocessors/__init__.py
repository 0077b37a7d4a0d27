from .det_data_preprocessor import DetDataPreprocessor
from .pose_data_preprocessor import PoseDataPreprocessor

__all__ = ['DetDataPreprocessor', 'PoseDataPreprocessor']
