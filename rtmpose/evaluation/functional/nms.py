"""Object keypoint similarity (OKS) and OKS-based non-maximum suppression.

An instance in ``kpts_db`` is a dict with ``keypoints`` (K, 3) as
(x, y, score) in image pixels, ``score`` (float) and ``area`` (float,
pixels²).
"""
from typing import List, Optional, Sequence

import numpy as np


def oks_iou(g: np.ndarray,
            d: np.ndarray,
            a_g: float,
            a_d: np.ndarray,
            sigmas: Sequence[float],
            vis_thr: Optional[float] = None) -> np.ndarray:
    """OKS between one instance and N others.

    OKS = mean_k exp(-d_k² / (2 s² (2 sigma_k)²)), with s² the mean of the
    two areas (as in the COCO keypoint evaluation, which uses the GT area).

    Args:
        g: (K, 3) reference instance (x, y, score).
        d: (N, K, 3) other instances.
        a_g: area of ``g``.
        a_d: (N,) areas of ``d``.
        sigmas: (K,) per-keypoint OKS sigmas.
        vis_thr: when set, only keypoints scored above it in both instances
            count; an instance pair without such keypoints has OKS 0.

    Returns:
        (N,) OKS values in [0, 1].
    """
    g = np.asarray(g, dtype=np.float64)
    d = np.asarray(d, dtype=np.float64).reshape(-1, *g.shape)
    variances = (2 * np.asarray(sigmas, dtype=np.float64))**2
    dist2 = ((d[..., :2] - g[None, :, :2])**2).sum(-1)
    scale2 = (a_g + np.asarray(a_d, dtype=np.float64)) / 2 + np.spacing(1)
    sim = np.exp(-dist2 / variances[None] / scale2[:, None] / 2)
    if vis_thr is None:
        return sim.mean(-1)
    valid = (g[None, :, 2] > vis_thr) & (d[..., 2] > vis_thr)
    count = valid.sum(-1)
    return np.where(count > 0, (sim * valid).sum(-1) / np.maximum(count, 1),
                    0.0)


def _unpack(kpts_db: List[dict]):
    kpts = np.stack([np.asarray(k['keypoints']) for k in kpts_db])
    scores = np.array([k['score'] for k in kpts_db], dtype=np.float64)
    areas = np.array([k['area'] for k in kpts_db], dtype=np.float64)
    return kpts, scores, areas


def oks_nms(kpts_db: List[dict],
            thr: float,
            sigmas: Sequence[float],
            vis_thr: Optional[float] = None) -> List[int]:
    """Greedy NMS: keep the best instance, drop those with OKS > thr to it.

    Returns:
        Indices into ``kpts_db`` of the kept instances, best first.
    """
    if not kpts_db:
        return []
    kpts, scores, areas = _unpack(kpts_db)
    order = np.argsort(-scores, kind='stable')
    keep = []
    while order.size > 0:
        best, rest = order[0], order[1:]
        keep.append(int(best))
        oks = oks_iou(kpts[best], kpts[rest], areas[best], areas[rest], sigmas,
                      vis_thr)
        order = rest[oks <= thr]
    return keep


def soft_oks_nms(kpts_db: List[dict],
                 thr: float,
                 sigmas: Sequence[float],
                 vis_thr: Optional[float] = None,
                 max_dets: int = 20) -> List[int]:
    """Soft NMS: decay scores by exp(-OKS² / thr) instead of dropping.

    Instances are picked greedily by decayed score; the decayed scores only
    decide the order and the cut at ``max_dets`` (returned indices refer to
    ``kpts_db``, whose scores are left unchanged).
    """
    if not kpts_db:
        return []
    kpts, scores, areas = _unpack(kpts_db)
    remaining = np.arange(len(kpts_db))
    keep = []
    while remaining.size > 0 and len(keep) < max_dets:
        pos = int(np.argmax(scores[remaining]))
        best = remaining[pos]
        keep.append(int(best))
        remaining = np.delete(remaining, pos)
        oks = oks_iou(kpts[best], kpts[remaining], areas[best],
                      areas[remaining], sigmas, vis_thr)
        scores[remaining] *= np.exp(-oks**2 / thr)
    return keep
