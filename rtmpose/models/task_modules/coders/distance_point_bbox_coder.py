"""Boxes as distances from a point to the four sides (FCOS / RTMDet)."""
from typing import Optional, Sequence

import torch
from torch import Tensor

from rtmpose.registry import TASK_UTILS


def distance2bbox(points: Tensor,
                  distance: Tensor,
                  max_shape: Optional[Sequence[int]] = None) -> Tensor:
    """Decode (..., N, 4) distances (left, top, right, bottom) from (N, 2)
    points (x, y) to (..., N, 4) xyxy boxes, all in pixels.

    ``max_shape`` (h, w) clamps x to [0, w] and y to [0, h].
    """
    x1 = points[..., 0] - distance[..., 0]
    y1 = points[..., 1] - distance[..., 1]
    x2 = points[..., 0] + distance[..., 2]
    y2 = points[..., 1] + distance[..., 3]
    bboxes = torch.stack([x1, y1, x2, y2], -1)
    if max_shape is not None:
        h, w = max_shape[:2]
        bboxes[..., 0::2] = bboxes[..., 0::2].clamp(min=0, max=w)
        bboxes[..., 1::2] = bboxes[..., 1::2].clamp(min=0, max=h)
    return bboxes


def bbox2distance(points: Tensor,
                  bboxes: Tensor,
                  max_dis: Optional[float] = None,
                  eps: float = 0.1) -> Tensor:
    """Inverse of :func:`distance2bbox`: (N, 2) points and (N, 4) xyxy boxes
    to (N, 4) distances; ``max_dis`` clamps them to ``[0, max_dis - eps]``."""
    left = points[..., 0] - bboxes[..., 0]
    top = points[..., 1] - bboxes[..., 1]
    right = bboxes[..., 2] - points[..., 0]
    bottom = bboxes[..., 3] - points[..., 1]
    distance = torch.stack([left, top, right, bottom], -1)
    if max_dis is not None:
        distance = distance.clamp(min=0, max=max_dis - eps)
    return distance


@TASK_UTILS.register_module()
class DistancePointBBoxCoder:
    """Encode xyxy boxes as distances from point priors and decode back.

    Args:
        clip_border: clamp decoded boxes to the image (``max_shape``).
    """

    def __init__(self, clip_border: bool = True) -> None:
        self.clip_border = clip_border

    def encode(self,
               points: Tensor,
               gt_bboxes: Tensor,
               max_dis: Optional[float] = None,
               eps: float = 0.1) -> Tensor:
        """(N, 2) points, (N, 4) xyxy boxes -> (N, 4) distances."""
        return bbox2distance(points, gt_bboxes, max_dis, eps)

    def decode(self,
               points: Tensor,
               pred_bboxes: Tensor,
               max_shape: Optional[Sequence[int]] = None) -> Tensor:
        """(N, 2) points (or (N, 4), the first two used), (..., N, 4)
        distances -> (..., N, 4) xyxy boxes, clamped to ``max_shape``
        (h, w) when ``clip_border``."""
        return distance2bbox(points[..., :2], pred_bboxes,
                             max_shape if self.clip_border else None)
