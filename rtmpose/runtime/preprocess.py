"""Model inputs with numpy and OpenCV only: person crops for a top-down
model and letterboxed images for a detector.

The test pipelines (box padding, then the affine crop to the input size,
with or without UDP, as the model's input spec says; the detector's
``Resize(keep_ratio=True)`` + ``Pad``) with the same geometry (``rtmpose.structures.bbox``), so an
exported model sees the inputs it was trained on. Free of torch and
mmengine: it runs where only onnxruntime is. The keep-ratio size rule is
:func:`rtmpose.structures.bbox.rescale_size`, shared with the training
``Resize``.
"""
from typing import Optional, Tuple

import cv2
import numpy as np

from rtmpose.structures.bbox import (DEFAULT_BBOX_PADDING, bbox_xyxy2cs,
                                     fix_aspect_ratio, get_warp_matrix,
                                     rescale_size)


def crop_persons(
        img: np.ndarray,
        bboxes: np.ndarray,
        input_size: Tuple[int, int],
        padding: float = DEFAULT_BBOX_PADDING,
        use_udp: bool = False) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Warp every box of ``img`` to the model input.

    Args:
        img: (H, W, 3) uint8 BGR image.
        bboxes: (N, 4) xyxy boxes, image pixels.
        input_size: (w, h) model input, pixels.
        padding: box enlargement before fixing the aspect ratio.
        use_udp: unbiased data processing (as the model's input spec).

    Returns:
        crops (N, h, w, 3) uint8 BGR, centers (N, 2) and scales (N, 2) (w, h)
        image pixels, for :func:`rtmpose.structures.bbox.input_to_image`.
    """
    w, h = int(input_size[0]), int(input_size[1])
    bboxes = np.asarray(bboxes, dtype=np.float32).reshape(-1, 4)
    centers, scales = bbox_xyxy2cs(bboxes, padding)
    scales = fix_aspect_ratio(scales, w / h)
    crops = np.empty((len(centers), h, w, 3), dtype=np.uint8)
    for i, (center, scale) in enumerate(zip(centers, scales)):
        mat = get_warp_matrix(center, scale, 0., (w, h), use_udp)
        crops[i] = cv2.warpAffine(img, mat, (w, h), flags=cv2.INTER_LINEAR)
    return crops, centers, scales


def letterbox(img: np.ndarray, input_size: Tuple[int, int],
              pad_val: float = 114) -> Tuple[np.ndarray, Tuple[float, float]]:
    """(H, W, 3) image -> (h, w, 3) uint8 detector input: resized keeping
    the ratio to fit ``input_size`` (w, h) (bilinear) and padded right and
    bottom with ``pad_val``; also the (w, h) scale factors (new / old
    size) that map image pixels to input pixels."""
    h, w = img.shape[:2]
    (new_w, new_h), _ = rescale_size((w, h), input_size)
    resized = cv2.resize(img, (new_w, new_h), interpolation=cv2.INTER_LINEAR)
    out_w, out_h = int(input_size[0]), int(input_size[1])
    padded = cv2.copyMakeBorder(resized, 0, max(out_h - new_h, 0), 0,
                                max(out_w - new_w, 0), cv2.BORDER_CONSTANT,
                                value=(pad_val, ) * 3)
    return padded.astype(np.uint8, copy=False), (new_w / w, new_h / h)


def network_input(images: np.ndarray,
                  input_format: Optional[dict] = None) -> np.ndarray:
    """Model inputs (N, h, w, 3) uint8 BGR -> what the graph takes: the
    same for an rtmpose-format export (``input_format`` None: it normalises
    inside); for an mmdeploy-format one (float32 NCHW, normalised outside)
    channels swapped to RGB when ``to_rgb``, then ``(x - mean) / std``."""
    if input_format is None:
        return images
    x = images[..., ::-1] if input_format['to_rgb'] else images
    mean = np.asarray(input_format['mean'], np.float32)
    std = np.asarray(input_format['std'], np.float32)
    x = (x.astype(np.float32) - mean) / std
    return np.ascontiguousarray(x.transpose(0, 3, 1, 2))
