from .distillation import (DistillationPoseEstimator,
                           KnowledgeTokenPoseEstimator)
from .multi_head import MultiHeadTopdownPoseEstimator
from .topdown import TopdownPoseEstimator, input_to_image_coords

__all__ = [
    'TopdownPoseEstimator', 'input_to_image_coords',
    'MultiHeadTopdownPoseEstimator', 'DistillationPoseEstimator',
    'KnowledgeTokenPoseEstimator'
]
