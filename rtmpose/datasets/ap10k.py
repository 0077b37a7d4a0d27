"""The AP-10K animal pose dataset (17 keypoints)."""
from rtmpose.registry import DATASETS
from .base_coco_style_dataset import BaseCocoStyleDataset


@DATASETS.register_module()
class AP10KDataset(BaseCocoStyleDataset):
    """AP-10K (Yu et al., NeurIPS 2021 Datasets and Benchmarks) in COCO
    format, e.g. ``ap10k-train-split1.json``, with images under
    ``data_prefix['img']``.

    Categories are the 54 animal species; every sample keeps its
    annotation's ``category_id``, and ``CocoMetric`` evaluates per species
    as COCO does per category.

    See ``BaseCocoStyleDataset`` for the arguments and the sample layout.
    """

    METAINFO: dict = dict(from_file='configs/_base_/datasets/ap10k.py')
