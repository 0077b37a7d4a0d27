"""Parameter-free parts of dense detection: point priors, the box coder and
the label assigner (registry ``TASK_UTILS``)."""
from .assigners.assign_result import AssignResult
from .assigners.dynamic_soft_label_assigner import DynamicSoftLabelAssigner
from .coders.distance_point_bbox_coder import (DistancePointBBoxCoder,
                                               bbox2distance, distance2bbox)
from .prior_generators.point_generator import MlvlPointGenerator

__all__ = [
    'AssignResult', 'DynamicSoftLabelAssigner', 'DistancePointBBoxCoder',
    'bbox2distance', 'distance2bbox', 'MlvlPointGenerator'
]
