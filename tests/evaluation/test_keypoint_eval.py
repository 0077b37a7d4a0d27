"""The training-time acc_pose of heatmap and SimCC heads on
hand-made batches with hand-computed answers."""
import numpy as np
import pytest

from rtmpose.evaluation.functional import (heatmap_pck_accuracy,
                                           simcc_pck_accuracy)


def _heatmaps(locs, h, w):
    """(N, K, 2) integer (x, y) -> (N, K, H, W) maps with one peak each."""
    n, k = locs.shape[:2]
    maps = np.zeros((n, k, h, w), np.float32)
    for i in range(n):
        for j in range(k):
            x, y = locs[i, j]
            maps[i, j, y, x] = 1.
    return maps


def test_heatmap_acc_pose_normalisation_and_per_keypoint_mean():
    # H=10, W=20: x offsets are divided by H=10, y offsets by W=20 (the
    # reference's [H, W] order). thr 0.15: |dx| <= 1, |dy| <= 2 pass.
    gt = np.array([[[5, 5], [8, 3], [2, 2]], [[5, 5], [8, 3], [2, 2]]])
    pred = gt.copy()
    pred[1, 0, 0] += 2  # kpt 0, sample 1: dx = 2 -> 0.2, wrong
    pred[0, 1, 1] += 2  # kpt 1, sample 0: dy = 2 -> 0.1, right
    mask = np.array([[True, True, False], [True, False, False]])
    acc, avg, cnt = heatmap_pck_accuracy(
        _heatmaps(pred, 10, 20), _heatmaps(gt, 10, 20), mask, thr=0.15)
    np.testing.assert_allclose(acc, [0.5, 1.0, -1])
    # Mean of the per-keypoint accuracies (pooled would be 2 / 3).
    assert avg == pytest.approx(0.75)
    assert cnt == 2


def test_heatmap_acc_pose_default_threshold():
    # 64x48 maps (H=64, W=48), thr 0.05: dx < 3.2, dy < 2.4 heatmap pixels.
    gt = np.array([[[20, 30], [20, 30], [20, 30], [20, 30]]])
    pred = gt + np.array([[[3, 0], [4, 0], [0, 2], [0, 3]]])
    acc, avg, _ = heatmap_pck_accuracy(
        _heatmaps(pred, 64, 48), _heatmaps(gt, 64, 48), np.ones((1, 4), bool))
    np.testing.assert_allclose(acc, [1, 0, 1, 0])
    assert avg == pytest.approx(0.5)


def _simcc(bins, length, peak=1.):
    """(N, K) integer bins -> (N, K, length) vectors, -1 except ``peak`` at
    the bin."""
    n, k = bins.shape
    vec = np.full((n, k, length), -1., np.float32)
    for i in range(n):
        for j in range(k):
            vec[i, j, bins[i, j]] = peak[i, j] if np.ndim(peak) else peak
    return vec


def test_simcc_acc_pose_normalisation_and_nonpositive_maximum():
    # Input 20 x 10 px (W x H), split ratio 2: x vectors 40 bins, y 20.
    # Offsets in pixels (bins / 2); x divided by H=10, y by W=20.
    # thr 0.15: |dx| < 1.5 px, |dy| < 3 px pass.
    gt_x = np.array([[10, 10, 10], [10, 10, 10]])
    gt_y = np.array([[6, 6, 6], [6, 6, 6]])
    px, py = gt_x.copy(), gt_y.copy()
    px[0, 0] += 4  # kpt 0, sample 0: dx = 2 px -> 0.2, wrong
    py[0, 1] += 5  # kpt 1, sample 0: dy = 2.5 px -> 0.125, right
    # kpt 2, sample 0: right bins, but a negative maximum is no location.
    peak = np.ones((2, 3))
    peak[0, 2] = -0.5
    mask = np.array([[True, True, True], [True, False, True]])
    acc, avg, cnt = simcc_pck_accuracy(
        (_simcc(px, 40, peak), _simcc(py, 20, peak)),
        (_simcc(gt_x, 40), _simcc(gt_y, 20)), 2.0, mask, thr=0.15)
    np.testing.assert_allclose(acc, [0.5, 1.0, 0.5])
    assert avg == pytest.approx(2 / 3)  # pooled would be 3 / 5
    assert cnt == 3


def test_simcc_acc_pose_nothing_labelled():
    vec = _simcc(np.zeros((1, 2), int), 8)
    acc, avg, cnt = simcc_pck_accuracy((vec, vec), (vec, vec), 2.0,
                                       np.zeros((1, 2), bool))
    np.testing.assert_allclose(acc, [-1, -1])
    assert (avg, cnt) == (0, 0)
