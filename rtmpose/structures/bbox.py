"""Bounding-box conversions and the top-down affine warp matrix.

Boxes are ``(..., 4)`` arrays in image pixels; centers ``(..., 2)``; scales
``(..., 2)`` are the box (w, h) in pixels.
"""
import math
from typing import Tuple

import cv2
import numpy as np


def bbox_xywh2xyxy(bbox: np.ndarray) -> np.ndarray:
    """(x, y, w, h) -> (x1, y1, x2, y2)."""
    out = np.array(bbox, dtype=np.float32, copy=True)
    out[..., 2:] += out[..., :2]
    return out


def bbox_xyxy2xywh(bbox: np.ndarray) -> np.ndarray:
    """(x1, y1, x2, y2) -> (x, y, w, h)."""
    out = np.array(bbox, dtype=np.float32, copy=True)
    out[..., 2:] -= out[..., :2]
    return out


def bbox_xyxy2cs(bbox: np.ndarray,
                 padding: float = 1.) -> Tuple[np.ndarray, np.ndarray]:
    """(x1, y1, x2, y2) -> center (..., 2) and padded scale (w, h) (..., 2)."""
    bbox = np.asarray(bbox, dtype=np.float32)
    center = (bbox[..., :2] + bbox[..., 2:]) * 0.5
    scale = (bbox[..., 2:] - bbox[..., :2]) * padding
    return center, scale


def bbox_cs2xyxy(center: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Center and scale (w, h) -> (x1, y1, x2, y2)."""
    center = np.asarray(center, dtype=np.float32)
    scale = np.asarray(scale, dtype=np.float32)
    return np.concatenate([center - scale * 0.5, center + scale * 0.5], -1)


def fix_aspect_ratio(scale: np.ndarray, aspect_ratio: float) -> np.ndarray:
    """Enlarge (w, h) scales (..., 2) to the aspect ratio w / h, never shrink."""
    scale = np.asarray(scale, dtype=np.float32)
    w, h = scale[..., 0], scale[..., 1]
    return np.where(
        (w > h * aspect_ratio)[..., None],
        np.stack([w, w / aspect_ratio], -1),
        np.stack([h * aspect_ratio, h], -1)).astype(np.float32)


def flip_bbox(bbox: np.ndarray, image_width: int,
              pixel_centers: bool = True) -> np.ndarray:
    """Horizontally flip xyxy boxes (..., 4) inside an image of that width.

    ``pixel_centers=True`` (pose): the keypoints' pixel-center convention
    x -> W - 1 - x, so a person box and the keypoints inside it stay
    consistent. ``pixel_centers=False`` (detection): box edges,
    x -> W - x, as mmdet flips its boxes, so the box covering pixels
    [x1, x2) covers exactly their mirror image.
    """
    right = image_width - 1 if pixel_centers else image_width
    out = np.array(bbox, dtype=np.float32, copy=True)
    out[..., 0] = right - bbox[..., 2]
    out[..., 2] = right - bbox[..., 0]
    return out


def clip_bbox(bbox: np.ndarray, image_shape: Tuple[int, int]) -> np.ndarray:
    """Clip xyxy boxes (..., 4) to an image of ``image_shape`` (h, w):
    x into [0, w], y into [0, h] (box edges)."""
    h, w = image_shape[:2]
    out = np.array(bbox, dtype=np.float32, copy=True)
    out[..., 0::2] = out[..., 0::2].clip(0, w)
    out[..., 1::2] = out[..., 1::2].clip(0, h)
    return out


def bbox_inside(bbox: np.ndarray, image_shape: Tuple[int, int]) -> np.ndarray:
    """(...,) bool: the xyxy box overlaps the image of ``image_shape`` (h, w)
    with positive width and height (a box clipped onto a border is out)."""
    h, w = image_shape[:2]
    return ((bbox[..., 0] < w) & (bbox[..., 2] > 0)
            & (bbox[..., 1] < h) & (bbox[..., 3] > 0))


def get_warp_matrix(center: np.ndarray,
                    scale: np.ndarray,
                    rot: float,
                    output_size: Tuple[int, int],
                    use_udp: bool = False,
                    inv: bool = False) -> np.ndarray:
    """2x3 affine matrix mapping the box (center, scale, rot) onto the output.

    Args:
        center: (2,) box center, image pixels.
        scale: (2,) box (w, h), image pixels, at the output's aspect ratio.
        rot: rotation of the box in degrees; the content turns by -rot.
        output_size: (w, h) of the output, pixels.
        use_udp: unbiased data processing (Huang et al., CVPR 2020): measure
            sizes in pixel intervals (size - 1) so the box center lands on
            the output's central pixel and flips are exact.
        inv: return the output -> image mapping instead.
    """
    out_w, out_h = output_size
    if use_udp:
        sx = (out_w - 1.0) / float(scale[0])
        sy = (out_h - 1.0) / float(scale[1])
        out_center = ((out_w - 1.0) * 0.5, (out_h - 1.0) * 0.5)
    else:
        sx = sy = out_w / float(scale[0])
        out_center = (out_w * 0.5, out_h * 0.5)
    rad = math.radians(rot)
    cs, sn = math.cos(rad), math.sin(rad)
    linear = np.array([[sx * cs, sx * sn], [-sy * sn, sy * cs]])
    offset = np.asarray(out_center) - linear @ np.asarray(center, np.float64)
    mat = np.concatenate([linear, offset[:, None]], 1).astype(np.float32)
    if inv:
        return cv2.invertAffineTransform(mat)
    return mat
