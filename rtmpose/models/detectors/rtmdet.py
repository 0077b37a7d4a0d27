"""RTMDet: a single-stage detector, backbone -> neck -> dense head."""
from typing import Optional, Sequence, Tuple, Union

from mmengine.model import BaseModel
from torch import Tensor

from rtmpose.registry import MODELS


@MODELS.register_module()
class RTMDet(BaseModel):
    """CSPNeXt backbone, CSPNeXtPAFPN neck and RTMDetSepBNHead.

    ``forward(inputs, data_samples, mode)`` with ``inputs`` (N, 3, H, W)
    normalised images (H, W multiples of 32):

    - ``'tensor'``: ``(cls_scores, bbox_preds)``, L tensors
      (N, num_classes, H_l, W_l) of logits and L tensors (N, 4, H_l, W_l)
      of distances (left, top, right, bottom) in input pixels.
    - ``'loss'``: dict of losses; ``data_samples`` are ``DetDataSample`` s
      with ``gt_instances`` (``bboxes`` (G, 4) xyxy input pixels,
      ``labels`` (G,)).
    - ``'predict'``: the data samples with ``pred_instances`` (``bboxes``
      (K, 4) xyxy original-image pixels, ``scores`` (K,), ``labels`` (K,),
      highest score first); they need ``img_shape`` and ``scale_factor``.

    Args:
        backbone, neck, bbox_head: configs of the parts.
        train_cfg, test_cfg: passed to the head (assigner; post-processing).
        data_preprocessor: e.g. ``DetDataPreprocessor``.
    """

    def __init__(self,
                 backbone: dict,
                 neck: dict,
                 bbox_head: dict,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg=None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.neck = MODELS.build(neck)
        self.bbox_head = MODELS.build(
            dict(bbox_head, train_cfg=train_cfg, test_cfg=test_cfg))
        self.train_cfg = train_cfg
        self.test_cfg = test_cfg

    def extract_feat(self, inputs: Tensor) -> Tuple[Tensor, ...]:
        """(N, 3, H, W) -> L neck maps (N, C, H / s_l, W / s_l)."""
        return self.neck(self.backbone(inputs))

    def forward(self,
                inputs: Tensor,
                data_samples: Optional[Sequence] = None,
                mode: str = 'tensor') -> Union[dict, list, tuple]:
        if mode == 'tensor':
            return self.bbox_head(self.extract_feat(inputs))
        if data_samples is None:
            raise ValueError(f'RTMDet: mode {mode!r} needs data_samples')
        if mode == 'loss':
            return self.bbox_head.loss(self.extract_feat(inputs),
                                       data_samples)
        if mode == 'predict':
            preds = self.bbox_head.predict(
                self.extract_feat(inputs), data_samples, rescale=True)
            for sample, pred in zip(data_samples, preds):
                sample.pred_instances = pred
            return list(data_samples)
        raise ValueError(f'RTMDet: mode must be "tensor", "loss" or '
                         f'"predict", got {mode!r}')
