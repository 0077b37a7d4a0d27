import numpy as np
import pytest

from rtmpose.datasets.transforms import CachedMixUp, CachedMosaic
from det_fixtures import assert_boxes_on_pixels, painted_sample, colour_mask

TILES = [
    ([[5, 5, 40, 60], [60, 30, 110, 100]], [0, 1]),
    ([[20, 10, 90, 50]], [2]),
    ([[0, 0, 30, 30], [100, 70, 160, 120]], [3, 4]),
    ([[40, 40, 120, 110]], [5]),
    ([[70, 0, 160, 45]], [6]),
]


def _tile(i):
    boxes, labels = TILES[i % len(TILES)]
    return painted_sample(boxes, labels)


def test_mosaic_waits_for_a_full_cache():
    t = CachedMosaic(img_scale=(100, 100), max_cached_images=10)
    for i in range(4):
        out = t(_tile(i))
        assert out['img'].shape == (120, 160, 3)


@pytest.mark.parametrize('seed', range(6))
def test_mosaic_moves_boxes_with_pixels(seed):
    np.random.seed(seed)
    # distinct labels per tile, so each colour belongs to one cached image
    t = CachedMosaic(img_scale=(100, 80), max_cached_images=5,
                     random_pop=False)
    for i in range(4):
        t(_tile(i))
    out = t(_tile(4))
    assert out['img'].shape == (160, 200, 3)
    assert out['img_shape'] == (160, 200)
    assert (out['gt_bboxes'] >= 0).all()
    assert (out['gt_bboxes'][:, 2:] <= [200, 160]).all()
    assert len(out['gt_bboxes_labels']) == len(out['gt_bboxes'])
    # the current sample lands top left of the center
    assert 6 in out['gt_bboxes_labels'] or not colour_mask(
        out['img'], 6).any()
    # a label may occur in several tiles; boxes and pixels still match
    assert_boxes_on_pixels(out, atol=2)


def test_mosaic_needs_annotations():
    t = CachedMosaic(img_scale=(100, 100))
    sample = painted_sample(TILES[0][0])
    del sample['gt_ignore_flags']
    with pytest.raises(KeyError, match='LoadAnnotations'):
        t(sample)


def test_mixup_keeps_both_box_sets_on_their_pixels():
    checked = 0
    for seed in range(12):
        np.random.seed(seed)
        t = CachedMixUp(img_scale=(160, 120), ratio_range=(0.5, 1.5),
                        max_cached_images=2, random_pop=False)
        # the cached image paints channel 1, the current one channel 0
        other = painted_sample([[10, 10, 80, 100]], [0])
        other['img'][:] = 0
        other['img'][10:100, 10:80, 1] = 250
        t(other)
        cur = painted_sample([[90, 20, 150, 110]], [1])
        cur['img'][:] = 0
        cur['img'][20:110, 90:150, 0] = 250
        out = t(cur)
        assert out['img'].dtype == np.uint8
        assert out['img'].shape == (120, 160, 3)
        boxes, labels = out['gt_bboxes'], list(out['gt_bboxes_labels'])
        np.testing.assert_allclose(boxes[0], [90, 20, 150, 110])
        assert labels.count(1) == 1  # never mixed with itself
        if len(labels) == 1:
            continue  # the cached box fell outside the window
        # 0.5 * 250 (+ 0.5 * the 114 padding) > 100 > 0.5 * 114
        for channel, label in ((0, 1), (1, 0)):
            ys, xs = np.nonzero(out['img'][..., channel] > 100)
            extent = [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]
            np.testing.assert_allclose(boxes[labels.index(label)], extent,
                                       atol=2)
        checked += 1
    assert checked >= 3
