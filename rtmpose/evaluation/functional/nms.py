"""Object keypoint similarity (OKS) and OKS-based non-maximum suppression.

An instance in ``kpts_db`` is a dict with ``keypoints`` (K, 3) as
(x, y, score) in image pixels, ``score`` (float) and ``area`` (float,
pixels²).

Fidelity: the order of instances with tied scores and the float32 OKS follow
the reference toolbox (mmpose 1.3.2), so that the same predictions keep the
same instances and get the same AP: candidates are ranked by
``np.argsort(scores)[::-1]`` (for tied scores, the later instance first; the
metric lists an image's instances by sample id), OKS values are rounded to
float32 before the threshold, and the scores keep their dtype.
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
    Computed in the inputs' dtype (float32 keypoints and sigmas: float32).

    Args:
        g: (K, 3) reference instance (x, y, score).
        d: (N, K, 3) other instances.
        a_g: area of ``g``.
        a_d: (N,) areas of ``d``.
        sigmas: (K,) per-keypoint OKS sigmas.
        vis_thr: when set, only keypoints scored above it in both instances
            count; an instance pair without such keypoints has OKS 0.

    Returns:
        (N,) float32 OKS values in [0, 1].
    """
    g = np.asarray(g)
    d = np.ascontiguousarray(np.asarray(d).reshape(-1, *g.shape))
    variances = (np.asarray(sigmas) * 2)**2
    dist2 = (d[..., 0] - g[None, :, 0])**2 + (d[..., 1] - g[None, :, 1])**2
    ratio = dist2 / variances[None]
    # As a per-instance scalar would be: cast to the keypoints' precision.
    scale2 = ((a_g + np.asarray(a_d)) / 2 + np.spacing(1)).astype(
        ratio.dtype, copy=False)
    sim = np.exp(-(ratio / scale2[:, None] / 2))
    if vis_thr is None:
        return sim.mean(-1).astype(np.float32)
    valid = (g[None, :, 2] > vis_thr) & (d[..., 2] > vis_thr)
    oks = np.zeros(len(d), dtype=np.float32)
    for n in range(len(d)):
        if valid[n].any():
            oks[n] = sim[n][valid[n]].mean()
    return oks


def _unpack(kpts_db: List[dict]):
    kpts = np.stack([np.asarray(k['keypoints']) for k in kpts_db])
    # np.array keeps the scores' own dtype: float32 and float64 scores sort
    # their ties alike only within one dtype.
    scores = np.array([k['score'] for k in kpts_db])
    areas = np.array([k['area'] for k in kpts_db])
    return kpts, scores, areas


def _ranking(scores: np.ndarray) -> np.ndarray:
    """Indices by decreasing score; tied scores as the reference ranks them
    (the reverse of numpy's default argsort)."""
    return np.argsort(scores)[::-1]


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
    order = _ranking(scores)
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

    Instances are picked greedily by decayed score, re-ranked after each
    pick; the decayed scores only decide the order and the cut at
    ``max_dets`` (returned indices refer to ``kpts_db``, whose scores are
    left unchanged).
    """
    if not kpts_db:
        return []
    kpts, scores, areas = _unpack(kpts_db)
    order = _ranking(scores)
    scores = scores[order]
    keep = []
    while order.size > 0 and len(keep) < max_dets:
        best, rest = order[0], order[1:]
        keep.append(int(best))
        oks = oks_iou(kpts[best], kpts[rest], areas[best], areas[rest], sigmas,
                      vis_thr)
        scores = scores[1:] * np.exp(-oks**2 / thr)
        rerank = _ranking(scores)
        order, scores = rest[rerank], scores[rerank]
    return keep
