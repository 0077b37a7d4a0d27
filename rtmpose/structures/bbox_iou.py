"""IoU and generalised IoU of xyxy boxes in torch (assigners, losses, NMS)."""
import torch
from torch import Tensor


def bbox_overlaps(bboxes1: Tensor,
                  bboxes2: Tensor,
                  mode: str = 'iou',
                  is_aligned: bool = False,
                  eps: float = 1e-6) -> Tensor:
    """IoU (or GIoU) between xyxy boxes, areas ``(x2 - x1) * (y2 - y1)``.

    Args:
        bboxes1: (..., M, 4) boxes.
        bboxes2: (..., N, 4) boxes; with ``is_aligned`` N must equal M.
        mode: ``'iou'`` or ``'giou'``.
        is_aligned: pair box i with box i only.
        eps: lower bound of the union (and of the enclosing area for GIoU),
            so that empty boxes give 0 instead of NaN.

    Returns:
        (..., M, N) overlaps, or (..., M) when ``is_aligned``; IoU in [0, 1],
        GIoU in [-1, 1].
    """
    if mode not in ('iou', 'giou'):
        raise ValueError(f'bbox_overlaps: mode must be "iou" or "giou", '
                         f'got {mode!r}')
    if bboxes1.size(-1) != 4 or bboxes2.size(-1) != 4:
        raise ValueError('bbox_overlaps: boxes must be (..., 4) xyxy, got '
                         f'{tuple(bboxes1.shape)} and {tuple(bboxes2.shape)}')
    if not is_aligned:
        bboxes1 = bboxes1[..., :, None, :]
        bboxes2 = bboxes2[..., None, :, :]
    elif bboxes1.shape[-2] != bboxes2.shape[-2]:
        raise ValueError('bbox_overlaps: aligned boxes need the same count, '
                         f'got {bboxes1.shape[-2]} and {bboxes2.shape[-2]}')
    area1 = (bboxes1[..., 2] - bboxes1[..., 0]) * (
        bboxes1[..., 3] - bboxes1[..., 1])
    area2 = (bboxes2[..., 2] - bboxes2[..., 0]) * (
        bboxes2[..., 3] - bboxes2[..., 1])
    lt = torch.max(bboxes1[..., :2], bboxes2[..., :2])
    rb = torch.min(bboxes1[..., 2:], bboxes2[..., 2:])
    wh = (rb - lt).clamp(min=0)
    overlap = wh[..., 0] * wh[..., 1]
    union = (area1 + area2 - overlap).clamp(min=eps)
    ious = overlap / union
    if mode == 'iou':
        return ious
    enclosed_wh = (torch.max(bboxes1[..., 2:], bboxes2[..., 2:]) -
                   torch.min(bboxes1[..., :2], bboxes2[..., :2])).clamp(min=0)
    enclosed_area = (enclosed_wh[..., 0] * enclosed_wh[..., 1]).clamp(min=eps)
    return ious - (enclosed_area - union) / enclosed_area
