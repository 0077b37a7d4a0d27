"""The per-image record that flows from ``PackDetInputs`` to the metric."""
from mmengine.structures import BaseDataElement, InstanceData

from .data_field import data_field


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

    gt_instances = data_field('gt_instances', InstanceData)
    ignored_instances = data_field('ignored_instances', InstanceData)
    pred_instances = data_field('pred_instances', InstanceData)
