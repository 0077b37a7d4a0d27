"""Packing a results dict into model inputs and a data sample
(``PoseDataSample`` for pose, ``DetDataSample`` for detection)."""
from typing import List, Sequence, Tuple

import cv2
import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmengine.structures import InstanceData, PixelData

from rtmpose.registry import TRANSFORMS
from rtmpose.structures import DetDataSample, PoseDataSample

# Routing used when no GenerateTarget recorded its codec's tables, e.g.
# targets prepared by other means.
_DEFAULT_LABEL_KEYS = ('keypoint_labels', 'keypoint_x_labels',
                       'keypoint_y_labels', 'keypoint_weights')
_DEFAULT_FIELD_KEYS = ('heatmaps', )


def _to_tensor(value) -> torch.Tensor:
    if isinstance(value, torch.Tensor):
        return value
    return torch.from_numpy(np.ascontiguousarray(value))


def _routed(results: dict, table_key: str,
            default_keys: Sequence[str]) -> List[Tuple[str, torch.Tensor]]:
    """(packed name, tensor) of each target that ``results[table_key]``
    (results key -> packed name; default: the keys as they are) routes and
    ``results`` holds."""
    table = results.get(table_key)
    if table is None:
        table = {k: k for k in default_keys}
    return [(packed, _to_tensor(results[key]))
            for key, packed in table.items() if results.get(key) is not None]


def image_to_tensor(img: np.ndarray) -> torch.Tensor:
    """(H, W, C) or (H, W) image -> (C, H, W) tensor of the same dtype."""
    # cv2.split de-interleaves ~5x faster than a strided numpy transpose
    # copy.
    planes = [img] if img.ndim == 2 else cv2.split(img)
    return torch.from_numpy(np.stack(planes))


@TRANSFORMS.register_module()
class PackPoseInputs(BaseTransform):
    """Pack ``results`` into ``dict(inputs, data_samples)``.

    - ``inputs``: (3, H, W) uint8 tensor of ``img`` (BGR as loaded).
    - ``data_samples``: ``PoseDataSample`` with
      ``gt_instances`` (numpy arrays): bboxes (1, 4), bbox_scores (1,),
      bbox_centers (1, 2), bbox_scales (1, 2), keypoints (1, K, 2) in input
      space when ``transformed_keypoints`` exists (else image space),
      keypoints_visible (1, K);
      ``gt_instance_labels`` (tensors): the codec's per-instance targets
      (``label_mapping_table``, default keypoint_labels / keypoint_x_labels /
      keypoint_y_labels / keypoint_weights);
      ``gt_fields`` (tensors): dense targets (``field_mapping_table``,
      default heatmaps);
      metainfo: the ``meta_keys`` present in ``results``.
    """

    instance_mapping_table = dict(
        bbox='bboxes',
        bbox_score='bbox_scores',
        bbox_center='bbox_centers',
        bbox_scale='bbox_scales',
        keypoints_visible='keypoints_visible')

    def __init__(self,
                 meta_keys: Sequence[str] = (
                     'id', 'img_id', 'img_path', 'category_id',
                     'crowd_index', 'ori_shape', 'img_shape', 'input_size',
                     'input_center', 'input_scale', 'input_udp', 'flip',
                     'flip_direction', 'flip_indices', 'raw_ann_info',
                     'dataset_name')):
        self.meta_keys = tuple(meta_keys)

    def transform(self, results: dict) -> dict:
        inputs = image_to_tensor(results['img'])

        sample = PoseDataSample()

        # InstanceData.set_field skips the per-assignment length check of
        # attribute assignment, which costs ~8 us a field; every value here
        # has the same first dim N (one instance in top-down samples).
        instances = InstanceData()
        for key, packed in self.instance_mapping_table.items():
            if results.get(key) is not None:
                instances.set_field(results[key], packed)
        keypoints = results.get('transformed_keypoints')
        if keypoints is None:
            keypoints = results.get('keypoints')
        if keypoints is not None:
            instances.set_field(keypoints, 'keypoints')
        sample.gt_instances = instances

        labels = InstanceData()
        for packed, value in _routed(results, 'label_mapping_table',
                                     _DEFAULT_LABEL_KEYS):
            labels.set_field(value, packed)
        sample.gt_instance_labels = labels

        fields = PixelData()
        for packed, value in _routed(results, 'field_mapping_table',
                                     _DEFAULT_FIELD_KEYS):
            setattr(fields, packed, value)
        if len(fields.keys()):
            sample.gt_fields = fields

        # Likewise set_field, unlike set_metainfo, skips a deep copy;
        # ``results`` is already this sample's own dict.
        for key in self.meta_keys:
            if key in results:
                sample.set_field(results[key], key, field_type='metainfo')
        return dict(inputs=inputs, data_samples=sample)

    def __repr__(self) -> str:
        return f'{type(self).__name__}(meta_keys={self.meta_keys})'


@TRANSFORMS.register_module()
class PackDetInputs(BaseTransform):
    """Pack a detection sample into ``dict(inputs, data_samples)``.

    - ``inputs``: (3, H, W) tensor of ``img`` (BGR, dtype kept).
    - ``data_samples``: ``DetDataSample`` whose ``gt_instances`` hold the
      boxes with ``gt_ignore_flags`` false and ``ignored_instances`` the
      others (as mmdet's ``PackDetInputs``): ``bboxes`` (N, 4) float32
      tensor xyxy input pixels, ``labels`` (N,) int64 tensor; metainfo:
      the ``meta_keys`` present in ``results``.
    """

    def __init__(self,
                 meta_keys: Sequence[str] = (
                     'img_id', 'img_path', 'ori_shape', 'img_shape',
                     'scale_factor', 'pad_shape', 'flip', 'flip_direction')):
        self.meta_keys = tuple(meta_keys)

    def transform(self, results: dict) -> dict:
        sample = DetDataSample()
        boxes = results.get('gt_bboxes')
        if boxes is not None:
            boxes = np.asarray(boxes, np.float32).reshape(-1, 4)
            labels = results.get('gt_bboxes_labels')
            labels = (np.zeros(len(boxes), np.int64) if labels is None else
                      np.asarray(labels, np.int64))
            ignored = results.get('gt_ignore_flags')
            ignored = (np.zeros(len(boxes), bool) if ignored is None else
                       np.asarray(ignored, bool))
            for name, keep in (('gt_instances', ~ignored),
                               ('ignored_instances', ignored)):
                instances = InstanceData()
                instances.bboxes = torch.from_numpy(boxes[keep])
                instances.labels = torch.from_numpy(labels[keep])
                setattr(sample, name, instances)
        for key in self.meta_keys:
            if key in results:
                sample.set_field(results[key], key, field_type='metainfo')
        return dict(inputs=image_to_tensor(results['img']),
                    data_samples=sample)

    def __repr__(self) -> str:
        return f'{type(self).__name__}(meta_keys={self.meta_keys})'
