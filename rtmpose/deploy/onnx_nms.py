"""Class-aware NMS that exports as the standard ONNX ``NonMaxSuppression``
op (no mmcv.ops, no custom domain): an autograd function whose eager
forward is :func:`rtmpose.structures.nms` per class and whose ONNX symbolic
is the op, with the op's input and output conventions."""
import torch
from torch import Tensor

from rtmpose.structures.bbox_nms import nms


class NonMaxSuppression(torch.autograd.Function):
    """ONNX ``NonMaxSuppression`` (``center_point_box=0``, one batch).

    Args (of :meth:`apply`):
        boxes: (1, M, 4) xyxy.
        scores: (1, C, M) per-class scores.
        max_per_class: most boxes kept per class.
        iou_threshold: suppress overlaps strictly above it.
        score_threshold: only boxes scored strictly above it take part.

    Returns:
        (S, 3) int64 ``[batch, class, box]`` of the kept boxes, class by
        class, each by descending score.
    """

    @staticmethod
    def forward(ctx, boxes: Tensor, scores: Tensor, max_per_class: int,
                iou_threshold: float, score_threshold: float) -> Tensor:
        rows = []
        for label in range(scores.shape[1]):
            valid = torch.nonzero(scores[0, label] > score_threshold)[:, 0]
            keep = nms(boxes[0, valid], scores[0, label, valid],
                       iou_threshold)[:max_per_class]
            picked = valid[keep]
            rows.append(
                torch.stack([
                    torch.zeros_like(picked),
                    torch.full_like(picked, label), picked
                ], 1))
        return torch.cat(rows).long()

    @staticmethod
    def symbolic(g, boxes, scores, max_per_class, iou_threshold,
                 score_threshold):
        return g.op(
            'NonMaxSuppression', boxes, scores,
            g.op('Constant',
                 value_t=torch.tensor([max_per_class], dtype=torch.long)),
            g.op('Constant',
                 value_t=torch.tensor([iou_threshold], dtype=torch.float)),
            g.op('Constant',
                 value_t=torch.tensor([score_threshold], dtype=torch.float)))
