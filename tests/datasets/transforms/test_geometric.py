import numpy as np
import pytest

from rtmpose.datasets.transforms import (Pad, RandomCrop, RandomFlip,
                                         RandomResize, Resize)
from det_fixtures import assert_boxes_on_pixels, painted_sample

BOXES = [[10, 20, 50, 90], [70, 5, 150, 40], [100, 60, 158, 118]]


def test_resize_keep_ratio_moves_boxes_with_pixels():
    out = Resize(scale=(320, 320), keep_ratio=True)(painted_sample(BOXES))
    # long side 160 -> 320, short side 120 -> 240: factor 2 both ways
    assert out['img_shape'] == (240, 320)
    assert out['scale_factor'] == (2.0, 2.0)
    np.testing.assert_allclose(out['gt_bboxes'], np.array(BOXES) * 2)
    assert_boxes_on_pixels(out)


def test_resize_keep_ratio_rounds_like_mmcv():
    # 161 x 121 into 100: factor 100/161, sides round half up
    sample = painted_sample([[0, 0, 10, 10]], hw=(121, 161))
    out = Resize(scale=100, keep_ratio=True)(sample)
    assert out['img_shape'] == (int(121 * 100 / 161 + 0.5), 100)
    assert out['scale_factor'] == (100 / 161, 75 / 121)


def test_resize_without_keep_ratio_scales_axes_separately():
    out = Resize(scale=(80, 240))(painted_sample(BOXES))
    assert out['img_shape'] == (240, 80)
    np.testing.assert_allclose(out['gt_bboxes'],
                               np.array(BOXES) * [0.5, 2, 0.5, 2])
    assert_boxes_on_pixels(out)


def test_random_resize_ratio_range():
    t = RandomResize(scale=(320, 320), ratio_range=(0.5, 2.0),
                     keep_ratio=True)
    np.random.seed(3)
    sides = set()
    for _ in range(20):
        out = t(painted_sample(BOXES))
        sides.add(out['img_shape'][1])
        assert 160 <= out['img_shape'][1] <= 640
        assert_boxes_on_pixels(out)
    assert len(sides) > 10
    with pytest.raises(ValueError, match='ratio_range'):
        RandomResize(scale=(320, 320), ratio_range=(2.0, 1.0))


def test_random_crop_moves_clips_and_drops_boxes():
    np.random.seed(0)
    t = RandomCrop(crop_size=(60, 50))
    seen_drop = False
    for _ in range(30):
        out = t(painted_sample(BOXES))
        if out is None:  # no box left in the window: mmdet retries
            continue
        assert out['img'].shape[:2] == (50, 60)
        assert (out['gt_bboxes'][:, 2:] <= [60, 50]).all()
        assert (out['gt_bboxes'] >= 0).all()
        seen_drop |= len(out['gt_bboxes']) < len(BOXES)
        assert len(out['gt_ignore_flags']) == len(out['gt_bboxes'])
        assert_boxes_on_pixels(out, atol=0)
    assert seen_drop


def test_random_crop_without_any_box_returns_none():
    sample = painted_sample([[0, 0, 10, 10]], hw=(100, 100))
    np.random.seed(0)
    results = [RandomCrop((20, 20))(painted_sample([[0, 0, 10, 10]],
                                                   hw=(100, 100)))
               for _ in range(10)]
    assert any(r is None for r in results)
    kept = RandomCrop((20, 20), allow_negative_crop=True)(sample)
    assert kept is not None


def test_flip_moves_detection_boxes_with_pixels():
    out = RandomFlip(prob=1.0)(painted_sample(BOXES))
    np.testing.assert_allclose(out['gt_bboxes'][0], [110, 20, 150, 90])
    assert_boxes_on_pixels(out, atol=0)


def test_pad_bottom_right_with_value():
    sample = painted_sample(BOXES)
    out = Pad(size=(200, 150), pad_val=dict(img=(114, 114, 114)))(sample)
    assert out['img'].shape == (150, 200, 3)
    assert out['pad_shape'] == (150, 200, 3)
    assert out['img_shape'] == (150, 200)
    assert (out['img'][120:] == 114).all() and (out['img'][:, 160:] == 114
                                                ).all()
    np.testing.assert_array_equal(out['gt_bboxes'], np.array(BOXES))
    out = Pad(size_divisor=32, pad_val=114)(painted_sample(BOXES))
    assert out['img'].shape[:2] == (128, 160)
