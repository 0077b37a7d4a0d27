"""A user's own keypoint set in a COCO-format file."""
import os.path as osp
from typing import Optional, Tuple

from rtmpose.registry import DATASETS
from .base_coco_style_dataset import BaseCocoStyleDataset
from .coco_api import load_json
from .custom_metainfo import (KeypointSetError, check_annotations_agree,
                              dataset_info_from_coco_categories,
                              load_keypoint_set)


@DATASETS.register_module()
class CustomCocoDataset(BaseCocoStyleDataset):
    """Top-down samples of any keypoint set annotated in COCO format (see
    ``docs/custom_dataset.md``).

    ``metainfo`` is required and is one of:

    - ``dict(from_file='my_set.py')``: a file defining ``dataset_info`` in
      the full layout (``configs/_base_/datasets/coco.py``) or the compact
      index-based one (``rtmpose.datasets.custom_metainfo``);
    - an inline description in either layout;
    - ``dict(from_coco_categories=True, **options)``: names and skeleton
      from the annotation file's keypoint category, flip pairs guessed from
      left/right names, sigmas by name unless given (see
      ``dataset_info_from_coco_categories`` for the options).

    At start-up the description is checked on its own (flip pairs and
    skeleton indices in range, one sigma and weight per keypoint) and
    against the annotations (the categories' keypoint names and every
    annotation's keypoint count); the first problem stops with a
    ``KeypointSetError`` naming it.

    See ``BaseCocoStyleDataset`` for the other arguments and the sample
    layout.
    """

    def __init__(self,
                 ann_file: str = '',
                 metainfo: Optional[dict] = None,
                 data_root: str = '',
                 **kwargs):
        info, self._metainfo_source = self.keypoint_set(
            metainfo, ann_file, data_root)
        super().__init__(
            ann_file=ann_file, metainfo=info, data_root=data_root, **kwargs)

    @staticmethod
    def keypoint_set(metainfo: Optional[dict], ann_file: str = '',
                     data_root: str = '') -> Tuple[dict, str]:
        """The keypoint set ``metainfo`` describes (see the class doc; the
        annotation file is read for ``from_coco_categories``) and where it
        comes from (for messages)."""
        if not metainfo:
            raise KeypointSetError(
                "CustomCocoDataset needs metainfo: dict(from_file='my_set."
                "py') or dict(from_coco_categories=True)")
        if metainfo.get('from_coco_categories'):
            path = ann_file if osp.isabs(ann_file) or not data_root \
                else osp.join(data_root, ann_file)
            info = dataset_info_from_coco_categories(
                load_json(path, 'annotation file'), path, dict(metainfo))
            return info, f'COCO categories of {path}'
        return load_keypoint_set(metainfo)

    def _check_annotations(self, coco) -> None:
        check_annotations_agree(self._metainfo, coco, self.ann_file,
                                self._metainfo_source)
