"""Detector post-processing with numpy only (no torch): the RTMDet head's
test-time rules (``RTMDetSepBNHead.predict_by_feat``) on the exported
graph's per-prior scores and boxes."""
from typing import Sequence, Tuple

import numpy as np

from rtmpose.structures.bbox import bbox_iou_matrix


def nms(boxes: np.ndarray, scores: np.ndarray, iou_threshold: float,
        labels: np.ndarray = None) -> np.ndarray:
    """Greedy NMS as ``rtmpose.structures.nms``: by descending score (ties
    in input order) keep a box unless a kept box (of the same label, when
    ``labels`` is given) overlaps it with IoU > ``iou_threshold``.
    Returns the kept indices (K,), highest score first."""
    order = np.argsort(-scores, kind='stable')
    boxes = boxes[order].astype(np.float32)
    keep = []
    alive = np.ones(len(order), bool)
    for i in range(len(order)):
        if not alive[i]:
            continue
        keep.append(i)
        later = np.nonzero(alive[i + 1:])[0] + i + 1
        if len(later) == 0:
            break
        over = bbox_iou_matrix(boxes[i:i + 1], boxes[later])[0] > iou_threshold
        if labels is not None:
            over &= labels[order[later]] == labels[order[i]]
        alive[later[over]] = False
    return order[np.asarray(keep, np.int64)]


def to_image_pixels(bboxes: np.ndarray, scale_factor: Tuple[float, float],
                    ori_shape: Tuple[int, int]) -> np.ndarray:
    """(K, 4) xyxy input pixels -> image pixels, clipped to the image
    (H, W): times the reciprocal of the (w, h) scale factor, as the head."""
    inv = np.array([1 / scale_factor[0], 1 / scale_factor[1]] * 2,
                   np.float32)
    bboxes = bboxes.astype(np.float32) * inv
    h, w = ori_shape[:2]
    bboxes[:, 0::2] = bboxes[:, 0::2].clip(0, w)
    bboxes[:, 1::2] = bboxes[:, 1::2].clip(0, h)
    return bboxes


def rescale_detections(
        dets: np.ndarray, labels: np.ndarray,
        scale_factor: Tuple[float, float], ori_shape: Tuple[int, int]
) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The outputs of a graph that post-processes itself (mmdeploy format:
    dets (D, 5) xyxy input pixels + score, labels (D,)) -> bboxes (D, 4)
    image pixels, scores (D,), labels (D,) int64."""
    return (to_image_pixels(dets[:, :4], scale_factor, ori_shape),
            dets[:, 4].astype(np.float32), labels.astype(np.int64))


def postprocess_detections(
        scores: np.ndarray, boxes: np.ndarray, level_sizes: Sequence[int],
        scale_factor: Tuple[float, float], ori_shape: Tuple[int, int],
        cfg: dict) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-prior outputs of one image -> its detections.

    Args:
        scores: (A, C) sigmoid scores over the A priors of all levels.
        boxes: (A, 4) xyxy input pixels (clamped to the input).
        level_sizes: priors per level (sum A), for the per-level top-k.
        scale_factor: (w, h) input pixels per image pixel.
        ori_shape: (h, w) of the image.
        cfg: ``score_thr``, ``nms_pre``, ``iou_threshold``,
            ``max_per_img``, ``min_bbox_size``.

    Returns:
        bboxes (K, 4) float32 xyxy image pixels, scores (K,) float32,
        labels (K,) int64, highest score first.
    """
    num_classes = scores.shape[1]
    picked_boxes, picked_scores, picked_labels = [], [], []
    start = 0
    for size in level_sizes:
        level = scores[start:start + size].reshape(-1)
        valid = np.nonzero(level > cfg['score_thr'])[0]
        order = np.argsort(-level[valid], kind='stable')
        if cfg['nms_pre'] > 0:
            order = order[:cfg['nms_pre']]
        flat = valid[order]
        picked_scores.append(level[flat])
        picked_labels.append(flat % num_classes)
        picked_boxes.append(boxes[start + flat // num_classes])
        start += size
    bboxes = np.concatenate(picked_boxes).astype(np.float32)
    out_scores = np.concatenate(picked_scores).astype(np.float32)
    labels = np.concatenate(picked_labels).astype(np.int64)
    bboxes = to_image_pixels(bboxes, scale_factor, ori_shape)
    if cfg.get('min_bbox_size', -1) >= 0:
        valid = ((bboxes[:, 2:] - bboxes[:, :2]) > cfg['min_bbox_size']).all(
            1)
        bboxes, out_scores, labels = bboxes[valid], out_scores[valid], labels[
            valid]
    keep = nms(bboxes, out_scores, cfg['iou_threshold'], labels)
    if cfg.get('max_per_img', -1) > 0:
        keep = keep[:cfg['max_per_img']]
    return bboxes[keep], out_scores[keep], labels[keep]
