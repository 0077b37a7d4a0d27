"""Top-down estimator with one shared backbone and one head per dataset
(multi-dataset training of ViTPose, Table 6)."""
from typing import Optional, Union

import torch
from mmengine.model import ModuleDict
from torch import Tensor

from rtmpose.registry import MODELS
from .topdown import TopdownPoseEstimator


@MODELS.register_module()
class MultiHeadTopdownPoseEstimator(TopdownPoseEstimator):
    """Backbone (+ neck) shared by several keypoint heads, one per dataset,
    each in its dataset's own keypoint layout.

    - ``'loss'``: every sample goes to the head named by its
      ``metainfo['dataset_name']`` (``MultiLayoutDataset`` keeps each
      member's name and keypoints). Each head sees only its samples' features
      and targets; its losses come back as ``<key>_<name>`` (e.g.
      ``loss_kpt_coco``, ``acc_pose_aic``), the losses scaled by the head's
      share of the batch so that every sample weighs the same whatever the
      mix. A head without samples in the batch gets no loss and no
      gradient (use ``find_unused_parameters=True`` with DDP).
    - ``'predict'`` / ``'tensor'``: the ``predict_head`` only (e.g. COCO for
      COCO evaluation), as :class:`TopdownPoseEstimator` does with its head.

    Args:
        backbone, neck (dict): MODELS configs (neck optional).
        heads (dict): dataset name -> head config, e.g.
            ``dict(coco=dict(type='HeatmapHead', out_channels=17, ...),
            aic=dict(type='HeatmapHead', out_channels=14, ...))``.
        predict_head (str, optional): head used for prediction; default
            the first of ``heads``.
        Other args (keyword only): as :class:`TopdownPoseEstimator`.
    """

    def __init__(self,
                 backbone: dict,
                 heads: dict,
                 neck: Optional[dict] = None,
                 predict_head: Optional[str] = None,
                 **kwargs) -> None:
        super().__init__(backbone, neck=neck, head=None, **kwargs)
        if not heads:
            raise ValueError('MultiHeadTopdownPoseEstimator: heads is empty; '
                             'give dataset name -> head config')
        # mmengine's ModuleDict: init_weights reaches the heads
        self.heads = ModuleDict(
            {name: self.build_head(cfg)
             for name, cfg in heads.items()})
        self.predict_head = predict_head or next(iter(self.heads))
        if self.predict_head not in self.heads:
            raise KeyError(f'MultiHeadTopdownPoseEstimator: predict_head '
                           f'{self.predict_head!r} is not one of the heads '
                           f'{list(self.heads)}')

    @property
    def decoding_head(self):
        return self.heads[self.predict_head]

    def forward(self,
                inputs: Tensor,
                data_samples: Optional[list] = None,
                mode: str = 'tensor') -> Union[dict, list, Tensor]:
        if mode == 'tensor':
            return self.decoding_head.forward(
                self.extract_feat(inputs))
        return super().forward(inputs, data_samples, mode)

    def loss(self, inputs: Tensor, data_samples: list) -> dict:
        """Per-head losses of a batch mixing datasets (see class doc)."""
        names = [s.metainfo.get('dataset_name') for s in data_samples]
        unknown = sorted({str(n) for n in names if n not in self.heads})
        if unknown:
            raise KeyError(f'MultiHeadTopdownPoseEstimator: samples of '
                           f'dataset_name {unknown} have no head; heads: '
                           f'{list(self.heads)}')
        feats = self.extract_feat(inputs)
        losses = {}
        for name, head in self.heads.items():
            index = [i for i, n in enumerate(names) if n == name]
            if not index:
                continue
            rows = torch.as_tensor(index, device=inputs.device)
            head_losses = head.loss(
                tuple(f.index_select(0, rows) for f in feats),
                [data_samples[i] for i in index],
                train_cfg=self.train_cfg)
            share = len(index) / len(names)
            for key, value in head_losses.items():
                losses[f'{key}_{name}'] = (
                    value * share if key.startswith('loss') else value)
        return losses

    def predict(self, inputs: Tensor, data_samples: list) -> list:
        """Keypoints of ``predict_head`` in original image pixels."""
        preds = self.decoding_head.predict(
            self.extract_test_feat(inputs), data_samples,
            test_cfg=self.test_cfg)
        return self.add_pred_to_datasample(preds, data_samples)
