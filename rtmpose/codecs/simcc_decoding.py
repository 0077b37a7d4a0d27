"""Reading locations off 1-D SimCC response vectors; registers the
'simcc' output kind (``rtmpose.codecs.output_kinds``).

numpy and OpenCV only: the ONNX runtime (``rtmpose.runtime``) decodes with
these functions too.
"""
from typing import Optional, Sequence, Tuple

import cv2
import numpy as np

from .output_kinds import OutputKind, register_output_kind


def get_simcc_maximum(simcc_x: np.ndarray,
                      simcc_y: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Argmax of each axis' response vector.

    Args:
        simcc_x: (N, K, Wx) x-axis responses.
        simcc_y: (N, K, Wy) y-axis responses.

    Returns:
        locations (N, K, 2) float32 in bins (x, y) and scores (N, K) float32,
        the smaller of the two axes' maximum responses.
    """
    if simcc_x.ndim != 3 or simcc_y.ndim != 3 \
            or simcc_x.shape[:2] != simcc_y.shape[:2]:
        raise ValueError('expected simcc_x (N, K, Wx) and simcc_y (N, K, Wy) '
                         f'with equal N, K; got {simcc_x.shape} and '
                         f'{simcc_y.shape}')
    x_locs = simcc_x.argmax(-1)
    y_locs = simcc_y.argmax(-1)
    locs = np.stack([x_locs, y_locs], -1).astype(np.float32)
    x_max = np.take_along_axis(simcc_x, x_locs[..., None], -1)[..., 0]
    y_max = np.take_along_axis(simcc_y, y_locs[..., None], -1)[..., 0]
    scores = np.minimum(x_max, y_max).astype(np.float32)
    return locs, scores


def refine_simcc_dark(locs: np.ndarray, simcc: np.ndarray,
                      blur_kernel_size: int) -> np.ndarray:
    """Sub-bin refinement of 1-D maxima (DARK, Zhang et al., CVPR 2020).

    The response is Gaussian-smoothed, its log taken, and one Newton step
    ``-f'/f''`` from the integer argmax moves to the maximum of the local
    quadratic. A Gaussian response is log-quadratic, so this recovers its
    centre exactly. Where the smoothing window around the argmax would reach
    past either end of the vector, the raw response is used instead: padding
    there (reflected or constant) would pull the peak towards or away from
    the border. Responses must be non-negative.

    Args:
        locs: (N, K) integer argmax locations, bins.
        simcc: (N, K, W) responses along one axis.
        blur_kernel_size: odd Gaussian kernel size, bins.

    Returns:
        (N, K) float32 refined locations, bins.
    """
    n, k, w = simcc.shape
    raw = simcc.reshape(n * k, w).astype(np.float32)
    # Smoothing along the bin axis only; ksize is (width, height) for cv2.
    blurred = cv2.GaussianBlur(raw, (blur_kernel_size, 1), 0)

    # Expand around the argmax, moved one bin inwards at either end so the
    # three-point stencil fits; the quadratic's vertex does not depend on it.
    pc = np.clip(locs.reshape(-1).astype(np.int64), 1, w - 2)
    radius = blur_kernel_size // 2
    smooth_ok = (pc - 1 - radius >= 0) & (pc + 1 + radius <= w - 1)
    rows = np.arange(n * k)
    window = np.stack([pc - 1, pc, pc + 1], -1)
    vals = np.where(smooth_ok[:, None], blurred[rows[:, None], window],
                    raw[rows[:, None], window])
    left, mid, right = np.log(np.maximum(vals, 1e-10)).T
    grad = 0.5 * (right - left)
    curv = right - 2 * mid + left
    # A Newton step only points at a maximum where the curve is concave. It
    # may exceed one bin: on noisy, flat peaks the raw argmax is off by more.
    concave = curv < 0
    step = np.where(concave, -grad / np.where(concave, curv, -1.0), 0.0)
    refined = np.clip(pc + step, 0, w - 1)
    return refined.reshape(n, k).astype(np.float32)


def decode_simcc(
    simcc_x: np.ndarray,
    simcc_y: np.ndarray,
    split_ratio: float,
    blur_kernel_sizes: Optional[Sequence[int]] = None
) -> Tuple[np.ndarray, np.ndarray]:
    """SimCC responses -> keypoints and scores.

    Args:
        simcc_x: (N, K, Wx) x-axis responses; simcc_y: (N, K, Wy).
        split_ratio: bins per input pixel k.
        blur_kernel_sizes: (x, y) odd DARK kernels, bins; None: no DARK.

    Returns:
        keypoints (N, K, 2) float32 input pixels (-1 / split_ratio where
        the score is <= 0: bin -1, scaled as the reference does) and scores
        (N, K) float32 (see :func:`get_simcc_maximum`).
    """
    simcc_x = np.asarray(simcc_x, dtype=np.float32)
    simcc_y = np.asarray(simcc_y, dtype=np.float32)
    locs, scores = get_simcc_maximum(simcc_x, simcc_y)
    if blur_kernel_sizes is not None:
        for axis, simcc in enumerate((simcc_x, simcc_y)):
            locs[..., axis] = refine_simcc_dark(locs[..., axis], simcc,
                                                int(blur_kernel_sizes[axis]))
    keypoints = locs / np.float32(split_ratio)
    keypoints[scores <= 0] = -1 / np.float32(split_ratio)
    return keypoints, scores


def simcc_graph_argmax(simcc_x, simcc_y):
    """Tensors (N, K, Wx), (N, K, Wy) -> bins (N, K) of each axis' maximum
    and the smaller maximum as the score (an exported graph's decoding)."""
    (x_max, x_loc), (y_max, y_loc) = simcc_x.max(-1), simcc_y.max(-1)
    return x_loc, y_loc, x_max.minimum(y_max)


SIMCC = register_output_kind(
    OutputKind('simcc', ('simcc_x', 'simcc_y'), decode_simcc,
               simcc_graph_argmax))
