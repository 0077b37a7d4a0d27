from . import transforms  # noqa: F401  (registers the transforms)
from .aic import AicDataset
from .ap10k import AP10KDataset
from .base_coco_style_dataset import BaseCocoStyleDataset
from .coco import CocoDataset
from .coco_det import CocoDetDataset
from .coco_wholebody import CocoWholeBodyDataset
from .crowdpose import CrowdPoseDataset
from .custom_coco import CustomCocoDataset
from .custom_metainfo import KeypointSetError
from .dataset_wrappers import CombinedDataset
from .metainfo import parse_pose_metainfo
from .mpii import MpiiDataset
from .multi_layout_dataset import MultiLayoutDataset
from .ochuman import OCHumanDataset
from .samplers import MultiSourceSampler
from .synthetic import generate_synthetic_coco
from .synthetic_coco_dataset import (SyntheticCocoDataset,
                                     SyntheticCocoDetDataset)

__all__ = [
    'AicDataset', 'CombinedDataset', 'MultiSourceSampler',
    'BaseCocoStyleDataset', 'CocoDataset', 'CocoDetDataset',
    'SyntheticCocoDataset', 'SyntheticCocoDetDataset',
    'generate_synthetic_coco', 'parse_pose_metainfo', 'AP10KDataset',
    'CocoWholeBodyDataset', 'CrowdPoseDataset', 'CustomCocoDataset',
    'KeypointSetError', 'MpiiDataset', 'OCHumanDataset',
    'MultiLayoutDataset'
]
