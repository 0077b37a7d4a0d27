"""QualityFocalLoss and GIoULoss against their formulas."""
import math

import pytest
import torch

from rtmpose.models.losses import GIoULoss, QualityFocalLoss


def _bce(x, y):
    p = 1 / (1 + math.exp(-x))
    return -(y * math.log(p) + (1 - y) * math.log(1 - p))


def _sigmoid(x):
    return 1 / (1 + math.exp(-x))


def test_qfl_formula():
    logits = torch.tensor([[0.5, -1.0], [2.0, 0.3], [-0.2, 1.5]])
    labels = torch.tensor([1, 2, 0])  # 2 = background (C = 2)
    scores = torch.tensor([0.8, 0.0, 0.3])
    expected = 0.0
    for i in range(3):
        for c in range(2):
            x = logits[i, c].item()
            y = scores[i].item() if labels[i].item() == c else 0.0
            expected += _bce(x, y) * abs(y - _sigmoid(x))**2
    loss = QualityFocalLoss(beta=2.0)
    summed = loss(logits, (labels, scores), avg_factor=1.0)
    assert summed.item() == pytest.approx(expected, rel=1e-5)
    # per-prior weights and the mean over priors
    none = QualityFocalLoss(reduction='none')(logits, (labels, scores))
    assert none.shape == (3, )
    assert none.sum().item() == pytest.approx(expected, rel=1e-5)
    assert QualityFocalLoss()(logits, (labels, scores)).item() == \
        pytest.approx(expected / 3, rel=1e-5)


def test_qfl_rejects_bad_targets():
    with pytest.raises(ValueError, match='labels and scores'):
        QualityFocalLoss()(torch.zeros(3, 1), (torch.zeros(2), torch.zeros(3)))
    with pytest.raises(ValueError, match='use_sigmoid'):
        QualityFocalLoss(use_sigmoid=False)


def test_giou_formula():
    pred = torch.tensor([[0., 0., 2., 2.], [0., 0., 1., 1.]])
    target = torch.tensor([[1., 1., 3., 3.], [0., 0., 1., 1.]])
    weight = torch.tensor([1.0, 0.5])
    # pair 0: IoU 1/7, enclosing 9, union 7; pair 1: identical
    loss0 = 1 - (1 / 7 - 2 / 9)
    loss = GIoULoss(loss_weight=2.0)(pred, target, weight, avg_factor=1.0)
    assert loss.item() == pytest.approx(2.0 * loss0, rel=1e-5)
    # disjoint boxes: GIoU < 0, loss > 1
    far = GIoULoss(reduction='none')(
        torch.tensor([[0., 0., 1., 1.]]), torch.tensor([[3., 0., 4., 1.]]))
    assert far.item() == pytest.approx(1 + (4 - 2) / 4)
    # no positive weight: a zero connected to the graph
    p = pred.clone().requires_grad_()
    zero = GIoULoss()(p, target, torch.zeros(2))
    assert zero.item() == 0 and zero.requires_grad
