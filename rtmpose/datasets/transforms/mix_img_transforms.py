"""Transforms that mix several training images: RTMDet's cached mosaic and
mixup.

Each keeps a cache of recent samples (per dataloader worker, as in mmdet)
instead of loading extra images, and mixes the current sample with cached
ones. Boxes follow the geometry of ``rtmpose.datasets.transforms.geometric``:
``gt_bboxes`` (N, 4) float32 xyxy box edges with ``gt_bboxes_labels`` and
``gt_ignore_flags``; ``img_scale`` is (w, h). Behaviour (placement, rounding,
clipping, box filtering) follows mmdet 3.3.0's ``CachedMosaic`` and
``CachedMixUp``, down to the order of numpy's random draws. As there, the
newest cache entry (the current sample itself) is never drawn as a partner
nor popped at random.
"""
import copy
from typing import List, Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from rtmpose.registry import TRANSFORMS
from rtmpose.structures import bbox_inside, clip_bbox, flip_bbox
from .geometric import INSTANCE_KEYS


def _check_instances(results: dict, name: str) -> None:
    missing = [k for k in INSTANCE_KEYS if results.get(k) is None]
    if missing:
        raise KeyError(f'{name} needs {missing} in the results (add '
                       "dict(type='LoadAnnotations') before it)")


class _CachedMixBase(BaseTransform):
    """Cache handling shared by the mixing transforms: append a deep copy of
    each sample; beyond ``max_cached_images`` drop one (a random one but
    the newest with ``random_pop``, else the oldest)."""

    min_cache = 1

    def __init__(self, img_scale: Tuple[int, int], pad_val: float,
                 prob: float, max_cached_images: int, random_pop: bool):
        if not (isinstance(img_scale, (tuple, list)) and len(img_scale) == 2):
            raise ValueError(f'{type(self).__name__}: img_scale must be '
                             f'(w, h), got {img_scale!r}')
        if max_cached_images < self.min_cache + 1:
            raise ValueError(f'{type(self).__name__}: max_cached_images must '
                             f'be >= {self.min_cache + 1}, got '
                             f'{max_cached_images}')
        if not 0 <= prob <= 1:
            raise ValueError(f'{type(self).__name__}: prob must be in [0, 1],'
                             f' got {prob}')
        self.img_scale = tuple(int(s) for s in img_scale)
        self.pad_val = pad_val
        self.prob = prob
        self.max_cached_images = max_cached_images
        self.random_pop = random_pop
        self.results_cache: List[dict] = []

    def _update_cache(self, results: dict) -> bool:
        """Cache ``results``; True when the cache is full enough and the
        ``prob`` draw says to mix."""
        _check_instances(results, type(self).__name__)
        self.results_cache.append(copy.deepcopy(results))
        if len(self.results_cache) > self.max_cached_images:
            index = self._random_older() if self.random_pop else 0
            self.results_cache.pop(index)
        if len(self.results_cache) <= self.min_cache:
            return False
        return np.random.uniform(0, 1) <= self.prob

    def _random_older(self) -> int:
        """A random cache index other than the newest entry's."""
        return np.random.randint(0, len(self.results_cache) - 1)


@TRANSFORMS.register_module()
class CachedMosaic(_CachedMixBase):
    """Four-image mosaic on a (2h, 2w) canvas of ``pad_val``.

    The current sample goes top left, three random cached samples top
    right, bottom left and bottom right around a center drawn uniformly in
    ``center_ratio_range`` times ``img_scale``. Each image is first scaled
    (keeping its ratio, sides truncated) to fit ``img_scale``; the part that
    falls off the canvas is cut. Boxes move with their image, are clipped
    to the canvas (``bbox_clip_border``) and dropped when nothing of them
    is left on it. The cache needs more than 4 samples before mixing.

    Sets ``img`` (2h, 2w, 3), ``img_shape`` and the instance arrays.
    """

    min_cache = 4

    def __init__(self,
                 img_scale: Tuple[int, int] = (640, 640),
                 center_ratio_range: Tuple[float, float] = (0.5, 1.5),
                 bbox_clip_border: bool = True,
                 pad_val: float = 114.0,
                 prob: float = 1.0,
                 max_cached_images: int = 40,
                 random_pop: bool = True):
        super().__init__(img_scale, pad_val, prob, max_cached_images,
                         random_pop)
        self.center_ratio_range = tuple(center_ratio_range)
        self.bbox_clip_border = bbox_clip_border

    def _paste_and_crop(self, corner: int, center: Tuple[int, int],
                        size_wh: Tuple[int, int]):
        """(x1, y1, x2, y2) on the canvas and in the tile for the tile of
        ``size_wh`` at ``corner`` 0..3 (top left, top right, bottom left,
        bottom right) of ``center``."""
        cx, cy = center
        w, h = size_wh
        canvas_w, canvas_h = 2 * self.img_scale[0], 2 * self.img_scale[1]
        if corner == 0:
            paste = max(cx - w, 0), max(cy - h, 0), cx, cy
        elif corner == 1:
            paste = cx, max(cy - h, 0), min(cx + w, canvas_w), cy
        elif corner == 2:
            paste = max(cx - w, 0), cy, cx, min(cy + h, canvas_h)
        else:
            paste = cx, cy, min(cx + w, canvas_w), min(cy + h, canvas_h)
        pw, ph = paste[2] - paste[0], paste[3] - paste[1]
        # Tiles left of / above the center are anchored at their bottom /
        # right edge, the others at their top / left edge.
        x1 = w - pw if corner in (0, 2) else 0
        y1 = h - ph if corner in (0, 1) else 0
        return paste, (x1, y1, x1 + min(pw, w), y1 + min(ph, h))

    def transform(self, results: dict) -> dict:
        if not self._update_cache(results):
            return results
        picks = [self._random_older() for _ in range(3)]
        tiles = [results] + [self.results_cache[i] for i in picks]
        img = results['img']
        scale_w, scale_h = self.img_scale
        canvas = np.full((2 * scale_h, 2 * scale_w) + img.shape[2:],
                         self.pad_val, dtype=img.dtype)
        center = (int(np.random.uniform(*self.center_ratio_range) * scale_w),
                  int(np.random.uniform(*self.center_ratio_range) * scale_h))
        boxes, labels, ignores = [], [], []
        for corner, tile in enumerate(tiles):
            tile_img = tile['img']
            h, w = tile_img.shape[:2]
            ratio = min(scale_h / h, scale_w / w)
            tile_img = cv2.resize(tile_img, (int(w * ratio), int(h * ratio)))
            size_wh = tile_img.shape[1], tile_img.shape[0]
            (px1, py1, px2, py2), (cx1, cy1, cx2, cy2) = \
                self._paste_and_crop(corner, center, size_wh)
            canvas[py1:py2, px1:px2] = tile_img[cy1:cy2, cx1:cx2]
            shift = np.array([px1 - cx1, py1 - cy1] * 2, np.float32)
            boxes.append(tile['gt_bboxes'] * np.float32(ratio) + shift)
            labels.append(tile['gt_bboxes_labels'])
            ignores.append(tile['gt_ignore_flags'])
        boxes = np.concatenate(boxes, 0).astype(np.float32).reshape(-1, 4)
        canvas_hw = canvas.shape[:2]
        if self.bbox_clip_border:
            boxes = clip_bbox(boxes, canvas_hw)
        keep = bbox_inside(boxes, canvas_hw)
        results['img'] = canvas
        results['img_shape'] = canvas_hw
        results['gt_bboxes'] = boxes[keep]
        results['gt_bboxes_labels'] = np.concatenate(labels, 0)[keep]
        results['gt_ignore_flags'] = np.concatenate(ignores, 0)[keep]
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(img_scale={self.img_scale}, '
                f'center_ratio_range={self.center_ratio_range}, '
                f'pad_val={self.pad_val}, prob={self.prob}, '
                f'max_cached_images={self.max_cached_images}, '
                f'random_pop={self.random_pop})')


@TRANSFORMS.register_module()
class CachedMixUp(_CachedMixBase):
    """Blend the sample 50/50 with a cached one (YOLOX-style mixup).

    The cached image (one with boxes, tried up to ``max_iters`` times) is
    scaled to fit ``img_scale`` (truncated sides) onto a ``pad_val``
    canvas at the top left, the canvas scaled by a jitter drawn from
    ``ratio_range`` and mirrored with probability ``flip_ratio``; a window
    of the current image's size is taken at a random offset, and the two
    images are averaged (uint8 result). Both sets of boxes are kept, the
    cached ones moved with their image, clipped (``bbox_clip_border``) and
    dropped when nothing is left inside. The cache needs more than one
    sample before mixing.
    """

    def __init__(self,
                 img_scale: Tuple[int, int] = (640, 640),
                 ratio_range: Tuple[float, float] = (0.5, 1.5),
                 flip_ratio: float = 0.5,
                 pad_val: float = 114.0,
                 max_iters: int = 15,
                 bbox_clip_border: bool = True,
                 max_cached_images: int = 20,
                 random_pop: bool = True,
                 prob: float = 1.0):
        super().__init__(img_scale, pad_val, prob, max_cached_images,
                         random_pop)
        self.ratio_range = tuple(ratio_range)
        self.flip_ratio = flip_ratio
        self.max_iters = max_iters
        self.bbox_clip_border = bbox_clip_border

    def _pick(self) -> dict:
        for _ in range(self.max_iters):
            index = self._random_older()
            if len(self.results_cache[index]['gt_bboxes']):
                break
        return self.results_cache[index]

    def transform(self, results: dict) -> dict:
        if not self._update_cache(results):
            return results
        other = self._pick()
        if len(other['gt_bboxes']) == 0:
            return results
        other_img = other['img']
        jitter = np.random.uniform(*self.ratio_range)
        # mmdet flips when a uniform draw exceeds flip_ratio.
        is_flip = np.random.uniform(0, 1) > self.flip_ratio

        scale_w, scale_h = self.img_scale
        canvas = np.full((scale_h, scale_w) + other_img.shape[2:],
                         self.pad_val, dtype=np.float64)
        ratio = min(scale_h / other_img.shape[0],
                    scale_w / other_img.shape[1])
        scaled = cv2.resize(other_img, (int(other_img.shape[1] * ratio),
                                        int(other_img.shape[0] * ratio)))
        canvas[:scaled.shape[0], :scaled.shape[1]] = scaled
        ratio *= jitter
        canvas = cv2.resize(canvas, (int(canvas.shape[1] * jitter),
                                     int(canvas.shape[0] * jitter)))
        if is_flip:
            canvas = canvas[:, ::-1]

        img = results['img']
        target_h, target_w = img.shape[:2]
        src_h, src_w = canvas.shape[:2]
        padded = np.full((max(src_h, target_h), max(src_w, target_w), 3),
                         self.pad_val).astype(np.uint8)
        padded[:src_h, :src_w] = canvas
        # as mmdet: offsets below (not up to) the size difference
        y0 = (np.random.randint(0, padded.shape[0] - target_h)
              if padded.shape[0] > target_h else 0)
        x0 = (np.random.randint(0, padded.shape[1] - target_w)
              if padded.shape[1] > target_w else 0)
        window = padded[y0:y0 + target_h, x0:x0 + target_w]

        boxes = other['gt_bboxes'] * np.float32(ratio)
        if self.bbox_clip_border:
            boxes = clip_bbox(boxes, (src_h, src_w))
        if is_flip:
            boxes = flip_bbox(boxes, src_w, pixel_centers=False)
        boxes = boxes - np.array([x0, y0, x0, y0], np.float32)
        if self.bbox_clip_border:
            boxes = clip_bbox(boxes, (target_h, target_w))

        mixed = 0.5 * img.astype(np.float32) + 0.5 * window.astype(
            np.float32)
        all_boxes = np.concatenate([results['gt_bboxes'], boxes],
                                   0).astype(np.float32)
        keep = bbox_inside(all_boxes, (target_h, target_w))
        results['img'] = mixed.astype(np.uint8)
        results['img_shape'] = mixed.shape[:2]
        results['gt_bboxes'] = all_boxes[keep]
        for key in ('gt_bboxes_labels', 'gt_ignore_flags'):
            results[key] = np.concatenate([results[key], other[key]],
                                          0)[keep]
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(img_scale={self.img_scale}, '
                f'ratio_range={self.ratio_range}, '
                f'flip_ratio={self.flip_ratio}, pad_val={self.pad_val}, '
                f'max_iters={self.max_iters}, '
                f'bbox_clip_border={self.bbox_clip_border}, '
                f'max_cached_images={self.max_cached_images}, '
                f'random_pop={self.random_pop}, prob={self.prob})')
