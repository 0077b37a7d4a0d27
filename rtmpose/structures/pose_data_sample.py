"""The per-sample record that flows from ``PackPoseInputs`` to the metric."""
from mmengine.structures import BaseDataElement, InstanceData, PixelData


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

    @property
    def gt_instances(self) -> InstanceData:
        return self._gt_instances

    @gt_instances.setter
    def gt_instances(self, value: InstanceData):
        self.set_field(value, '_gt_instances', dtype=InstanceData)

    @gt_instances.deleter
    def gt_instances(self):
        del self._gt_instances

    @property
    def gt_instance_labels(self) -> InstanceData:
        return self._gt_instance_labels

    @gt_instance_labels.setter
    def gt_instance_labels(self, value: InstanceData):
        self.set_field(value, '_gt_instance_labels', dtype=InstanceData)

    @gt_instance_labels.deleter
    def gt_instance_labels(self):
        del self._gt_instance_labels

    @property
    def gt_fields(self) -> PixelData:
        return self._gt_fields

    @gt_fields.setter
    def gt_fields(self, value: PixelData):
        self.set_field(value, '_gt_fields', dtype=PixelData)

    @gt_fields.deleter
    def gt_fields(self):
        del self._gt_fields

    @property
    def pred_instances(self) -> InstanceData:
        return self._pred_instances

    @pred_instances.setter
    def pred_instances(self, value: InstanceData):
        self.set_field(value, '_pred_instances', dtype=InstanceData)

    @pred_instances.deleter
    def pred_instances(self):
        del self._pred_instances

    @property
    def pred_fields(self) -> PixelData:
        return self._pred_fields

    @pred_fields.setter
    def pred_fields(self, value: PixelData):
        self.set_field(value, '_pred_fields', dtype=PixelData)

    @pred_fields.deleter
    def pred_fields(self):
        del self._pred_fields
