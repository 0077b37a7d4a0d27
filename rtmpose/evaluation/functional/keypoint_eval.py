"""Distance-based keypoint accuracy: PCK, PCKh (MPII), AUC, EPE, and the
training-time ``acc_pose`` of heatmap and SimCC heads (the same PCK on the
argmax locations of predictions and targets).

Shapes: ``pred`` and ``gt`` (N, K, 2) pixels, ``mask`` (N, K) bool (True
where the ground-truth keypoint is labelled), normalisation factors (N, 2)
pixels (one per axis and instance).

Precision follows the reference toolbox (mmpose 1.3.2): differences are
taken in the inputs' dtype, distances are stored as float32 and compared
with the threshold in float32, so that distances on a threshold count alike.
"""
from typing import Optional, Tuple

import numpy as np

from rtmpose.codecs.heatmap_decoding import get_heatmap_maximum
from rtmpose.codecs.simcc_decoding import get_simcc_maximum

# PCKh normalises by 0.6 x the head box diagonal (the MPII benchmark's
# convention, roughly the head segment length).
PCKH_HEAD_FACTOR = 0.6


def normalized_distances(pred: np.ndarray, gt: np.ndarray, mask: np.ndarray,
                         norm_factor: np.ndarray) -> np.ndarray:
    """(N, K) float32 distances ``|(pred - gt) / norm_factor|``; -1 where the
    keypoint is masked out or the instance's norm_factor is not positive."""
    pred, gt = np.asarray(pred), np.asarray(gt)
    norm_factor = np.asarray(norm_factor).reshape(-1, 2)
    valid = np.asarray(mask, bool) & np.all(norm_factor > 0, axis=1)[:, None]
    distances = np.full(valid.shape, -1., dtype=np.float32)
    safe = np.where(norm_factor > 0, norm_factor, 1)
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
                                     np.ones((len(pred), 2), np.float32))
    valid = distances[distances != -1]
    return float(valid.sum() / max(1, len(valid)))


def mpii_pckh(pred: np.ndarray,
              gt: np.ndarray,
              mask: np.ndarray,
              head_sizes: np.ndarray,
              thr: float = 0.5) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """MPII PCKh: a keypoint is correct when its error is below thr x 0.6 x
    the head box diagonal of its person.

    Args:
        head_sizes: (N,) head box diagonals, pixels.

    Returns:
        pckh (K,): per-keypoint PCKh in percent (NaN for keypoints never
        labelled); hits (K,): correct keypoints; counts (K,): labelled ones.
    """
    norm = PCKH_HEAD_FACTOR * np.asarray(head_sizes, np.float64)
    distances = normalized_distances(pred, gt, mask,
                                     np.repeat(norm[:, None], 2, 1))
    labelled = distances != -1
    hits = ((distances < thr) & labelled).sum(0)
    counts = labelled.sum(0)
    with np.errstate(invalid='ignore', divide='ignore'):
        pckh = 100. * hits / counts
    return pckh, hits, counts


def heatmap_pck_accuracy(output: np.ndarray,
                         target: np.ndarray,
                         mask: np.ndarray,
                         thr: float = 0.05,
                         normalize: Optional[np.ndarray] = None
                         ) -> Tuple[np.ndarray, float, int]:
    """``acc_pose`` of heatmap heads: PCK of the predicted maps' argmax
    against the target maps' argmax (heatmap pixels).

    Args:
        output, target: (N, K, H, W) heatmaps.
        mask: (N, K) bool, True for keypoints with a positive weight.
        thr: PCK threshold.
        normalize: (N, 2) divisors of the (x, y) offsets; default ``[H, W]``
            (the reference's order: x by the map height, y by its width).

    Returns:
        as :func:`keypoint_pck_accuracy`: per-keypoint accuracy (K,), their
        mean over the keypoints labelled somewhere in the batch, and the
        number of those keypoints.
    """
    n, k, h, w = output.shape
    if normalize is None:
        normalize = np.tile(np.array([[h, w]]), (n, 1))
    pred = get_heatmap_maximum(np.asarray(output).reshape(n * k, h, w))[0]
    gt = get_heatmap_maximum(np.asarray(target).reshape(n * k, h, w))[0]
    return keypoint_pck_accuracy(
        pred.reshape(n, k, 2), gt.reshape(n, k, 2), mask, thr, normalize)


def simcc_pck_accuracy(output: Tuple[np.ndarray, np.ndarray],
                       target: Tuple[np.ndarray, np.ndarray],
                       split_ratio: float,
                       mask: np.ndarray,
                       thr: float = 0.05,
                       normalize: Optional[np.ndarray] = None
                       ) -> Tuple[np.ndarray, float, int]:
    """``acc_pose`` of SimCC heads: PCK of the predicted vectors' argmax
    against the labels' argmax, in input pixels (bins / split_ratio).

    Args:
        output, target: ``(x, y)`` vectors (N, K, W*k) and (N, K, H*k).
        split_ratio: bins per input pixel k.
        mask: (N, K) bool, True for keypoints with a positive weight.
        thr: PCK threshold.
        normalize: (N, 2) divisors of the (x, y) offsets; default ``[H, W]``
            of the input, in the reference's order (x by the height).

    Returns:
        as :func:`heatmap_pck_accuracy`.
    """
    n = output[0].shape[0]
    w = int(output[0].shape[-1] / split_ratio)
    h = int(output[1].shape[-1] / split_ratio)
    if normalize is None:
        normalize = np.tile(np.array([[h, w]]), (n, 1))

    def locations(simcc_x, simcc_y):
        locs, scores = get_simcc_maximum(np.asarray(simcc_x),
                                         np.asarray(simcc_y))
        # A non-positive maximum is "no location", bin -1, as in decoding.
        locs[scores <= 0] = -1
        return locs / split_ratio

    return keypoint_pck_accuracy(
        locations(*output), locations(*target), mask, thr, normalize)
