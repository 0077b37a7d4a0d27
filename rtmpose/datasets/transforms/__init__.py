"""Data transforms, registered in ``rtmpose.registry.TRANSFORMS``."""
from .bbox_transforms import (GetBBoxCenterScale, RandomBBoxTransform,
                              RandomHalfBody)
from .converting import KeypointConverter
from .flip import RandomFlip, flip_keypoints
from .formatting import PackDetInputs, PackPoseInputs
from .geometric import Pad, RandomCrop, RandomResize, Resize
from .loading import LoadAnnotations, LoadImage
from .mix_img_transforms import CachedMixUp, CachedMosaic
from .pixel_transforms import (Blur, CoarseDropout, MedianBlur,
                               YOLOXHSVRandomAug)
from .target import GenerateTarget
from .topdown_affine import TopdownAffine

__all__ = [
    'KeypointConverter',
    'Blur', 'CachedMixUp', 'CachedMosaic', 'CoarseDropout', 'GenerateTarget',
    'GetBBoxCenterScale', 'LoadAnnotations', 'LoadImage', 'MedianBlur',
    'PackDetInputs', 'PackPoseInputs', 'Pad', 'RandomBBoxTransform',
    'RandomCrop', 'RandomFlip', 'RandomHalfBody', 'RandomResize', 'Resize',
    'TopdownAffine', 'YOLOXHSVRandomAug', 'flip_keypoints'
]
