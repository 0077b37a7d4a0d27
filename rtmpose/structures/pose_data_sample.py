"""The per-sample record that flows from ``PackPoseInputs`` to the metric."""
from mmengine.structures import BaseDataElement, InstanceData, PixelData

from .data_field import data_field


class PoseDataSample(BaseDataElement):
    """Annotations and predictions of one top-down sample (one person crop).

    Data fields:
        gt_instances (InstanceData): ``bboxes`` (1, 4) xyxy image pixels,
            ``bbox_scores`` (1,), ``keypoints`` (1, K, 2) pixels in input
            (crop) space after the affine transform, ``keypoints_visible``
            (1, K) in [0, 1].
        gt_instance_labels (InstanceData): codec targets as tensors, e.g.
            ``keypoint_x_labels`` (1, K, Wx), ``keypoint_y_labels`` (1, K, Wy),
            ``keypoint_weights`` (1, K).
        gt_fields (PixelData): dense targets such as ``heatmaps`` (K, H, W).
        pred_instances (InstanceData): ``keypoints`` (N, K, 2) image pixels,
            ``keypoint_scores`` (N, K).
        pred_fields (PixelData): optional predicted heatmaps.

    Meta fields (set by ``PackPoseInputs``): ``id``, ``img_id``, ``img_path``,
    ``ori_shape``, ``img_shape``, ``input_size`` (w, h), ``input_center`` (2,),
    ``input_scale`` (2,) pixels, ``flip_indices``, ``category_id`` ...
    """

    gt_instances = data_field('gt_instances', InstanceData)
    gt_instance_labels = data_field('gt_instance_labels', InstanceData)
    gt_fields = data_field('gt_fields', PixelData)
    pred_instances = data_field('pred_instances', InstanceData)
    pred_fields = data_field('pred_fields', PixelData)
