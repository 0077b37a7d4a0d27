"""The AI Challenger human keypoint dataset (14 keypoints)."""
from rtmpose.registry import DATASETS
from .base_coco_style_dataset import BaseCocoStyleDataset


@DATASETS.register_module()
class AicDataset(BaseCocoStyleDataset):
    """AI Challenger keypoints (Wu et al., 2017) in COCO format, e.g.
    ``aic_train.json`` converted from the challenge's own JSON, with images
    under ``data_prefix['img']``.

    Keypoint order (``configs/_base_/datasets/aic.py``): right shoulder,
    elbow, wrist; left shoulder, elbow, wrist; right hip, knee, ankle; left
    hip, knee, ankle; head top; neck. Train it with COCO through
    ``CombinedDataset`` and ``KeypointConverter``.

    See ``BaseCocoStyleDataset`` for the arguments and the sample layout.
    """

    METAINFO: dict = dict(from_file='configs/_base_/datasets/aic.py')
