"""Checks of what callers hand to the inference API, with messages that say
what to pass instead."""
from typing import Optional, Tuple

import cv2
import numpy as np


def check_image(img, what: str = 'img') -> np.ndarray:
    """``img`` as an (H, W, 3) uint8 BGR array; an (H, W) or (H, W, 1)
    grey image is converted. Float images, channel-first arrays and other
    layouts are refused with a message saying what to pass."""
    if not isinstance(img, np.ndarray):
        raise TypeError(f'{what} must be an image path or an (H, W, 3) uint8 '
                        f'BGR numpy array, got {type(img).__name__}')
    if img.dtype != np.uint8:
        hint = ('values look like [0, 1]: pass '
                '(img * 255).round().astype(np.uint8)'
                if img.dtype.kind == 'f' and img.size and
                np.nanmax(img) <= 1.0 else 'convert it with astype(np.uint8)')
        raise ValueError(f'{what} must be uint8 (0-255) BGR, got dtype '
                         f'{img.dtype}; {hint}')
    if img.ndim == 3 and img.shape[2] == 1:
        img = img[..., 0]
    if img.ndim == 2:
        return cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
    if img.ndim == 3 and img.shape[0] in (1, 3) and img.shape[2] not in (
            1, 3, 4):
        raise ValueError(f'{what} has shape {img.shape}, channel first; pass '
                         '(H, W, 3): img.transpose(1, 2, 0)')
    if img.ndim == 3 and img.shape[2] == 4:
        raise ValueError(f'{what} has 4 channels; pass BGR: '
                         'cv2.cvtColor(img, cv2.COLOR_BGRA2BGR)')
    if img.ndim != 3 or img.shape[2] != 3 or 0 in img.shape:
        raise ValueError(f'{what} must be (H, W, 3) uint8 BGR, got shape '
                         f'{img.shape}')
    return img


def usable_boxes(boxes: np.ndarray) -> np.ndarray:
    """(N,) bool: the (N, 4) xyxy boxes that are finite with positive
    area."""
    with np.errstate(invalid='ignore'):
        return np.isfinite(boxes).all(axis=1) & (
            boxes[:, 2] > boxes[:, 0]) & (boxes[:, 3] > boxes[:, 1])


def check_boxes(bboxes, img_shape: Tuple[int, int],
                bbox_format: str = 'xyxy'
                ) -> Tuple[np.ndarray, Optional[np.ndarray]]:
    """Person boxes -> ((N, 4) float32 xyxy image pixels, (N,) scores or
    None).

    Args:
        bboxes: None (the whole image is one box), (N, 4) boxes, (N, 5)
            boxes with their scores in the last column, or one such box
            (4,) / (5,). N = 0 gives no boxes.
        img_shape: (h, w) of the image, for ``None``.
        bbox_format: ``'xyxy'`` or ``'xywh'`` of the four coordinates.

    Raises:
        ValueError: another shape, a non-finite value or a box without
            positive area; the message names the box.
    """
    if bbox_format not in ('xyxy', 'xywh'):
        raise ValueError(f'bbox_format must be "xyxy" or "xywh", got '
                         f'"{bbox_format}"')
    if bboxes is None:
        h, w = img_shape
        return np.array([[0, 0, w, h]], np.float32), None
    boxes = np.asarray(bboxes, dtype=np.float32)
    if boxes.size == 0:
        return np.zeros((0, 4), np.float32), None
    if boxes.ndim == 1:
        boxes = boxes[None]
    if boxes.ndim != 2 or boxes.shape[1] not in (4, 5):
        raise ValueError(f'bboxes must be (N, 4) {bbox_format} or (N, 5) '
                         f'{bbox_format} + score, got shape '
                         f'{np.shape(bboxes)}')
    bad = np.flatnonzero(~np.isfinite(boxes).all(axis=1))
    if bad.size:
        raise ValueError(f'bboxes[{bad[0]}] = {boxes[bad[0]].tolist()} is '
                         f'not finite ({bad.size} such box(es))')
    scores = boxes[:, 4].copy() if boxes.shape[1] == 5 else None
    boxes = boxes[:, :4].copy()
    if bbox_format == 'xywh':
        boxes[:, 2:] += boxes[:, :2]
    empty = np.flatnonzero(~usable_boxes(boxes))
    if empty.size:
        raise ValueError(f'bboxes[{empty[0]}] = {boxes[empty[0]].tolist()} '
                         f'(xyxy) has no area: need x2 > x1 and y2 > y1 '
                         f'({empty.size} such box(es))')
    return boxes, scores
