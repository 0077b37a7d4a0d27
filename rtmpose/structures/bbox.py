"""Crop geometry of top-down pose estimation: the one authority on boxes,
centre/scale, the crop warp and its inverse. numpy and OpenCV only (the
ONNX runtime in ``rtmpose.runtime`` imports it without torch or mmengine).

Boxes are ``(..., 4)`` arrays in image pixels (xyxy unless named xywh);
centers ``(..., 2)``; scales ``(..., 2)`` are the box (w, h) in pixels.
Data flow: ``bbox_xyxy2cs`` (padded by ``DEFAULT_BBOX_PADDING``) ->
``fix_aspect_ratio`` to the input's w / h -> ``get_warp_matrix`` crops the
image -> the model predicts in input pixels -> ``input_to_image`` maps back.
"""
import math
from typing import Tuple

import cv2
import numpy as np

# Box enlargement before cropping, w and h (the reference test pipelines'
# GetBBoxCenterScale default): context around the person.
DEFAULT_BBOX_PADDING = 1.25


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
    """Center and scale (w, h) -> (x1, y1, x2, y2), float32.

    ``x2 = x1 + w`` (not ``center + w / 2``): the reference's float32
    rounding, so that boxes match it to the bit."""
    center = np.asarray(center, dtype=np.float32)
    scale = np.asarray(scale, dtype=np.float32)
    top_left = center - scale * 0.5
    return np.concatenate([top_left, top_left + scale], -1)


def fix_aspect_ratio(scale: np.ndarray, aspect_ratio: float) -> np.ndarray:
    """Enlarge (w, h) scales (..., 2) to the aspect ratio w / h, never
    shrink."""
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


def _turn_left(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``b + (a - b)`` turned by 90 degrees: the third point of an affine
    correspondence whose first two are ``a``, ``b`` (float32, as given)."""
    d = a - b
    return b + np.array([-d[1], d[0]], dtype=a.dtype)


def clip_bbox(bbox: np.ndarray, image_shape: Tuple[int, int]) -> np.ndarray:
    """Clip xyxy boxes (..., 4) to an image of ``image_shape`` (h, w):
    x into [0, w], y into [0, h] (box edges)."""
    h, w = image_shape[:2]
    out = np.array(bbox, dtype=np.float32, copy=True)
    out[..., 0::2] = out[..., 0::2].clip(0, w)
    out[..., 1::2] = out[..., 1::2].clip(0, h)
    return out


def bbox_iou_matrix(a: np.ndarray, b: np.ndarray,
                    eps: float = 1e-6) -> np.ndarray:
    """IoU (N, M) of xyxy boxes (N, 4) and (M, 4) (arrays or lists), in
    their dtype: areas
    ``(x2 - x1) * (y2 - y1)``, the union floored at ``eps`` (empty boxes give
    0), as :func:`rtmpose.structures.bbox_overlaps` computes it in torch, so
    numpy NMS keeps the boxes torch's keeps."""
    a = np.asarray(a).reshape(-1, 4)
    b = np.asarray(b).reshape(-1, 4)
    lt = np.maximum(a[:, None, :2], b[None, :, :2])
    rb = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.prod(np.clip(rb - lt, 0, None), -1)
    area_a = np.prod(a[:, 2:] - a[:, :2], -1)
    area_b = np.prod(b[:, 2:] - b[:, :2], -1)
    return inter / np.maximum(area_a[:, None] + area_b[None] - inter, eps)


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

    Built as mmpose 1.3.2 builds it, so crops match the reference pixel for
    pixel: without UDP, ``cv2.getAffineTransform`` of three float32 points
    (the box center, the middle of its left edge turned by ``rot``, and that
    edge point turned by 90 degrees about the second), a float64 matrix; the
    box content turns by -rot. With UDP the closed form of Huang et al.
    (CVPR 2020), stored in float32, in which the content turns by +rot (the
    reference's convention: its two builders turn opposite ways; rotation
    augmentation is symmetric, so both train alike).

    Args:
        center: (2,) box center, image pixels.
        scale: (2,) box (w, h), image pixels, at the output's aspect ratio.
        rot: rotation of the box, degrees.
        output_size: (w, h) of the output, pixels.
        use_udp: unbiased data processing: sizes measured in pixel
            intervals (size - 1), so the box center lands on the output's
            central pixel and flips are exact.
        inv: return the output -> image mapping instead.
    """
    out_w, out_h = output_size
    # the angle in radians keeps the dtype of ``rot`` (float32 from
    # RandomBBoxTransform), as in the reference: it decides the last bits
    rad = np.deg2rad(rot)
    if use_udp:
        cs, sn = math.cos(rad), math.sin(rad)
        sx = (out_w - 1) / float(scale[0])
        sy = (out_h - 1) / float(scale[1])
        cx, cy = float(center[0]), float(center[1])
        mat = np.array(
            [[cs * sx, -sn * sx,
              sx * (-cx * cs + cy * sn + 0.5 * float(scale[0]))],
             [sn * sy, cs * sy,
              sy * (-cx * sn - cy * cs + 0.5 * float(scale[1]))]],
            dtype=np.float32)
        return cv2.invertAffineTransform(mat) if inv else mat
    sn, cs = np.sin(rad), np.cos(rad)
    edge = np.array([float(scale[0]) * -0.5, 0.])
    turned = np.array([[cs, -sn], [sn, cs]]) @ edge
    src = np.zeros((3, 2), dtype=np.float32)
    src[0] = center
    src[1] = center + turned
    src[2] = _turn_left(src[0], src[1])
    dst = np.zeros((3, 2), dtype=np.float32)
    dst[0] = (out_w * 0.5, out_h * 0.5)
    dst[1] = (0., out_h * 0.5)
    dst[2] = _turn_left(dst[0], dst[1])
    if inv:
        return cv2.getAffineTransform(dst, src)
    return cv2.getAffineTransform(src, dst)


def input_to_image(keypoints: np.ndarray, center: np.ndarray,
                   scale: np.ndarray, input_size: Tuple[int, int],
                   use_udp: bool = False) -> np.ndarray:
    """Input-space pixels (..., 2) of unrotated crops -> image pixels.

    ``center`` and ``scale`` (w, h) broadcast against ``keypoints`` (for N
    crops of K keypoints pass (N, 1, 2)); ``input_size`` is (w, h). Inverts
    :func:`get_warp_matrix` at rot=0: non-UDP ``in = (img - c) * size /
    scale + size / 2``; UDP measures sizes as ``size - 1``. Computed in
    float64 and returned in the keypoints' float type, as the reference
    (which writes the result back into the decoded array: float64 for UDP,
    float32 for SimCC and MSRA); a far-off refined keypoint (1e5 px) keeps
    its sub-pixel digits.
    """
    out_dtype = np.result_type(np.asarray(keypoints).dtype, np.float32)
    center = np.asarray(center, dtype=np.float32).astype(np.float64)
    scale = np.asarray(scale, dtype=np.float32).astype(np.float64)
    size = np.asarray(input_size, dtype=np.float64)
    keypoints = np.asarray(keypoints, dtype=np.float64)
    if use_udp:
        out = (keypoints - (size - 1) / 2) * scale / (size - 1) + center
    else:
        out = keypoints / size * scale + center - 0.5 * scale
    return out.astype(out_dtype)


def rescale_size(size_wh: Tuple[int, int],
                 scale_wh: Tuple[int, int]) -> Tuple[Tuple[int, int], float]:
    """Largest keep-ratio size of an image of ``size_wh`` that fits
    ``scale_wh``: its long side within max(scale) and its short side within
    min(scale) (mmcv's ``rescale_size``). Returns ((w, h), factor); sides
    round half up."""
    w, h = size_wh
    factor = min(max(scale_wh) / max(h, w), min(scale_wh) / min(h, w))
    return (int(w * factor + 0.5), int(h * factor + 0.5)), factor
