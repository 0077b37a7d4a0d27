import numpy as np
import pytest

from rtmpose.datasets.transforms import (GetBBoxCenterScale,
                                         RandomBBoxTransform, RandomHalfBody)

UPPER = [0, 1, 2, 3, 4, 5]
LOWER = [6, 7, 8, 9, 10, 11]


def _box_results():
    return dict(
        bbox=np.array([[10, 20, 110, 220]], np.float32),
        bbox_center=np.array([[60, 120]], np.float32),
        bbox_scale=np.array([[125, 250]], np.float32))


def test_get_bbox_center_scale():
    out = GetBBoxCenterScale(padding=1.25)(_box_results())
    np.testing.assert_allclose(out['bbox_center'], [[60, 120]])
    np.testing.assert_allclose(out['bbox_scale'], [[125, 250]])
    assert out['bbox_scale'].dtype == np.float32


def test_random_bbox_transform_ranges():
    np.random.seed(0)
    tf = RandomBBoxTransform(
        shift_factor=0.16,
        shift_prob=0.3,
        scale_factor=(0.6, 1.4),
        scale_prob=1.0,
        rotate_factor=80.0,
        rotate_prob=0.6)
    shifts, ratios, rots = [], [], []
    for _ in range(2000):
        out = tf(_box_results())
        shifts.append((out['bbox_center'] - [[60, 120]])[0] / [125, 250])
        ratios.append((out['bbox_scale'] / [[125, 250]])[0])
        rots.append(out['bbox_rotation'][0])
    shifts, ratios, rots = map(np.array, (shifts, ratios, rots))
    assert np.abs(shifts).max() <= 0.16 + 1e-6
    assert 0.2 < np.mean(np.abs(shifts).max(1) > 0) < 0.4  # shift_prob 0.3
    # One factor for both sides, within [0.6, 1.4], spanning the range.
    np.testing.assert_allclose(ratios[:, 0], ratios[:, 1], rtol=1e-5)
    assert ratios.min() >= 0.6 - 1e-6 and ratios.max() <= 1.4 + 1e-6
    assert ratios.min() < 0.65 and ratios.max() > 1.35
    assert np.abs(rots).max() <= 80.0 + 1e-4 and np.abs(rots).max() > 75
    assert 0.5 < np.mean(rots != 0) < 0.7  # rotate_prob 0.6


def test_random_bbox_transform_probabilities_zero():
    tf = RandomBBoxTransform(shift_prob=0, scale_prob=0, rotate_prob=0)
    out = tf(_box_results())
    np.testing.assert_array_equal(out['bbox_center'], [[60, 120]])
    np.testing.assert_array_equal(out['bbox_scale'], [[125, 250]])
    np.testing.assert_array_equal(out['bbox_rotation'], [0])
    with pytest.raises(ValueError, match='scale_factor'):
        RandomBBoxTransform(scale_factor=(1.5, 0.5))


def _body_results(visible=None):
    """Upper-body keypoints in y [0, 50], lower-body ones in y [100, 200]."""
    rng = np.random.default_rng(0)
    kpts = np.zeros((1, 12, 2), np.float32)
    kpts[0, UPPER] = rng.uniform([20, 0], [80, 50], (6, 2))
    kpts[0, LOWER] = rng.uniform([30, 100], [70, 200], (6, 2))
    vis = np.ones((1, 12), np.float32) if visible is None else visible
    return dict(
        keypoints=kpts,
        keypoints_visible=vis,
        bbox_center=np.array([[50, 100]], np.float32),
        bbox_scale=np.array([[100, 250]], np.float32),
        upper_body_ids=UPPER,
        lower_body_ids=LOWER)


def _expected_box(kpts, ids, padding):
    lo, hi = kpts[0, ids].min(0), kpts[0, ids].max(0)
    return (lo + hi) / 2, (hi - lo) * padding


@pytest.mark.parametrize('upper_prob', [1.0, 0.0])
def test_half_body_picks_half(upper_prob):
    tf = RandomHalfBody(
        min_total_keypoints=8, prob=1.0, padding=1.5,
        upper_prioritized_prob=upper_prob)
    res = _body_results()
    out = tf(_body_results())
    ids = UPPER if upper_prob == 1.0 else LOWER
    center, scale = _expected_box(res['keypoints'], ids, 1.5)
    np.testing.assert_allclose(out['bbox_center'][0], center, rtol=1e-5)
    np.testing.assert_allclose(out['bbox_scale'][0], scale, rtol=1e-5)


def test_half_body_falls_back_and_skips():
    tf = RandomHalfBody(min_total_keypoints=8, min_lower_keypoints=3,
                        prob=1.0, upper_prioritized_prob=0.0)
    # Only 2 visible lower-body keypoints: the upper half is the only option.
    vis = np.zeros((1, 12), np.float32)
    vis[0, UPPER + LOWER[:2]] = 1
    res = _body_results(vis)
    out = tf(_body_results(vis))
    center, _ = _expected_box(res['keypoints'], UPPER, 1.5)
    np.testing.assert_allclose(out['bbox_center'][0], center, rtol=1e-5)
    # Too few visible keypoints in total: box unchanged.
    vis = np.zeros((1, 12), np.float32)
    vis[0, :5] = 1
    out = tf(_body_results(vis))
    np.testing.assert_array_equal(out['bbox_center'], [[50, 100]])
    # prob 0: never applied.
    out = RandomHalfBody(prob=0.0)(_body_results())
    np.testing.assert_array_equal(out['bbox_scale'], [[100, 250]])
