import pytest
import torch
import torch.nn.functional as F

from rtmpose.models.losses import KLDiscretLoss


def gaussian_labels(centers, num_bins, sigma=2.0):
    bins = torch.arange(num_bins, dtype=torch.float32)
    return torch.exp(-(bins - centers[..., None])**2 / (2 * sigma**2))


def test_minimal_at_label_and_positive_elsewhere():
    loss = KLDiscretLoss(beta=10., label_softmax=True)
    gx = gaussian_labels(torch.tensor([[10., 30.]]), 64)
    gy = gaussian_labels(torch.tensor([[20., 5.]]), 48)
    w = torch.ones(1, 2)
    at_label = loss((gx, gy), (gx, gy), w)
    assert at_label.abs() < 1e-6
    shifted = loss((gx.roll(3, -1), gy), (gx, gy), w)
    assert shifted > 1e-3
    noisy = loss((gx + 0.1 * torch.rand_like(gx), gy), (gx, gy), w)
    assert shifted > noisy > at_label


def test_value_matches_definition():
    torch.manual_seed(0)
    pred_x, pred_y = torch.randn(2, 3, 16), torch.randn(2, 3, 12)
    gt_x, gt_y = torch.rand(2, 3, 16), torch.rand(2, 3, 12)
    w = torch.rand(2, 3)
    loss = KLDiscretLoss(beta=10., label_softmax=True, label_beta=10.)
    expected = 0
    for p, g in ((pred_x, gt_x), (pred_y, gt_y)):
        target = F.softmax(g * 10, -1)
        kl = target * (target.log() - F.log_softmax(p * 10, -1))
        expected = expected + (kl.mean(-1) * w).sum()
    expected = expected / 3
    assert torch.allclose(loss((pred_x, pred_y), (gt_x, gt_y), w), expected,
                          atol=1e-6)


def test_target_weight_zero_removes_keypoint():
    torch.manual_seed(0)
    pred = (torch.randn(1, 2, 16), torch.randn(1, 2, 12))
    gt = (torch.rand(1, 2, 16), torch.rand(1, 2, 12))
    loss = KLDiscretLoss(beta=10., label_softmax=True)
    both = loss(pred, gt, torch.tensor([[1., 1.]]))
    only0 = loss(pred, gt, torch.tensor([[1., 0.]]))
    # changing the weight-0 keypoint's prediction changes nothing
    pred2 = (pred[0].clone(), pred[1].clone())
    pred2[0][0, 1] += 5 * torch.randn(16)
    assert loss(pred2, gt, torch.tensor([[1., 0.]])) == pytest.approx(
        only0.item(), abs=1e-7)
    assert both > only0 > 0


def test_hard_labels_without_softmax():
    loss = KLDiscretLoss(beta=1., label_softmax=False)
    one_hot = F.one_hot(torch.tensor([[3]]), 8).float()
    logits = one_hot * 50
    w = torch.ones(1, 1)
    assert loss((logits, logits), (one_hot, one_hot), w) < 1e-6
    assert torch.isfinite(loss((-logits, logits), (one_hot, one_hot), w))


def test_mask_weight_and_errors():
    torch.manual_seed(0)
    pred = (torch.randn(1, 2, 16), torch.randn(1, 2, 12))
    gt = (torch.rand(1, 2, 16), torch.rand(1, 2, 12))
    w = torch.ones(1, 2)
    plain = KLDiscretLoss(label_softmax=True)
    masked = KLDiscretLoss(label_softmax=True, mask=[1], mask_weight=0.)
    only0 = plain(pred, gt, torch.tensor([[1., 0.]]))
    assert masked(pred, gt, w) == pytest.approx(only0.item(), rel=1e-6)
    with pytest.raises(ValueError, match='shape'):
        plain((pred[0], pred[1]), (gt[0][..., :8], gt[1]), w)
