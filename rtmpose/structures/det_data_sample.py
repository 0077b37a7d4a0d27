"""The per-image record that flows from ``PackDetInputs`` to the metric."""
from mmengine.structures import BaseDataElement, InstanceData


class DetDataSample(BaseDataElement):
    """Annotations and predictions of one detection sample (one image).

    Data fields (``InstanceData`` of tensors):
        gt_instances: ``bboxes`` (N, 4) float32 xyxy pixels of the network
            input (after resize / crop / pad), ``labels`` (N,) int64 class
            indices; crowd boxes are not here but in
        ignored_instances: the same fields for boxes to ignore (COCO
            ``iscrowd``): no target, no loss.
        pred_instances: ``bboxes`` (M, 4) xyxy pixels of the original
            image, ``scores`` (M,), ``labels`` (M,), highest score first.

    Meta fields (set by ``PackDetInputs``): ``img_id``, ``img_path``,
    ``ori_shape`` (h, w), ``img_shape`` (h, w) of the input after the
    geometric transforms (padding included, as mmcv's ``Pad`` sets it),
    ``scale_factor`` (w, h) from the last resize, ``pad_shape`` (h, w, c),
    ``flip``, ``flip_direction``. The detector's data preprocessor adds
    ``batch_input_shape`` (h, w).
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
    def ignored_instances(self) -> InstanceData:
        return self._ignored_instances

    @ignored_instances.setter
    def ignored_instances(self, value: InstanceData):
        self.set_field(value, '_ignored_instances', dtype=InstanceData)

    @ignored_instances.deleter
    def ignored_instances(self):
        del self._ignored_instances

    @property
    def pred_instances(self) -> InstanceData:
        return self._pred_instances

    @pred_instances.setter
    def pred_instances(self, value: InstanceData):
        self.set_field(value, '_pred_instances', dtype=InstanceData)

    @pred_instances.deleter
    def pred_instances(self):
        del self._pred_instances
