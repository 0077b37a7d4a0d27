"""Top-down pose estimator: backbone (+ neck) + head on person crops."""
from typing import List, Optional, Union

import numpy as np
import torch
from mmengine.model import BaseModel
from mmengine.structures import InstanceData
from torch import Tensor, nn

from rtmpose.registry import MODELS
from rtmpose.structures.bbox import DEFAULT_BBOX_PADDING, input_to_image
from rtmpose.structures.input_spec import InputSpec
from ..heads.base_head import BaseHead
from ..utils.state_dict_adapter import (adapt_state_dict,
                                        register_state_dict_adapter,
                                        rename_mmpose0_keys)


def input_to_image_coords(keypoints: np.ndarray, metainfo: dict) -> np.ndarray:
    """Map (..., 2) input-space pixels of a crop to original image pixels
    with the crop's ``input_center``, ``input_scale``, ``input_size`` and
    ``input_udp`` metainfo (see ``rtmpose.structures.bbox.input_to_image``).
    """
    for key in ('input_center', 'input_scale', 'input_size'):
        if key not in metainfo:
            raise KeyError(f'TopdownPoseEstimator: metainfo lacks {key!r} '
                           '(set by the affine crop, packed by PackPoseInputs)')
    return input_to_image(keypoints, metainfo['input_center'],
                          metainfo['input_scale'], metainfo['input_size'],
                          metainfo.get('input_udp', False))


@MODELS.register_module()
class TopdownPoseEstimator(BaseModel):
    """Backbone, optional neck and a keypoint head.

    ``forward(inputs, data_samples, mode)`` with inputs (N, 3, H, W)
    normalised crops:

    - ``'tensor'``: the head's raw outputs;
    - ``'loss'``: dict of losses from ``head.loss``;
    - ``'predict'``: the data samples with ``pred_instances``: ``keypoints``
      (1, K, 2) ORIGINAL image pixels, ``keypoint_scores`` (1, K), and the
      ``bboxes`` / ``bbox_scores`` of ``gt_instances``.

    ``test_cfg=dict(flip_test=True)`` also runs the horizontally flipped
    crops; the head undoes the flip and averages.
    ``test_cfg=dict(output_keypoint_indices=[...])`` keeps only those
    keypoints of the predictions, in that order (a model trained on more
    keypoints than it is evaluated on, e.g. COCO's 17 of 19).

    The head's ``derived_args`` (see ``BaseHead``) that its config leaves
    out are filled in at build time: ``input_size`` from its codec,
    ``in_featuremap_size`` from the backbone's (or neck's) declared
    ``out_sizes`` at that size. ``input_spec`` tells inference and export
    what crops the model takes (:class:`~rtmpose.structures.InputSpec`).

    Args:
        backbone, neck, head (dict): MODELS configs (neck optional).
        train_cfg, test_cfg (dict, optional): passed to the head.
        data_preprocessor (dict, optional): e.g. PoseDataPreprocessor cfg.
        metainfo (dict, optional): dataset meta (kept for visualisation).
        bbox_padding (float): box enlargement of the crops (the test
            pipeline's ``GetBBoxCenterScale`` padding), for ``input_spec``.
    """

    def __init__(self,
                 backbone: dict,
                 neck: Optional[dict] = None,
                 head: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None,
                 metainfo: Optional[dict] = None,
                 bbox_padding: float = DEFAULT_BBOX_PADDING) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.metainfo = metainfo
        self.train_cfg = dict(train_cfg or {})
        self.test_cfg = dict(test_cfg or {})
        self.backbone = MODELS.build(backbone)
        self.neck = MODELS.build(neck) if neck is not None else None
        self.bbox_padding = float(bbox_padding)
        self.head = self.build_head(head) if head is not None else None
        register_state_dict_adapter(self, 'rename_mmpose0_keys')

    def build_head(self, head: dict) -> nn.Module:
        """Build a head config, its class's ``derived_args`` that the
        config leaves out derived from the codec and the built backbone
        (and neck)."""
        head = dict(head)
        cls = head['type'] if isinstance(head['type'], type) else \
            MODELS.get(head['type'])
        wanted = [a for a in getattr(cls, 'derived_args', ()) if a not in head]
        if not wanted or head.get('decoder') is None:
            return MODELS.build(head)
        # one codec object, shared by the head and the input spec
        head['decoder'] = codec = BaseHead.build_decoder(head['decoder'])
        input_size = tuple(head.get('input_size') or codec.input_size)
        if 'input_size' in wanted:
            head['input_size'] = input_size
        source = self.neck if self.neck is not None else self.backbone
        if 'in_featuremap_size' in wanted and hasattr(source, 'out_sizes'):
            head['in_featuremap_size'] = tuple(source.out_sizes(input_size)[-1])
        return MODELS.build(head)

    @property
    def decoding_head(self) -> Optional[nn.Module]:
        """The head whose outputs ``predict`` decodes."""
        return self.head

    @property
    def input_spec(self) -> Optional[InputSpec]:
        """The crops this model takes (see
        :class:`~rtmpose.structures.InputSpec`): size and crop convention of
        its decoding head's codec, normalisation of its data preprocessor;
        None without a head codec."""
        codec = getattr(self.decoding_head, 'decoder', None)
        if codec is None:
            return None
        pre = self.data_preprocessor
        normalize = getattr(pre, '_enable_normalize', False)
        return InputSpec(
            input_size=tuple(int(v) for v in codec.input_size),
            mean=tuple(float(v) for v in pre.mean.flatten())
            if normalize else None,
            std=tuple(float(v) for v in pre.std.flatten())
            if normalize else None,
            bgr_to_rgb=bool(getattr(pre, '_channel_conversion', False)),
            bbox_padding=self.bbox_padding,
            use_udp=bool(codec.use_udp),
            codec=codec)

    def adapt_state_dict(self, state_dict: dict) -> dict:
        """Rename foreign checkpoint layouts to this model's, as a plain
        ``load_state_dict`` does through its pre-hooks; called by
        ``rtmpose.checkpoint.load_state_dict`` before matching keys.
        """
        return adapt_state_dict(self, state_dict)

    # mmpose 0.x names the head keypoint_head; the parts convert their own
    # keys themselves (VisionTransformer.adapt_state_dict)
    rename_mmpose0_keys = staticmethod(rename_mmpose0_keys)

    def extract_feat(self, inputs: Tensor) -> tuple:
        """(N, 3, H, W) -> tuple of feature maps."""
        feats = self.backbone(inputs)
        if self.neck is not None:
            feats = self.neck(feats)
        return feats

    def forward(self,
                inputs: Tensor,
                data_samples: Optional[list] = None,
                mode: str = 'tensor') -> Union[dict, list, tuple]:
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            feats = self.extract_feat(inputs)
            return self.head.forward(feats) if self.head is not None \
                else feats
        raise ValueError(f'TopdownPoseEstimator: invalid mode {mode!r}; '
                         "expected 'loss', 'predict' or 'tensor'")

    def loss(self, inputs: Tensor, data_samples: list) -> dict:
        """Losses (and logged accuracies) of the head on a batch."""
        return self.head.loss(
            self.extract_feat(inputs), data_samples, train_cfg=self.train_cfg)

    def predict(self, inputs: Tensor, data_samples: list) -> list:
        """Predict keypoints in original image pixels (see class doc)."""
        if self.head is None:
            raise RuntimeError('TopdownPoseEstimator.predict needs a head')
        preds = self.head.predict(
            self.extract_test_feat(inputs), data_samples,
            test_cfg=self.test_cfg)
        indices = self.test_cfg.get('output_keypoint_indices')
        if indices is not None:
            for pred in preds:
                for key in ('keypoints', 'keypoint_scores',
                            'keypoints_visible'):
                    if key in pred:
                        pred.set_field(
                            np.asarray(pred.get(key))[:, list(indices)], key)
        return self.add_pred_to_datasample(preds, data_samples)

    def extract_test_feat(self, inputs: Tensor):
        """Features for ``head.predict``: a tuple of maps, or with
        ``flip_test`` ``[feats, feats of the flipped inputs]``."""
        if not self.test_cfg.get('flip_test', False):
            return self.extract_feat(inputs)
        # One backbone pass over both views; in eval mode every sample
        # is processed independently, so this equals two passes.
        both = self.extract_feat(torch.cat([inputs, inputs.flip(-1)]))
        n = inputs.shape[0]
        return [tuple(f[:n] for f in both), tuple(f[n:] for f in both)]

    @staticmethod
    def add_pred_to_datasample(preds: List[InstanceData],
                               data_samples: list) -> list:
        """Move input-space predictions to image pixels and attach them."""
        if len(preds) != len(data_samples):
            raise ValueError(f'TopdownPoseEstimator: {len(preds)} predictions'
                             f' for {len(data_samples)} data samples')
        for pred, sample in zip(preds, data_samples):
            pred.keypoints = input_to_image_coords(
                np.asarray(pred.keypoints), sample.metainfo)
            gt = sample.get('gt_instances')
            if gt is not None:
                for key in ('bboxes', 'bbox_scores'):
                    if key in gt:
                        pred.set_field(gt.get(key), key)
            sample.pred_instances = pred
        return data_samples
