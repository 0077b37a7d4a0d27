"""The CrowdPose dataset (14 keypoints, crowd index per image)."""
from typing import Optional

from rtmpose.registry import DATASETS
from .base_coco_style_dataset import BaseCocoStyleDataset


@DATASETS.register_module()
class CrowdPoseDataset(BaseCocoStyleDataset):
    """CrowdPose (Li et al., CVPR 2019) in COCO format, e.g.
    ``mmpose_crowdpose_trainval.json`` / ``mmpose_crowdpose_test.json``.

    Each image carries ``crowdIndex`` in [0, 1] (how much its persons
    overlap); samples from annotated boxes get it as ``crowd_index``, which
    ``PackPoseInputs`` keeps in the metainfo. The AP split into easy /
    medium / hard images (``CocoMetric(iou_type='keypoints_crowd')``) reads
    it from the ground-truth file.

    See ``BaseCocoStyleDataset`` for the arguments and the sample layout.
    """

    METAINFO: dict = dict(from_file='configs/_base_/datasets/crowdpose.py')

    def parse_data_info(self, raw_data_info: dict) -> Optional[dict]:
        info = super().parse_data_info(raw_data_info)
        if info is None:
            return None
        img = raw_data_info['raw_img_info']
        if 'crowdIndex' not in img:
            raise ValueError(f'CrowdPose annotation file {self.ann_file}: '
                             f'image id {img["id"]} has no "crowdIndex"')
        info['crowd_index'] = float(img['crowdIndex'])
        return info
