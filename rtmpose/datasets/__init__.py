from . import transforms  # noqa: F401  (registers the transforms)
from .base_coco_style_dataset import BaseCocoStyleDataset
from .coco import CocoDataset
from .metainfo import parse_pose_metainfo

__all__ = ['BaseCocoStyleDataset', 'CocoDataset', 'parse_pose_metainfo']
