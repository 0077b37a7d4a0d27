"""RTMDet's dynamic soft-label assignment of point priors to GT boxes."""
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from mmengine.structures import InstanceData
from torch import Tensor

from rtmpose.registry import TASK_UTILS
from rtmpose.structures.bbox_iou import bbox_overlaps
from .assign_result import AssignResult

# added to IoUs before the log of the IoU cost
EPS = 1.0e-7
# max_overlaps of the background priors is -INF
INF = 100000000


@TASK_UTILS.register_module()
class DynamicSoftLabelAssigner:
    """SimOTA-style dynamic-k matching with a soft-label cost (RTMDet).

    Candidates are the priors whose point lies strictly inside at least one
    GT box. For candidate p and GT g the cost is::

        cost = sum_c BCE(logit_pc, y_pgc) * |y_pgc - sigmoid(logit_pc)|^2
               - iou_weight * log(IoU_pg + 1e-7)
               + 10 ** (dist(p, centre_g) / stride_p - soft_center_radius)

    with the soft label ``y_pgc = IoU_pg`` for c = class of g, else 0.
    GT g takes the ``k_g = max(int(sum of its topk largest IoUs), 1)``
    cheapest candidates; a prior claimed by several GT boxes keeps the
    cheapest one. Positives get ``max_overlaps`` = IoU with their GT.

    Args:
        soft_center_radius: radius of the soft centre prior, in strides.
        topk: candidates whose IoUs sum to the dynamic k.
        iou_weight: weight of the IoU cost.
    """

    def __init__(self,
                 soft_center_radius: float = 3.0,
                 topk: int = 13,
                 iou_weight: float = 3.0) -> None:
        self.soft_center_radius = soft_center_radius
        self.topk = topk
        self.iou_weight = iou_weight

    def assign(self,
               pred_instances: InstanceData,
               gt_instances: InstanceData,
               gt_instances_ignore: Optional[InstanceData] = None
               ) -> AssignResult:
        """Assign N priors.

        Args:
            pred_instances: ``priors`` (N, 4) (x, y, stride_w, stride_h),
                ``bboxes`` (N, 4) decoded xyxy predictions, ``scores``
                (N, C) classification logits.
            gt_instances: ``bboxes`` (G, 4) xyxy, ``labels`` (G,).
            gt_instances_ignore: unused (as in the reference: crowd boxes
                are left out of the GT instead).
        """
        gt_bboxes = gt_instances.bboxes
        gt_labels = gt_instances.labels
        num_gt = gt_bboxes.size(0)
        decoded_bboxes = pred_instances.bboxes
        pred_scores = pred_instances.scores
        priors = pred_instances.priors
        num_bboxes = decoded_bboxes.size(0)

        gt_inds = decoded_bboxes.new_zeros((num_bboxes, ), dtype=torch.long)
        empty = AssignResult(
            num_gt, gt_inds, decoded_bboxes.new_zeros((num_bboxes, )),
            decoded_bboxes.new_full((num_bboxes, ), -1, dtype=torch.long))
        if num_gt == 0 or num_bboxes == 0:
            return empty

        prior_center = priors[:, :2]
        deltas = torch.cat([
            prior_center[:, None] - gt_bboxes[:, :2],
            gt_bboxes[:, 2:] - prior_center[:, None]
        ], dim=-1)
        valid_mask = (deltas.min(dim=-1).values > 0).any(dim=1)
        num_valid = int(valid_mask.sum())
        if num_valid == 0:
            return empty

        valid_bboxes = decoded_bboxes[valid_mask]
        valid_scores = pred_scores[valid_mask]
        valid_prior = priors[valid_mask]
        gt_center = (gt_bboxes[:, :2] + gt_bboxes[:, 2:]) / 2.0
        distance = (valid_prior[:, None, :2] - gt_center[None]).pow(2).sum(
            -1).sqrt() / valid_prior[:, 2:3]
        soft_center_prior = torch.pow(10, distance - self.soft_center_radius)

        pairwise_ious = bbox_overlaps(valid_bboxes, gt_bboxes)
        iou_cost = -torch.log(pairwise_ious + EPS) * self.iou_weight

        onehot = F.one_hot(gt_labels.long(), pred_scores.shape[-1]).float()
        soft_label = onehot[None] * pairwise_ious[..., None]
        logits = valid_scores[:, None, :].expand(-1, num_gt, -1)
        scale = (soft_label - logits.sigmoid()).abs().pow(2.0)
        soft_cls_cost = (F.binary_cross_entropy_with_logits(
            logits, soft_label, reduction='none') * scale).sum(dim=-1)

        cost = soft_cls_cost + iou_cost + soft_center_prior
        matched_ious, matched_gt, fg_mask = self._dynamic_k_matching(
            cost, pairwise_ious)

        valid_idx = valid_mask.nonzero().squeeze(1)[fg_mask]
        gt_inds[valid_idx] = matched_gt + 1
        labels = gt_inds.new_full((num_bboxes, ), -1)
        labels[valid_idx] = gt_labels[matched_gt].long()
        max_overlaps = decoded_bboxes.new_full((num_bboxes, ), -INF)
        max_overlaps[valid_idx] = matched_ious
        return AssignResult(num_gt, gt_inds, max_overlaps, labels)

    def _dynamic_k_matching(self, cost: Tensor, pairwise_ious: Tensor
                            ) -> Tuple[Tensor, Tensor, Tensor]:
        """(V, G) cost and IoUs -> IoUs (P,) and GT index (P,) of the P
        matched candidates, and the (V,) mask of which are matched."""
        num_gt = cost.size(1)
        matching = torch.zeros_like(cost, dtype=torch.bool)
        candidate_topk = min(self.topk, pairwise_ious.size(0))
        topk_ious, _ = torch.topk(pairwise_ious, candidate_topk, dim=0)
        # one host copy of the G ks, not a device sync per GT box
        dynamic_ks = topk_ious.sum(0).int().clamp(min=1).tolist()
        for g in range(num_gt):
            _, pos_idx = torch.topk(cost[:, g], k=dynamic_ks[g], largest=False)
            matching[pos_idx, g] = True
        multiple = matching.sum(1) > 1
        if multiple.any():
            cost_argmin = cost[multiple].argmin(dim=1)
            matching[multiple] = False
            matching[multiple.nonzero().squeeze(1), cost_argmin] = True
        fg_mask = matching.any(1)
        matched_gt = matching[fg_mask].float().argmax(1)
        matched_ious = (matching * pairwise_ious).sum(1)[fg_mask]
        return matched_ious, matched_gt, fg_mask
