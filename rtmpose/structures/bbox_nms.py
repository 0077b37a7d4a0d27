"""Greedy box non-maximum suppression in plain torch (no compiled op).

Detection post-processing and any pose-side box filtering share it.
"""
from typing import Tuple

import torch
from torch import Tensor

from .bbox_iou import bbox_overlaps


def nms(bboxes: Tensor, scores: Tensor, iou_threshold: float,
        labels: Tensor = None) -> Tensor:
    """Greedy NMS: visit boxes by descending score, keep a box unless a kept
    higher-scored box overlaps it with IoU > ``iou_threshold``.

    With ``labels`` only boxes of the same label suppress each other
    (class-aware NMS). The greedy result is the fixed point of
    ``keep[i] = not any(keep[j] and iou[j, i] > thr for j before i)``;
    it is found by repeating that vectorised update from "keep all", which
    settles after as many rounds as the longest suppression chain (a
    handful in practice, at most N).

    Args:
        bboxes: (N, 4) xyxy boxes.
        scores: (N,) scores.
        iou_threshold: suppress overlaps strictly above it.
        labels: optional (N,) integer labels.

    Returns:
        (K,) int64 indices of the kept boxes, highest score first.
    """
    if bboxes.ndim != 2 or bboxes.size(-1) != 4:
        raise ValueError(f'nms: bboxes must be (N, 4), got '
                         f'{tuple(bboxes.shape)}')
    if scores.shape != bboxes.shape[:1]:
        raise ValueError(f'nms: scores must be ({bboxes.size(0)},), got '
                         f'{tuple(scores.shape)}')
    if bboxes.size(0) == 0:
        return torch.zeros(0, dtype=torch.long, device=bboxes.device)
    # stable sort: equal scores keep their input order
    order = torch.sort(scores, descending=True, stable=True).indices
    boxes = bboxes[order].float()
    suppress = bbox_overlaps(boxes, boxes) > iou_threshold
    if labels is not None:
        lab = labels[order]
        suppress &= lab[:, None] == lab[None, :]
    # only a higher-ranked box (row j < column i) can suppress
    suppress = torch.triu(suppress, diagonal=1)
    keep = torch.ones(len(order), dtype=torch.bool, device=bboxes.device)
    for _ in range(len(order)):
        new_keep = ~(suppress & keep[:, None]).any(0)
        if torch.equal(new_keep, keep):
            break
        keep = new_keep
    return order[keep]


def batched_nms(bboxes: Tensor, scores: Tensor, labels: Tensor,
                iou_threshold: float) -> Tuple[Tensor, Tensor]:
    """Class-aware NMS; returns ``(dets (K, 5) [x1, y1, x2, y2, score],
    keep (K,) indices)``, highest score first."""
    keep = nms(bboxes, scores, iou_threshold, labels)
    return torch.cat([bboxes[keep], scores[keep, None]], dim=1), keep
