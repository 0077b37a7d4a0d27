"""Whole-image geometry for detection: resize, random crop and pad.

Images are (H, W, 3) arrays; ``gt_bboxes`` (N, 4) float32 xyxy box edges in
pixels of the current image, with ``gt_bboxes_labels`` (N,) int64 and
``gt_ignore_flags`` (N,) bool aligned to them. Sizes given as ``scale``,
``crop_size`` or ``size`` are (w, h); shapes stored in ``results`` are
(h, w) as mmcv and mmdet 3.x store them, whose behaviour (rounding, box
clipping and filtering) these transforms follow.
"""
from numbers import Number
from typing import Optional, Sequence, Tuple, Union

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from rtmpose.registry import TRANSFORMS
from rtmpose.structures import bbox_inside, clip_bbox, rescale_size

INTERPOLATIONS = {
    'nearest': cv2.INTER_NEAREST,
    'bilinear': cv2.INTER_LINEAR,
    'bicubic': cv2.INTER_CUBIC,
    'area': cv2.INTER_AREA,
    'lanczos': cv2.INTER_LANCZOS4
}

# Per-instance arrays that follow ``gt_bboxes`` when boxes are dropped.
INSTANCE_KEYS = ('gt_bboxes', 'gt_bboxes_labels', 'gt_ignore_flags')


def keep_instances(results: dict, keep: np.ndarray) -> None:
    """Keep the instances where ``keep`` (N,) bool is true, in every
    per-instance array of ``results``."""
    for key in INSTANCE_KEYS:
        if results.get(key) is not None:
            results[key] = results[key][keep]


def _as_wh(scale, name: str) -> Tuple[int, int]:
    if isinstance(scale, Number):
        scale = (scale, scale)
    if (len(scale) != 2 or not all(isinstance(s, Number) for s in scale)
            or min(scale) <= 0):
        raise ValueError(f'{name} must be a positive number or (w, h), got '
                         f'{scale!r}')
    return tuple(scale)


@TRANSFORMS.register_module()
class Resize(BaseTransform):
    """Resize ``img`` to ``scale`` (w, h) and ``gt_bboxes`` with it.

    With ``keep_ratio`` the image is scaled as large as fits ``scale`` (long
    side <= max(scale), short side <= min(scale)); without, to exactly
    ``scale``. Boxes are multiplied by the realised per-axis factors
    (new size / old size) and, with ``clip_object_border``, clipped to the
    image.

    Sets ``img_shape`` (h, w), ``scale`` (w, h), ``scale_factor``
    (w_scale, h_scale) and ``keep_ratio``.
    """

    def __init__(self,
                 scale: Union[int, Tuple[int, int]],
                 keep_ratio: bool = False,
                 clip_object_border: bool = True,
                 interpolation: str = 'bilinear'):
        if interpolation not in INTERPOLATIONS:
            raise ValueError(f'interpolation must be one of '
                             f'{sorted(INTERPOLATIONS)}, got '
                             f'{interpolation!r}')
        self.scale = _as_wh(scale, 'Resize scale')
        self.keep_ratio = keep_ratio
        self.clip_object_border = clip_object_border
        self.interpolation = interpolation

    def transform(self, results: dict) -> dict:
        return self.resize(results, self.scale)

    def resize(self, results: dict, scale: Tuple[int, int]) -> dict:
        img = results['img']
        h, w = img.shape[:2]
        if self.keep_ratio:
            new_w, new_h = rescale_size((w, h), scale)[0]
        else:
            new_w, new_h = int(scale[0]), int(scale[1])
        img = cv2.resize(img, (new_w, new_h),
                         interpolation=INTERPOLATIONS[self.interpolation])
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results['scale'] = tuple(scale)
        results['scale_factor'] = (new_w / w, new_h / h)
        results['keep_ratio'] = self.keep_ratio
        if results.get('gt_bboxes') is not None:
            boxes = results['gt_bboxes'] * np.tile(
                np.asarray(results['scale_factor'], np.float32), 2)
            if self.clip_object_border:
                boxes = clip_bbox(boxes, img.shape[:2])
            results['gt_bboxes'] = boxes.astype(np.float32)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(scale={self.scale}, '
                f'keep_ratio={self.keep_ratio}, '
                f'clip_object_border={self.clip_object_border}, '
                f'interpolation={self.interpolation!r})')


@TRANSFORMS.register_module()
class RandomResize(Resize):
    """``Resize`` to a random scale per sample.

    ``scale`` (w, h) with ``ratio_range`` (lo, hi): both sides times one
    ratio drawn uniformly from [lo, hi), truncated to int (RTMDet:
    ``scale=(640, 640), ratio_range=(0.5, 2.0), keep_ratio=True``).
    ``scale`` as two (w, h) tuples without ``ratio_range``: each side drawn
    uniformly between the two tuples' values (inclusive).
    """

    def __init__(self,
                 scale: Union[Tuple[int, int], Sequence[Tuple[int, int]]],
                 ratio_range: Optional[Tuple[float, float]] = None,
                 keep_ratio: bool = False,
                 clip_object_border: bool = True,
                 interpolation: str = 'bilinear'):
        if ratio_range is not None:
            base = _as_wh(scale, 'RandomResize scale')
            if not 0 < ratio_range[0] <= ratio_range[1]:
                raise ValueError('RandomResize ratio_range must be (lo, hi) '
                                 f'with 0 < lo <= hi, got {ratio_range}')
        elif (len(scale) == 2
              and all(isinstance(s, (tuple, list)) for s in scale)):
            base = tuple(_as_wh(s, 'RandomResize scale') for s in scale)
        else:
            raise ValueError('RandomResize needs scale=(w, h) with '
                             'ratio_range, or scale=[(w1, h1), (w2, h2)] '
                             f'without; got scale={scale!r}, '
                             f'ratio_range={ratio_range!r}')
        super().__init__(base if ratio_range is not None else base[0],
                         keep_ratio, clip_object_border, interpolation)
        self.scale = base
        self.ratio_range = ratio_range

    def random_scale(self) -> Tuple[int, int]:
        if self.ratio_range is not None:
            lo, hi = self.ratio_range
            ratio = np.random.random_sample() * (hi - lo) + lo
            return int(self.scale[0] * ratio), int(self.scale[1] * ratio)
        (w1, h1), (w2, h2) = self.scale
        return (np.random.randint(min(w1, w2), max(w1, w2) + 1),
                np.random.randint(min(h1, h2), max(h1, h2) + 1))

    def transform(self, results: dict) -> dict:
        return self.resize(results, self.random_scale())

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(scale={self.scale}, '
                f'ratio_range={self.ratio_range}, '
                f'keep_ratio={self.keep_ratio}, '
                f'clip_object_border={self.clip_object_border}, '
                f'interpolation={self.interpolation!r})')


CROP_TYPES = ('absolute', 'absolute_range', 'relative', 'relative_range')


@TRANSFORMS.register_module()
class RandomCrop(BaseTransform):
    """Crop a random window of ``crop_size`` (w, h) out of ``img``.

    ``crop_type``: ``'absolute'`` (``crop_size`` pixels, at most the image),
    ``'absolute_range'`` (each side drawn from [crop_size[0],
    crop_size[1]] pixels, at most the image), ``'relative'`` (fractions
    (w, h) of the image), ``'relative_range'`` (fractions drawn from
    [crop_size, 1]; as mmdet, this one reads ``crop_size`` as (h, w)). The
    window's offset is uniform over the image.

    Boxes are shifted into the window, clipped to it (``bbox_clip_border``)
    and dropped unless they still overlap it with positive area. When no box
    is left and ``allow_negative_crop`` is False the transform returns None,
    so the dataset draws another sample (as mmdet does).
    """

    def __init__(self,
                 crop_size: Tuple[Number, Number],
                 crop_type: str = 'absolute',
                 allow_negative_crop: bool = False,
                 bbox_clip_border: bool = True):
        if crop_type not in CROP_TYPES:
            raise ValueError(f'crop_type must be one of {CROP_TYPES}, got '
                             f'{crop_type!r}')
        if crop_type.startswith('absolute'):
            if not (all(isinstance(s, int) and s > 0 for s in crop_size)):
                raise ValueError(f'{crop_type} crop_size must be positive '
                                 f'ints, got {crop_size}')
            if crop_type == 'absolute_range' and crop_size[0] > crop_size[1]:
                raise ValueError('absolute_range crop_size must be (min, '
                                 f'max), got {crop_size}')
        elif not all(0 < s <= 1 for s in crop_size):
            raise ValueError(f'{crop_type} crop_size must be fractions in '
                             f'(0, 1], got {crop_size}')
        self.crop_size = tuple(crop_size)
        self.crop_type = crop_type
        self.allow_negative_crop = allow_negative_crop
        self.bbox_clip_border = bbox_clip_border

    def crop_hw(self, img_hw: Tuple[int, int]) -> Tuple[int, int]:
        """(h, w) of the window for an image of ``img_hw``."""
        h, w = img_hw
        size = self.crop_size
        if self.crop_type == 'absolute':
            return min(size[1], h), min(size[0], w)
        if self.crop_type == 'absolute_range':
            return (np.random.randint(min(h, size[0]), min(h, size[1]) + 1),
                    np.random.randint(min(w, size[0]), min(w, size[1]) + 1))
        if self.crop_type == 'relative':
            rel_h, rel_w = size[1], size[0]
        else:
            # as mmdet 3.3.0: this type reads crop_size as (h, w)
            rel_h, rel_w = np.asarray(size, np.float32) + np.random.rand(
                2) * (1 - np.asarray(size, np.float32))
        return int(h * rel_h + 0.5), int(w * rel_w + 0.5)

    def transform(self, results: dict) -> Optional[dict]:
        img = results['img']
        crop_h, crop_w = self.crop_hw(img.shape[:2])
        y0 = np.random.randint(0, max(img.shape[0] - crop_h, 0) + 1)
        x0 = np.random.randint(0, max(img.shape[1] - crop_w, 0) + 1)
        img = img[y0:y0 + crop_h, x0:x0 + crop_w]
        if results.get('gt_bboxes') is not None:
            boxes = results['gt_bboxes'] - np.array([x0, y0, x0, y0],
                                                    np.float32)
            if self.bbox_clip_border:
                boxes = clip_bbox(boxes, img.shape[:2])
            keep = bbox_inside(boxes, img.shape[:2])
            if not keep.any() and not self.allow_negative_crop:
                return None
            results['gt_bboxes'] = boxes
            keep_instances(results, keep)
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(crop_size={self.crop_size}, '
                f'crop_type={self.crop_type!r}, '
                f'allow_negative_crop={self.allow_negative_crop}, '
                f'bbox_clip_border={self.bbox_clip_border})')


@TRANSFORMS.register_module()
class Pad(BaseTransform):
    """Pad ``img`` at the bottom and right with a constant.

    To ``size`` (w, h), to the next multiple of ``size_divisor``, or to a
    square (``pad_to_square``); an image already larger is not cropped.
    ``pad_val`` is a number or ``dict(img=...)`` (a number or a per-channel
    tuple; RTMDet pads with 114). Boxes do not move.

    Sets ``pad_shape`` (h, w, c), ``pad_fixed_size``, ``pad_size_divisor``
    and ``img_shape`` (h, w) = the padded shape, as mmcv does.
    """

    def __init__(self,
                 size: Optional[Tuple[int, int]] = None,
                 size_divisor: Optional[int] = None,
                 pad_to_square: bool = False,
                 pad_val: Union[Number, dict] = dict(img=0)):
        if sum([size is not None, size_divisor is not None,
                pad_to_square]) == 0:
            raise ValueError('Pad needs size, size_divisor or pad_to_square')
        if pad_to_square and size is not None:
            raise ValueError('Pad: pad_to_square excludes size')
        if size is not None and size_divisor is not None:
            raise ValueError('Pad: give size or size_divisor, not both')
        self.size = None if size is None else _as_wh(size, 'Pad size')
        self.size_divisor = size_divisor
        self.pad_to_square = pad_to_square
        self.pad_val = pad_val if isinstance(pad_val, dict) else dict(
            img=pad_val)

    def target_hw(self, img_hw: Tuple[int, int]) -> Tuple[int, int]:
        h, w = img_hw
        if self.pad_to_square:
            h = w = max(h, w)
        if self.size_divisor is not None:
            d = self.size_divisor
            return -(-h // d) * d, -(-w // d) * d
        if self.size is not None:
            return self.size[1], self.size[0]
        return h, w

    def transform(self, results: dict) -> dict:
        img = results['img']
        h, w = self.target_hw(img.shape[:2])
        value = self.pad_val.get('img', 0)
        if isinstance(value, Number):
            value = (value, ) * (img.shape[2] if img.ndim == 3 else 1)
        img = cv2.copyMakeBorder(img, 0, max(h - img.shape[0], 0), 0,
                                 max(w - img.shape[1], 0),
                                 cv2.BORDER_CONSTANT, value=tuple(value))
        results['img'] = img
        results['pad_shape'] = img.shape
        results['pad_fixed_size'] = self.size
        results['pad_size_divisor'] = self.size_divisor
        results['img_shape'] = img.shape[:2]
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(size={self.size}, '
                f'size_divisor={self.size_divisor}, '
                f'pad_to_square={self.pad_to_square}, '
                f'pad_val={self.pad_val})')
