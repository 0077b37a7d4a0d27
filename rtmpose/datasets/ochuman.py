"""The OCHuman dataset (occluded humans, COCO keypoints)."""
from rtmpose.registry import DATASETS
from .base_coco_style_dataset import BaseCocoStyleDataset


@DATASETS.register_module()
class OCHumanDataset(BaseCocoStyleDataset):
    """OCHuman (Zhang et al., CVPR 2019) in COCO format, e.g.
    ``ochuman_coco_format_val_range_0.00_1.00.json``: heavily occluded
    persons with the 17 COCO keypoints. It has no training split; it is
    evaluated with its ground-truth boxes (no ``bbox_file``) and the COCO
    sigmas.

    See ``BaseCocoStyleDataset`` for the arguments and the sample layout.
    """

    METAINFO: dict = dict(from_file='configs/_base_/datasets/ochuman.py')
