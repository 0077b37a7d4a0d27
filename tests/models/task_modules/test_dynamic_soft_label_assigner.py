"""DynamicSoftLabelAssigner on hand-made cases."""
import torch
from mmengine.structures import InstanceData

from rtmpose.models.task_modules import DynamicSoftLabelAssigner


def _priors(points, stride=8):
    pts = torch.tensor(points, dtype=torch.float32)
    return torch.cat([pts, torch.full_like(pts, stride)], 1)


def test_dynamic_k_and_soft_labels():
    # GT A [0, 0, 32, 32] and GT B [64, 0, 96, 32]; three priors inside each
    # and one outside both
    priors = _priors([(8, 8), (16, 16), (24, 24), (72, 8), (80, 16),
                      (88, 24), (48, 16)])
    bboxes = torch.tensor([
        [0, 0, 32, 28],  # IoU with A 0.875
        [0, 0, 32, 32],  # A exactly
        [2, 4, 32, 32],  # IoU with A 30 * 28 / 1024
        [64, 0, 80, 16],  # IoU with B 0.25
        [64, 0, 96, 32],  # B exactly
        [80, 16, 96, 32],  # IoU with B 0.25
        [40, 8, 56, 24],  # outside every GT
    ], dtype=torch.float32)
    gt = InstanceData(
        bboxes=torch.tensor([[0., 0., 32., 32.], [64., 0., 96., 32.]]),
        labels=torch.tensor([0, 0]))
    pred = InstanceData(priors=priors, bboxes=bboxes,
                        scores=torch.zeros(7, 1))
    result = DynamicSoftLabelAssigner(topk=13).assign(pred, gt)
    # A: k = int(1 + 0.875 + 0.8203) = 2, its two best predictions;
    # B: k = int(1.5) = 1; the outside prior is background
    assert result.gt_inds.tolist() == [1, 1, 0, 0, 2, 0, 0]
    assert result.labels.tolist() == [0, 0, -1, -1, 0, -1, -1]
    pos = result.pos_mask
    assert torch.allclose(result.max_overlaps[pos],
                          torch.tensor([0.875, 1.0, 1.0]))


def test_prior_claimed_twice_goes_to_cheaper_gt():
    # one prior inside both GTs: both take it (k >= 1), the higher-IoU GT
    # (lower cost, equal centre distance) keeps it
    priors = _priors([(24, 16)])
    pred = InstanceData(
        priors=priors,
        bboxes=torch.tensor([[16., 0., 40., 32.]]),
        scores=torch.zeros(1, 1))
    gt = InstanceData(
        bboxes=torch.tensor([[0., 0., 32., 32.], [16., 0., 48., 32.]]),
        labels=torch.tensor([0, 0]))
    result = DynamicSoftLabelAssigner().assign(pred, gt)
    assert result.gt_inds.tolist() == [2]
    assert result.max_overlaps.tolist() == [0.75]


def test_no_gt_is_all_background():
    pred = InstanceData(priors=_priors([(8, 8)]),
                        bboxes=torch.tensor([[0., 0., 16., 16.]]),
                        scores=torch.zeros(1, 1))
    gt = InstanceData(bboxes=torch.zeros(0, 4),
                      labels=torch.zeros(0, dtype=torch.long))
    result = DynamicSoftLabelAssigner().assign(pred, gt)
    assert result.gt_inds.tolist() == [0]
    assert result.labels.tolist() == [-1]
