"""Person crops for a top-down model: numpy and OpenCV only.

The test pipeline ``GetBBoxCenterScale(padding)`` + ``TopdownAffine(
input_size, use_udp)`` for a batch of boxes, with the same geometry
(``rtmpose.structures.bbox``), so an exported model sees the crops it was
trained on. Free of torch and mmengine: it runs where only onnxruntime is.
"""
from typing import Tuple

import cv2
import numpy as np

from rtmpose.structures.bbox import (DEFAULT_BBOX_PADDING, bbox_xyxy2cs,
                                     fix_aspect_ratio, get_warp_matrix)


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
        use_udp: unbiased data processing (as the model's TopdownAffine).

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
