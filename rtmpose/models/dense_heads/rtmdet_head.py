"""RTMDet's dense head: per-level conv towers with separate BN, 1x1
classification and box-distance predictions on point priors."""
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.distributed as dist
import torch.nn as nn
from mmcv.cnn import ConvModule, DepthwiseSeparableConvModule
from mmengine.model import (BaseModule, bias_init_with_prob, constant_init,
                            normal_init)
from mmengine.structures import InstanceData
from torch import Tensor

from rtmpose.registry import MODELS, TASK_UTILS
from rtmpose.structures.bbox_nms import batched_nms
from ..task_modules.coders.distance_point_bbox_coder import distance2bbox
from ..utils import enable_conv_bn_folding


def _reduce_mean(value: Tensor) -> Tensor:
    """Mean of ``value`` over the processes of a distributed run."""
    if not (dist.is_available() and dist.is_initialized()):
        return value
    value = value.clone()
    dist.all_reduce(value.div_(dist.get_world_size()))
    return value


def filter_scores_and_topk(scores: Tensor, score_thr: float,
                           topk: int) -> Tuple[Tensor, Tensor, Tensor]:
    """The ``topk`` best (prior, class) pairs scored above ``score_thr``.

    Args:
        scores: (P, C) probabilities.

    Returns:
        ``scores (K,)`` descending, ``labels (K,)`` and ``prior_idxs (K,)``.
    """
    valid = scores > score_thr
    kept = scores[valid]
    idxs = valid.nonzero()
    kept, order = kept.sort(descending=True)
    if topk > 0:
        kept, order = kept[:topk], order[:topk]
    prior_idxs, labels = idxs[order].unbind(dim=1)
    return kept, labels, prior_idxs


@MODELS.register_module()
class RTMDetSepBNHead(BaseModule):
    """RTMDet head (``RTMDetSepBNHead`` of the reference).

    For each level l (stride s_l) of the L neck maps (N, in_channels, H_l,
    W_l): a classification tower and a regression tower of
    ``stacked_convs`` 3x3 conv-BN-act layers (BN never shared between
    levels; the convs are shared when ``share_conv``), then ``rtm_cls``
    (1x1, ``num_classes`` logits) and ``rtm_reg`` (1x1, 4 distances
    left/top/right/bottom in units of s_l, exponentiated first when
    ``exp_on_reg``). Boxes are decoded from point priors at the cells'
    top-left corners (offset 0).

    :meth:`forward` returns ``(cls_scores, bbox_preds)``: L tensors
    (N, num_classes, H_l, W_l) of logits and L tensors (N, 4, H_l, W_l) of
    distances in input pixels.

    Args:
        num_classes: number of object classes (1 for the person models).
        in_channels: channels of the neck maps.
        feat_channels: channels of the towers.
        stacked_convs: layers per tower.
        share_conv: share the tower convs (not the BNs) across levels.
        use_depthwise: depthwise-separable tower convs.
        exp_on_reg: predict log-distances.
        pred_kernel_size: kernel of ``rtm_cls`` / ``rtm_reg``.
        with_objectness: must be False (no objectness branch, as the
            RTMDet configs set).
        anchor_generator: the prior generator config.
        bbox_coder: the box coder config.
        loss_cls: classification loss config (``QualityFocalLoss``).
        loss_bbox: box loss config (``GIoULoss``), on decoded boxes.
        train_cfg: ``assigner`` config, ``allowed_border`` (only -1: every
            prior is a candidate), ``pos_weight`` (<= 0: weight 1).
        test_cfg: ``nms_pre``, ``score_thr``, ``nms=dict(iou_threshold)``,
            ``max_per_img``, ``min_bbox_size``.
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int,
                 feat_channels: int = 256,
                 stacked_convs: int = 2,
                 share_conv: bool = True,
                 use_depthwise: bool = False,
                 exp_on_reg: bool = False,
                 pred_kernel_size: int = 1,
                 with_objectness: bool = False,
                 anchor_generator: dict = dict(
                     type='MlvlPointGenerator', offset=0,
                     strides=[8, 16, 32]),
                 bbox_coder: dict = dict(type='DistancePointBBoxCoder'),
                 loss_cls: dict = dict(
                     type='QualityFocalLoss',
                     use_sigmoid=True,
                     beta=2.0,
                     loss_weight=1.0),
                 loss_bbox: dict = dict(type='GIoULoss', loss_weight=2.0),
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN', momentum=0.03, eps=0.001),
                 act_cfg: dict = dict(type='SiLU'),
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        if with_objectness:
            raise ValueError('RTMDetSepBNHead: with_objectness=True is not '
                             'supported (the RTMDet configs set False)')
        self.num_classes = num_classes
        self.cls_out_channels = num_classes
        self.in_channels = in_channels
        self.feat_channels = feat_channels
        self.stacked_convs = stacked_convs
        self.share_conv = share_conv
        self.exp_on_reg = exp_on_reg
        self.train_cfg = dict(train_cfg or {})
        self.test_cfg = dict(test_cfg or {})
        self.prior_generator = TASK_UTILS.build(anchor_generator)
        self.bbox_coder = TASK_UTILS.build(bbox_coder)
        self.loss_cls = MODELS.build(loss_cls)
        self.loss_bbox = MODELS.build(loss_bbox)
        self.assigner = None
        if self.train_cfg:
            if self.train_cfg.get('allowed_border', -1) >= 0:
                raise ValueError('RTMDetSepBNHead: only allowed_border=-1 '
                                 '(every prior is a candidate) is supported')
            self.assigner = TASK_UTILS.build(self.train_cfg['assigner'])

        conv = DepthwiseSeparableConvModule if use_depthwise else ConvModule
        common = dict(
            stride=1,
            padding=1,
            conv_cfg=conv_cfg,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg)
        num_levels = self.prior_generator.num_levels

        def tower() -> nn.ModuleList:
            return nn.ModuleList([
                conv(in_channels if i == 0 else feat_channels, feat_channels,
                     3, **common) for i in range(stacked_convs)
            ])

        def pred(out: int) -> nn.Conv2d:
            return nn.Conv2d(feat_channels, out, pred_kernel_size,
                             padding=pred_kernel_size // 2)

        self.cls_convs = nn.ModuleList([tower() for _ in range(num_levels)])
        self.reg_convs = nn.ModuleList([tower() for _ in range(num_levels)])
        self.rtm_cls = nn.ModuleList(
            [pred(num_classes) for _ in range(num_levels)])
        self.rtm_reg = nn.ModuleList([pred(4) for _ in range(num_levels)])
        if share_conv:
            for towers in (self.cls_convs, self.reg_convs):
                for level in towers[1:]:
                    for layer, first in zip(level, towers[0]):
                        _share_convs(layer, first)
        # CPU speed as in CSPNeXt: NHWC weights, eval-mode BN folded into the
        # convs (same state_dict)
        self.to(memory_format=torch.channels_last)
        enable_conv_bn_folding(self)

    def init_weights(self) -> None:
        """Normal(0, 0.01) convs, unit BN, classification bias for a prior
        probability of 0.01 (as the reference)."""
        super().init_weights()
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                normal_init(m, mean=0, std=0.01)
            if isinstance(m, (nn.modules.batchnorm._BatchNorm,
                              nn.GroupNorm, nn.LayerNorm)):
                constant_init(m, 1)
        bias_cls = bias_init_with_prob(0.01)
        for rtm_cls, rtm_reg in zip(self.rtm_cls, self.rtm_reg):
            normal_init(rtm_cls, std=0.01, bias=bias_cls)
            normal_init(rtm_reg, std=0.01)

    def forward(self, feats: Sequence[Tensor]
                ) -> Tuple[Tuple[Tensor, ...], Tuple[Tensor, ...]]:
        """L maps (N, in_channels, H_l, W_l) -> (cls_scores, bbox_preds),
        see the class docstring."""
        cls_scores, bbox_preds = [], []
        for idx, (x, stride) in enumerate(
                zip(feats, self.prior_generator.strides)):
            cls_feat, reg_feat = x, x
            for layer in self.cls_convs[idx]:
                cls_feat = layer(cls_feat)
            for layer in self.reg_convs[idx]:
                reg_feat = layer(reg_feat)
            reg = self.rtm_reg[idx](reg_feat)
            if self.exp_on_reg:
                reg = reg.exp()
            cls_scores.append(self.rtm_cls[idx](cls_feat))
            bbox_preds.append(reg * stride[0])
        return tuple(cls_scores), tuple(bbox_preds)

    # ------------------------------------------------------------ training
    def loss(self, feats: Sequence[Tensor],
             batch_data_samples: list) -> Dict[str, List[Tensor]]:
        """Losses of a batch; the samples carry ``gt_instances``."""
        cls_scores, bbox_preds = self(feats)
        return self.loss_by_feat(
            cls_scores, bbox_preds,
            [s.gt_instances for s in batch_data_samples],
            [s.metainfo for s in batch_data_samples])

    def loss_by_feat(self, cls_scores: Sequence[Tensor],
                     bbox_preds: Sequence[Tensor],
                     batch_gt_instances: List[InstanceData],
                     batch_img_metas: List[dict]
                     ) -> Dict[str, List[Tensor]]:
        """``loss_cls`` (QFL) and ``loss_bbox`` (GIoU), one entry per level.

        The assigner sees detached predictions. The QFL target of a positive
        is the IoU of its decoded box with its GT (0 for negatives); the
        GIoU loss of a positive is weighted by that IoU. Per-level sums are
        divided by the batch's total soft-label mass (QFL) and total
        positive weight (GIoU), each at least 1 and averaged over
        processes.
        """
        if self.assigner is None:
            raise RuntimeError('RTMDetSepBNHead.loss needs a train_cfg with '
                               'an assigner')
        num_imgs = len(batch_img_metas)
        featmap_sizes = [s.shape[-2:] for s in cls_scores]
        device = cls_scores[0].device
        priors = self.prior_generator.grid_priors(
            featmap_sizes, dtype=cls_scores[0].dtype, device=device,
            with_stride=True)
        num_level_priors = [p.size(0) for p in priors]
        flat_cls = torch.cat([
            s.permute(0, 2, 3, 1).reshape(num_imgs, -1, self.cls_out_channels)
            for s in cls_scores
        ], 1)
        decoded = [
            distance2bbox(p, b.permute(0, 2, 3, 1).reshape(num_imgs, -1, 4))
            for p, b in zip(priors, bbox_preds)
        ]
        flat_bboxes = torch.cat(decoded, 1)
        all_priors = torch.cat(priors)

        targets = [
            self._get_targets_single(flat_cls[i].detach(),
                                     flat_bboxes[i].detach(), all_priors,
                                     batch_gt_instances[i])
            for i in range(num_imgs)
        ]
        # (N, P) per image -> per level (N, P_l)
        labels, label_weights, bbox_targets, metrics = (
            torch.stack(t).split(num_level_priors, dim=1)
            for t in zip(*targets))

        losses_cls, losses_bbox = [], []
        cls_avg, bbox_avg = 0, 0
        for lvl in range(len(cls_scores)):
            cls_l = cls_scores[lvl].permute(0, 2, 3, 1).reshape(
                -1, self.cls_out_channels)
            bbox_l = decoded[lvl].reshape(-1, 4)
            labels_l = labels[lvl].reshape(-1)
            metrics_l = metrics[lvl].reshape(-1)
            losses_cls.append(
                self.loss_cls(
                    cls_l, (labels_l, metrics_l),
                    label_weights[lvl].reshape(-1),
                    avg_factor=1.0))
            pos = ((labels_l >= 0) &
                   (labels_l < self.num_classes)).nonzero().squeeze(1)
            if len(pos) > 0:
                pos_weight = metrics_l[pos]
                losses_bbox.append(
                    self.loss_bbox(
                        bbox_l[pos],
                        bbox_targets[lvl].reshape(-1, 4)[pos],
                        weight=pos_weight,
                        avg_factor=1.0))
                bbox_avg = bbox_avg + pos_weight.sum()
            else:
                losses_bbox.append(bbox_l.sum() * 0)
            cls_avg = cls_avg + metrics_l.sum()
        # 0-dim tensors, not .item(): the same float32 division without a
        # host sync per step (the factors come from the detached assigner)
        cls_avg = _reduce_mean(
            torch.as_tensor(cls_avg, device=device)).clamp_(min=1)
        bbox_avg = _reduce_mean(
            torch.as_tensor(bbox_avg, device=device,
                            dtype=torch.float32)).clamp_(min=1)
        return dict(
            loss_cls=[x / cls_avg for x in losses_cls],
            loss_bbox=[x / bbox_avg for x in losses_bbox])

    def _get_targets_single(self, cls_scores: Tensor, bboxes: Tensor,
                            priors: Tensor, gt_instances: InstanceData
                            ) -> Tuple[Tensor, Tensor, Tensor, Tensor]:
        """Targets of one image's P priors: ``labels`` (P,) (num_classes =
        background), ``label_weights`` (P,), ``bbox_targets`` (P, 4) xyxy,
        ``assign_metrics`` (P,) IoU soft labels (0 for background)."""
        result = self.assigner.assign(
            InstanceData(scores=cls_scores, bboxes=bboxes, priors=priors),
            gt_instances)
        num = priors.size(0)
        pos = result.pos_mask
        labels = priors.new_full((num, ), self.num_classes, dtype=torch.long)
        label_weights = priors.new_ones(num)
        bbox_targets = torch.zeros_like(priors)
        metrics = priors.new_zeros(num)
        if pos.any():
            gt_idx = result.gt_inds[pos] - 1
            bbox_targets[pos] = gt_instances.bboxes[gt_idx].to(priors.dtype)
            labels[pos] = result.labels[pos]
            pos_weight = self.train_cfg.get('pos_weight', -1)
            if pos_weight > 0:
                label_weights[pos] = pos_weight
            metrics[pos] = result.max_overlaps[pos]
        return labels, label_weights, bbox_targets, metrics

    # ----------------------------------------------------------- inference
    def predict(self, feats: Sequence[Tensor], batch_data_samples: list,
                rescale: bool = True) -> List[InstanceData]:
        """Detections of a batch, see :meth:`predict_by_feat`."""
        cls_scores, bbox_preds = self(feats)
        return self.predict_by_feat(
            cls_scores, bbox_preds,
            [s.metainfo for s in batch_data_samples], rescale=rescale)

    def predict_by_feat(self,
                        cls_scores: Sequence[Tensor],
                        bbox_preds: Sequence[Tensor],
                        batch_img_metas: List[dict],
                        cfg: Optional[dict] = None,
                        rescale: bool = True) -> List[InstanceData]:
        """Decode, filter and suppress the head outputs of each image.

        Per level: sigmoid scores, the ``nms_pre`` best (prior, class) pairs
        above ``score_thr``; boxes decoded and clamped to ``img_shape``;
        with ``rescale`` divided by ``scale_factor`` (w, h) into original
        image pixels (the test pipeline pads right and bottom only, so no
        offset is left to undo) and clipped to ``ori_shape`` (the reference
        clips to the padded input only, so its boxes can reach past the
        image into the padding); boxes of width or height
        <= ``min_bbox_size`` dropped; class-aware NMS; at most
        ``max_per_img``.

        Returns:
            One ``InstanceData`` per image: ``bboxes`` (K, 4) xyxy,
            ``scores`` (K,), ``labels`` (K,), highest score first.
        """
        cfg = dict(self.test_cfg if cfg is None else cfg)
        featmap_sizes = [s.shape[-2:] for s in cls_scores]
        priors = self.prior_generator.grid_priors(
            featmap_sizes, dtype=cls_scores[0].dtype,
            device=cls_scores[0].device)
        results = []
        for img_id, meta in enumerate(batch_img_metas):
            results.append(
                self._predict_single(
                    [s[img_id].detach() for s in cls_scores],
                    [b[img_id].detach() for b in bbox_preds], priors, meta,
                    cfg, rescale))
        return results

    def _predict_single(self, cls_scores: List[Tensor],
                        bbox_preds: List[Tensor], priors: List[Tensor],
                        meta: dict, cfg: dict,
                        rescale: bool) -> InstanceData:
        nms_pre = cfg.get('nms_pre', -1)
        score_thr = cfg.get('score_thr', 0)
        mlvl_dist, mlvl_priors, mlvl_scores, mlvl_labels = [], [], [], []
        for cls_score, bbox_pred, prior in zip(cls_scores, bbox_preds,
                                               priors):
            scores = cls_score.permute(1, 2, 0).reshape(
                -1, self.cls_out_channels).sigmoid()
            dists = bbox_pred.permute(1, 2, 0).reshape(-1, 4)
            scores, labels, idxs = filter_scores_and_topk(
                scores, score_thr, nms_pre)
            mlvl_dist.append(dists[idxs])
            mlvl_priors.append(prior[idxs])
            mlvl_scores.append(scores)
            mlvl_labels.append(labels)
        bboxes = self.bbox_coder.decode(
            torch.cat(mlvl_priors), torch.cat(mlvl_dist),
            max_shape=meta.get('img_shape'))
        scores = torch.cat(mlvl_scores)
        labels = torch.cat(mlvl_labels)
        if rescale:
            # times the reciprocal, bit for bit as the reference
            inv = [1 / s for s in meta['scale_factor']]
            bboxes = bboxes * bboxes.new_tensor(inv).repeat(2)
            if 'ori_shape' in meta:
                h, w = meta['ori_shape'][:2]
                bboxes[:, 0::2] = bboxes[:, 0::2].clamp(0, w)
                bboxes[:, 1::2] = bboxes[:, 1::2].clamp(0, h)
        min_size = cfg.get('min_bbox_size', -1)
        if min_size >= 0:
            wh = bboxes[:, 2:] - bboxes[:, :2]
            valid = (wh > min_size).all(1)
            bboxes, scores, labels = bboxes[valid], scores[valid], labels[
                valid]
        if 'nms' in cfg and bboxes.numel() > 0:
            dets, keep = batched_nms(bboxes, scores, labels,
                                     cfg['nms']['iou_threshold'])
            bboxes, scores, labels = dets[:, :4], dets[:, 4], labels[keep]
            max_per_img = cfg.get('max_per_img', -1)
            if max_per_img > 0:
                bboxes, scores, labels = (bboxes[:max_per_img],
                                          scores[:max_per_img],
                                          labels[:max_per_img])
        return InstanceData(bboxes=bboxes, scores=scores, labels=labels)


def _share_convs(layer: nn.Module, source: nn.Module) -> None:
    """Make the convolutions of ``layer`` those of ``source`` (a ConvModule
    or a depthwise-separable one), leaving its norms its own."""
    if isinstance(layer, ConvModule):
        layer.conv = source.conv
        return
    for name in ('depthwise_conv', 'pointwise_conv'):
        getattr(layer, name).conv = getattr(source, name).conv
