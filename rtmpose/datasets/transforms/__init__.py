"""Data transforms, registered in ``rtmpose.registry.TRANSFORMS``."""
from .bbox_transforms import (GetBBoxCenterScale, RandomBBoxTransform,
                              RandomHalfBody)
from .converting import KeypointConverter
from .crop_settings import crop_settings
from .flip import RandomFlip, flip_keypoints
from .formatting import PackPoseInputs
from .loading import LoadImage
from .pixel_transforms import (Blur, CoarseDropout, MedianBlur,
                               YOLOXHSVRandomAug)
from .target import GenerateTarget
from .topdown_affine import TopdownAffine

__all__ = [
    'KeypointConverter',
    'Blur', 'CoarseDropout', 'GenerateTarget', 'GetBBoxCenterScale',
    'LoadImage', 'MedianBlur', 'PackPoseInputs', 'RandomBBoxTransform',
    'RandomFlip', 'RandomHalfBody', 'TopdownAffine', 'YOLOXHSVRandomAug',
    'crop_settings', 'flip_keypoints'
]
