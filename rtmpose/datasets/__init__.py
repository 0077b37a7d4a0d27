from . import transforms  # noqa: F401  (registers the transforms)
from .aic import AicDataset
from .base_coco_style_dataset import BaseCocoStyleDataset
from .coco import CocoDataset
from .dataset_wrappers import CombinedDataset
from .metainfo import parse_pose_metainfo
from .samplers import MultiSourceSampler
from .synthetic import generate_synthetic_coco
from .synthetic_coco_dataset import SyntheticCocoDataset

__all__ = [
    'AicDataset', 'CombinedDataset', 'MultiSourceSampler',
    'BaseCocoStyleDataset', 'CocoDataset', 'SyntheticCocoDataset',
    'generate_synthetic_coco', 'parse_pose_metainfo'
]
