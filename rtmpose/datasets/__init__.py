from . import transforms  # noqa: F401  (registers the transforms)
from .base_coco_style_dataset import BaseCocoStyleDataset
from .coco import CocoDataset
from .metainfo import parse_pose_metainfo
from .synthetic import generate_synthetic_coco
from .synthetic_coco_dataset import SyntheticCocoDataset

__all__ = [
    'BaseCocoStyleDataset', 'CocoDataset', 'SyntheticCocoDataset',
    'generate_synthetic_coco', 'parse_pose_metainfo'
]
