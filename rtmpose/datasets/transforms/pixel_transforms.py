"""Transforms that change pixel values but not geometry: colour jitter,
blur and occlusion. Placed after the affine crop they work on the small
input crop, which is far cheaper than on the full image."""
from numbers import Number
from typing import Optional, Sequence, Tuple, Union

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from rtmpose.registry import TRANSFORMS

_LEVELS = np.arange(256, dtype=np.int16)


def _check_uint8(img: np.ndarray, name: str) -> None:
    if img.dtype != np.uint8:
        raise TypeError(f'{name} expects a uint8 image, got {img.dtype}')


@TRANSFORMS.register_module()
class YOLOXHSVRandomAug(BaseTransform):
    """Random hue / saturation / value offsets (YOLOX-style colour jitter).

    Each of H, S, V independently gets, with probability 1/2, an integer
    offset drawn uniformly from (-delta, delta); hue wraps around OpenCV's
    180-value circle, S and V saturate at [0, 255]. Implemented as one
    per-channel lookup table in HSV space on uint8 BGR images.
    """

    def __init__(self,
                 hue_delta: int = 5,
                 saturation_delta: int = 30,
                 value_delta: int = 30):
        self.hue_delta = hue_delta
        self.saturation_delta = saturation_delta
        self.value_delta = value_delta

    def transform(self, results: dict) -> dict:
        img = results['img']
        _check_uint8(img, type(self).__name__)
        gains = np.random.uniform(-1, 1, 3) * (
            self.hue_delta, self.saturation_delta, self.value_delta)
        gains = (gains * np.random.randint(0, 2, 3)).astype(np.int16)
        if not gains.any():
            return results
        lut = np.empty((1, 256, 3), np.uint8)
        lut[0, :, 0] = (_LEVELS + gains[0]) % 180
        lut[0, :, 1] = np.clip(_LEVELS + gains[1], 0, 255)
        lut[0, :, 2] = np.clip(_LEVELS + gains[2], 0, 255)
        hsv = cv2.LUT(cv2.cvtColor(img, cv2.COLOR_BGR2HSV), lut)
        results['img'] = cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(hue_delta={self.hue_delta}, '
                f'saturation_delta={self.saturation_delta}, '
                f'value_delta={self.value_delta})')


class _RandomKernelFilter(BaseTransform):
    """With probability ``p``, filter ``img`` with a random odd kernel size
    from [3, blur_limit] (or the (low, high) range); subclasses say how."""

    def __init__(self,
                 blur_limit: Union[int, Tuple[int, int]] = 7,
                 p: float = 0.5):
        low, high = (3, blur_limit) if isinstance(blur_limit, Number) \
            else blur_limit
        self._sizes = np.arange(int(low) | 1, int(high) + 1, 2)
        if len(self._sizes) == 0 or self._sizes[0] < 3:
            raise ValueError(f'{type(self).__name__}: blur_limit must allow '
                             f'odd kernel sizes >= 3, got {blur_limit}')
        self.blur_limit = blur_limit
        self.p = p

    def _filter(self, img: np.ndarray, k: int) -> np.ndarray:
        raise NotImplementedError

    def transform(self, results: dict) -> dict:
        if np.random.rand() < self.p:
            k = int(np.random.choice(self._sizes))
            results['img'] = self._filter(results['img'], k)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(blur_limit={self.blur_limit}, '
                f'p={self.p})')


@TRANSFORMS.register_module()
class Blur(_RandomKernelFilter):
    """With probability ``p``, box-blur ``img`` with a random odd kernel
    size from [3, blur_limit] (or the (low, high) range)."""

    def _filter(self, img: np.ndarray, k: int) -> np.ndarray:
        return cv2.blur(img, (k, k))


@TRANSFORMS.register_module()
class MedianBlur(_RandomKernelFilter):
    """With probability ``p``, median-filter ``img`` with a random odd
    kernel size from [3, blur_limit] (or the (low, high) range)."""

    def _filter(self, img: np.ndarray, k: int) -> np.ndarray:
        # OpenCV's median filter takes uint8 only for kernels above 5.
        if k > 5:
            _check_uint8(img, type(self).__name__)
        return cv2.medianBlur(img, k)


Size = Union[int, float]


@TRANSFORMS.register_module()
class CoarseDropout(BaseTransform):
    """With probability ``p``, fill random rectangles of ``img`` with
    ``fill_value`` (occlusion augmentation; keypoints are left unchanged).

    The number of holes is drawn from [min_holes, max_holes]; each hole's
    height from [min_height, max_height] and width from [min_width,
    max_width]. Integer sizes are pixels; float sizes are fractions of the
    image height (heights) or width (widths). A hole lies fully inside the
    image. ``min_*`` default to the matching ``max_*``.
    """

    def __init__(self,
                 max_holes: int = 8,
                 max_height: Size = 8,
                 max_width: Size = 8,
                 min_holes: Optional[int] = None,
                 min_height: Optional[Size] = None,
                 min_width: Optional[Size] = None,
                 fill_value: Union[Number, Sequence[Number]] = 0,
                 p: float = 0.5):
        min_holes = max_holes if min_holes is None else min_holes
        min_height = max_height if min_height is None else min_height
        min_width = max_width if min_width is None else min_width
        if not 0 < min_holes <= max_holes:
            raise ValueError('need 0 < min_holes <= max_holes, got '
                             f'{min_holes}, {max_holes}')
        for name, lo, hi in (('height', min_height, max_height),
                             ('width', min_width, max_width)):
            if type(lo) is not type(hi):
                raise TypeError(f'min_{name} and max_{name} must both be int '
                                f'(pixels) or float (fractions), got {lo!r} '
                                f'and {hi!r}')
            if not 0 < lo <= hi or (isinstance(hi, float) and hi > 1):
                raise ValueError(f'need 0 < min_{name} <= max_{name} (<= 1 '
                                 f'for fractions), got {lo}, {hi}')
        self.max_holes = max_holes
        self.max_height = max_height
        self.max_width = max_width
        self.min_holes = min_holes
        self.min_height = min_height
        self.min_width = min_width
        self.fill_value = fill_value
        self.p = p

    @staticmethod
    def _draw_size(lo: Size, hi: Size, side: int) -> int:
        if isinstance(lo, float):
            return max(int(side * np.random.uniform(lo, hi)), 1)
        return min(int(np.random.randint(lo, hi + 1)), side)

    def transform(self, results: dict) -> dict:
        if np.random.rand() >= self.p:
            return results
        img = results['img'].copy()
        img_h, img_w = img.shape[:2]
        fill = np.asarray(self.fill_value, dtype=img.dtype)
        for _ in range(np.random.randint(self.min_holes, self.max_holes + 1)):
            hole_h = self._draw_size(self.min_height, self.max_height, img_h)
            hole_w = self._draw_size(self.min_width, self.max_width, img_w)
            y1 = np.random.randint(0, img_h - hole_h + 1)
            x1 = np.random.randint(0, img_w - hole_w + 1)
            img[y1:y1 + hole_h, x1:x1 + hole_w] = fill
        results['img'] = img
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(max_holes={self.max_holes}, '
                f'max_height={self.max_height}, max_width={self.max_width}, '
                f'min_holes={self.min_holes}, min_height={self.min_height}, '
                f'min_width={self.min_width}, fill_value={self.fill_value}, '
                f'p={self.p})')
