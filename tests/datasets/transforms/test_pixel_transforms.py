import cv2
import numpy as np
import pytest

from rtmpose.datasets.transforms import (Blur, CoarseDropout, MedianBlur,
                                         YOLOXHSVRandomAug)


def _image(seed=0, shape=(256, 192, 3)):
    rng = np.random.default_rng(seed)
    return rng.integers(30, 220, shape, dtype=np.uint8)


def test_hsv_changes_colours_keeps_shape_dtype():
    np.random.seed(0)
    aug = YOLOXHSVRandomAug(hue_delta=5, saturation_delta=30, value_delta=30)
    img = _image()
    changed = 0
    for _ in range(20):
        out = aug(dict(img=img.copy()))['img']
        assert out.shape == img.shape and out.dtype == np.uint8
        changed += not np.array_equal(out, img)
    # Each channel offset is dropped with prob 1/2: all three in 1/8 cases.
    assert changed >= 12


def test_hsv_value_offset_matches_hsv_arithmetic():
    aug = YOLOXHSVRandomAug(hue_delta=0, saturation_delta=0, value_delta=30)
    img = _image()
    hsv = cv2.cvtColor(img, cv2.COLOR_BGR2HSV).astype(np.int16)
    np.random.seed(3)
    out = aug(dict(img=img.copy()))['img']
    np.random.seed(3)
    gain = int(np.random.uniform(-1, 1, 3)[2] * 30 *
               np.random.randint(0, 2, 3)[2])
    hsv[..., 2] = np.clip(hsv[..., 2] + gain, 0, 255)
    expected = cv2.cvtColor(hsv.astype(np.uint8), cv2.COLOR_HSV2BGR)
    np.testing.assert_array_equal(out, expected)


def test_hsv_rejects_float_images():
    with pytest.raises(TypeError, match='uint8'):
        YOLOXHSVRandomAug()(dict(img=_image().astype(np.float32)))


@pytest.mark.parametrize('cls', [Blur, MedianBlur])
def test_blur_probability_and_effect(cls):
    img = _image()
    np.random.seed(0)
    out = cls(blur_limit=7, p=1.0)(dict(img=img.copy()))['img']
    assert out.shape == img.shape and out.dtype == np.uint8
    # Smoothing noise lowers the local variation.
    assert np.abs(np.diff(out.astype(int), axis=1)).mean() < \
        0.7 * np.abs(np.diff(img.astype(int), axis=1)).mean()
    out = cls(blur_limit=7, p=0.0)(dict(img=img.copy()))['img']
    np.testing.assert_array_equal(out, img)
    with pytest.raises(ValueError, match='blur_limit'):
        cls(blur_limit=2)


def _holes(out):
    """Bounding box (h, w) and pixel count of the zero-filled region."""
    mask = (out == 0).all(-1)
    ys, xs = np.nonzero(mask)
    return ys.max() - ys.min() + 1, xs.max() - xs.min() + 1, mask.sum()


def test_coarse_dropout_fraction_sizes():
    np.random.seed(0)
    aug = CoarseDropout(max_holes=1, max_height=0.4, max_width=0.4,
                        min_holes=1, min_height=0.2, min_width=0.2,
                        fill_value=0, p=1.0)
    img = np.full((256, 192, 3), 255, np.uint8)
    heights, widths = [], []
    for _ in range(200):
        h, w, area = _holes(aug(dict(img=img.copy()))['img'])
        assert area == h * w  # one solid rectangle
        heights.append(h)
        widths.append(w)
    assert 0.2 * 256 - 1 <= min(heights) and max(heights) <= 0.4 * 256
    assert 0.2 * 192 - 1 <= min(widths) and max(widths) <= 0.4 * 192
    assert max(heights) - min(heights) > 0.15 * 256  # spans the range


def test_coarse_dropout_pixel_sizes_fill_and_prob():
    np.random.seed(1)
    aug = CoarseDropout(max_holes=1, max_height=10, max_width=20,
                        min_height=10, min_width=20, fill_value=(1, 2, 3),
                        p=1.0)
    img = np.full((50, 60, 3), 255, np.uint8)
    out = aug(dict(img=img))['img']
    filled = (out == (1, 2, 3)).all(-1)
    assert filled.sum() == 200
    assert (img == 255).all()  # the input array is not modified
    out = CoarseDropout(p=0.0)(dict(img=img))['img']
    np.testing.assert_array_equal(out, img)
    with pytest.raises(TypeError, match='both be int'):
        CoarseDropout(max_height=0.4, min_height=10)
    assert 'max_holes=1' in repr(aug)
