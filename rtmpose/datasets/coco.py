"""The COCO person keypoint dataset (17 keypoints)."""
from rtmpose.registry import DATASETS
from .base_coco_style_dataset import BaseCocoStyleDataset


@DATASETS.register_module()
class CocoDataset(BaseCocoStyleDataset):
    """COCO keypoints (Lin et al., ECCV 2014), e.g. ``person_keypoints_
    val2017.json`` with images under ``data_prefix['img']``.

    See ``BaseCocoStyleDataset`` for the arguments and the sample layout.
    """

    METAINFO: dict = dict(from_file='configs/_base_/datasets/coco.py')
