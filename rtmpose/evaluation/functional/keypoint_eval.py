"""Distance-based keypoint accuracy: PCK, PCKh (MPII), AUC, EPE.

Shapes: ``pred`` and ``gt`` (N, K, 2) pixels, ``mask`` (N, K) bool (True
where the ground-truth keypoint is labelled), normalisation factors (N, 2)
pixels (one per axis and instance).
"""
from typing import Tuple

import numpy as np

# PCKh normalises by 0.6 x the head box diagonal (the MPII benchmark's
# convention, roughly the head segment length).
PCKH_HEAD_FACTOR = 0.6


def normalized_distances(pred: np.ndarray, gt: np.ndarray, mask: np.ndarray,
                         norm_factor: np.ndarray) -> np.ndarray:
    """(N, K) distances ``|(pred - gt) / norm_factor|``; -1 where the keypoint
    is masked out or the instance's norm_factor is not positive."""
    pred, gt = np.asarray(pred, np.float64), np.asarray(gt, np.float64)
    norm_factor = np.asarray(norm_factor, np.float64).reshape(-1, 2)
    valid = np.asarray(mask, bool) & np.all(norm_factor > 0, axis=1)[:, None]
    distances = np.full(valid.shape, -1.)
    safe = np.where(norm_factor > 0, norm_factor, 1.)
    scaled = (pred - gt) / safe[:, None, :]
    distances[valid] = np.linalg.norm(scaled[valid], axis=-1)
    return distances


def _fraction_below(distances: np.ndarray, thr: float) -> float:
    """Fraction of valid (!= -1) distances < thr; -1 when none is valid."""
    valid = distances != -1
    if not valid.any():
        return -1.
    return float((distances[valid] < thr).mean())


def keypoint_pck_accuracy(pred: np.ndarray, gt: np.ndarray, mask: np.ndarray,
                          thr: float, norm_factor: np.ndarray
                          ) -> Tuple[np.ndarray, float, int]:
    """Percentage of correct keypoints: normalised distance < thr.

    Returns:
        acc (K,): per-keypoint accuracy, -1 for keypoints never labelled;
        avg_acc: mean of the per-keypoint accuracies >= 0 (0 if none);
        cnt: number of keypoints that entered the mean.
    """
    distances = normalized_distances(pred, gt, mask, norm_factor)
    acc = np.array([_fraction_below(d, thr) for d in distances.T])
    valid = acc[acc >= 0]
    return acc, float(valid.mean()) if len(valid) else 0., len(valid)


def keypoint_auc(pred: np.ndarray,
                 gt: np.ndarray,
                 mask: np.ndarray,
                 norm_factor: float,
                 num_thrs: int = 20) -> float:
    """Area under the PCK curve for thresholds ``i / num_thrs``, i = 0 ..
    num_thrs - 1, distances in units of ``norm_factor`` pixels (both axes);
    in [0, 1)."""
    factor = np.full((len(pred), 2), float(norm_factor))
    return float(
        np.mean([
            keypoint_pck_accuracy(pred, gt, mask, i / num_thrs, factor)[1]
            for i in range(num_thrs)
        ]))


def keypoint_epe(pred: np.ndarray, gt: np.ndarray, mask: np.ndarray) -> float:
    """End-point error: mean Euclidean distance (pixels) over the labelled
    keypoints (0 when there are none)."""
    distances = normalized_distances(pred, gt, mask,
                                     np.ones((len(pred), 2)))
    valid = distances[distances != -1]
    return float(valid.sum() / max(1, len(valid)))


def mpii_pckh(pred: np.ndarray,
              gt: np.ndarray,
              mask: np.ndarray,
              head_sizes: np.ndarray,
              thr: float = 0.5) -> Tuple[np.ndarray, np.ndarray]:
    """MPII PCKh: a keypoint is correct when its error is <= thr x 0.6 x the
    head box diagonal of its person.

    Args:
        head_sizes: (N,) head box diagonals, pixels.

    Returns:
        pckh (K,): per-keypoint PCKh in percent (NaN for keypoints never
        labelled); hits (K,): correct keypoints; counts (K,): labelled ones.
    """
    mask = np.asarray(mask, bool)
    errors = np.linalg.norm(
        np.asarray(pred, np.float64) - np.asarray(gt, np.float64), axis=-1)
    norm = PCKH_HEAD_FACTOR * np.asarray(head_sizes, np.float64)[:, None]
    hits = ((errors <= thr * norm) & mask).sum(0)
    counts = mask.sum(0)
    with np.errstate(invalid='ignore', divide='ignore'):
        pckh = 100. * hits / counts
    return pckh, hits, counts
