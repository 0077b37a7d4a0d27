"""Reading keypoint locations off 2-D heatmaps, vectorised over maps.

The building blocks take maps as (M, H, W) float arrays (M = instances x
keypoints, flattened) and locations as (M, 2) (x, y) in heatmap pixels;
:func:`decode_heatmaps` puts them together as the heatmap codecs decode
(the 'heatmaps' output kind, registered here). numpy and OpenCV only: the ONNX runtime (``rtmpose.runtime``) decodes with
these functions too.
"""
from typing import Callable, Optional, Sequence, Tuple

import cv2
import numpy as np

from .output_kinds import OutputKind, register_output_kind

# cv2 filters at most 512 channels of an (H, W, C) image per call.
_CV_MAX_CHANNELS = 512


def flatten_heatmaps(heatmaps: np.ndarray,
                     owner: str) -> Tuple[np.ndarray, Tuple[int, int]]:
    """(K, H, W) or (B, K, H, W) -> (B * K, H, W) float32 and (B, K);
    one sample's maps count as B = 1."""
    heatmaps = np.asarray(heatmaps, dtype=np.float32)
    if heatmaps.ndim == 3:
        heatmaps = heatmaps[None]
    if heatmaps.ndim != 4:
        raise ValueError(f'{owner}: expected heatmaps (K, H, W) or '
                         f'(B, K, H, W), got shape {heatmaps.shape}')
    b, k, h, w = heatmaps.shape
    return heatmaps.reshape(b * k, h, w), (b, k)


def get_heatmap_maximum(heatmaps: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Argmax of each map.

    Args:
        heatmaps: (M, H, W).

    Returns:
        locations (M, 2) float32 (x, y) heatmap pixels, -1 where the maximum
        is <= 0; scores (M,) float32, the maxima.
    """
    m, h, w = heatmaps.shape
    flat = heatmaps.reshape(m, h * w)
    idx = flat.argmax(1)
    scores = flat[np.arange(m), idx].astype(np.float32)
    locs = np.stack([idx % w, idx // w], -1).astype(np.float32)
    locs[scores <= 0] = -1
    return locs, scores


def gaussian_blur(heatmaps: np.ndarray,
                  kernel_size: int,
                  keep_max: bool = True,
                  border: int = cv2.BORDER_CONSTANT) -> np.ndarray:
    """Gaussian smoothing of each (H, W) map.

    Args:
        heatmaps: (M, H, W).
        kernel_size: odd kernel side; cv2 derives sigma from it
            (0.3 * ((k - 1) / 2 - 1) + 0.8: 2.0 for k = 11).
        keep_max: rescale each map to its maximum before smoothing, so
            smoothing changes the shape but not the peak value (DARK).
        border: cv2 border mode; the default treats the outside as zeros.

    Returns:
        (M, H, W) float32, a new array.
    """
    if kernel_size % 2 != 1:
        raise ValueError(f'blur kernel size must be odd, got {kernel_size}')
    maps = np.ascontiguousarray(heatmaps, dtype=np.float32)
    blurred = np.empty_like(maps)
    # (M, H, W) -> (H, W, M): one cv2 call filters many maps at once.
    for start in range(0, len(maps), _CV_MAX_CHANNELS):
        chunk = np.ascontiguousarray(
            maps[start:start + _CV_MAX_CHANNELS].transpose(1, 2, 0))
        out = cv2.GaussianBlur(
            chunk, (kernel_size, kernel_size),
            0,
            borderType=border)
        if out.ndim == 2:  # cv2 drops a single channel axis
            out = out[..., None]
        blurred[start:start + _CV_MAX_CHANNELS] = out.transpose(2, 0, 1)
    if keep_max:
        old_max = maps.reshape(len(maps), -1).max(1)
        new_max = blurred.reshape(len(maps), -1).max(1)
        scale = old_max / np.where(np.abs(new_max) > 1e-12, new_max, 1e-12)
        blurred *= scale[:, None, None]
    return blurred


def refine_keypoints_quarter(locs: np.ndarray,
                             heatmaps: np.ndarray) -> np.ndarray:
    """Move each integer maximum a quarter pixel towards its higher
    neighbour, per axis (the classic heatmap post-processing).

    The reference's bounds, kept exactly (they decide which maxima move):
    x shifts for 2 <= x <= W - 2 and 1 <= y, y for 2 <= y <= H - 2 and
    1 <= x; a maximum in the second row or column stays put along it.

    Args:
        locs: (M, 2) integer maxima (x, y), heatmap pixels; -1 = none.
        heatmaps: (M, H, W).

    Returns:
        (M, 2) float32 refined locations.
    """
    m, h, w = heatmaps.shape
    x = locs[:, 0].astype(np.int64)
    y = locs[:, 1].astype(np.int64)
    rows = np.arange(m)
    ok_x = (x > 1) & (x < w - 1) & (y > 0) & (y < h)
    ok_y = (y > 1) & (y < h - 1) & (x > 0) & (x < w)
    xc, yc = np.clip(x, 1, w - 2), np.clip(y, 1, h - 2)
    yr, xr = np.clip(y, 0, h - 1), np.clip(x, 0, w - 1)
    dx = heatmaps[rows, yr, xc + 1] - heatmaps[rows, yr, xc - 1]
    dy = heatmaps[rows, yc + 1, xr] - heatmaps[rows, yc - 1, xr]
    out = locs.astype(np.float32).copy()
    out[:, 0] += np.where(ok_x, 0.25 * np.sign(dx), 0)
    out[:, 1] += np.where(ok_y, 0.25 * np.sign(dy), 0)
    return out


def refine_keypoints_dark(locs: np.ndarray, heatmaps: np.ndarray,
                          blur_kernel_size: int) -> np.ndarray:
    """Sub-pixel maxima by DARK (Zhang et al., "Distribution-Aware
    Coordinate Representation for Human Pose Estimation", CVPR 2020).

    The maps are smoothed (keeping their maxima), their log taken, and one
    Newton step ``-H^-1 g`` taken from the integer maximum, with central
    differences of step 1 for the gradient and step 2 for the Hessian (as
    the paper's reference code). Maxima closer than two pixels to the
    border, or with a singular Hessian, are left unrefined.

    Args:
        locs: (M, 2) integer maxima (x, y), heatmap pixels.
        heatmaps: (M, H, W).
        blur_kernel_size: odd smoothing kernel side, pixels.

    Returns:
        (M, 2) float32 refined locations.
    """
    _, h, w = heatmaps.shape
    logs = _smoothed_log(heatmaps, blur_kernel_size, 1e-10, None)
    x = locs[:, 0].astype(np.int64)
    y = locs[:, 1].astype(np.int64)
    inside = (x > 1) & (x < w - 2) & (y > 1) & (y < h - 2)
    at = _sampler(logs, np.clip(x, 2, w - 3), np.clip(y, 2, h - 3))
    centre = at(0, 0)
    grad = np.stack([0.5 * (at(1, 0) - at(-1, 0)),
                     0.5 * (at(0, 1) - at(0, -1))], -1)
    dxx = 0.25 * (at(2, 0) - 2 * centre + at(-2, 0))
    dyy = 0.25 * (at(0, 2) - 2 * centre + at(0, -2))
    dxy = 0.25 * (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1))
    offset = _newton_step(grad, dxx, dxy, dyy)
    out = locs.astype(np.float32).copy()
    out += np.where(inside[:, None], offset, 0)
    return out


def refine_keypoints_dark_udp(locs: np.ndarray, heatmaps: np.ndarray,
                              blur_kernel_size: int) -> np.ndarray:
    """DARK refinement as used with UDP (Huang et al., CVPR 2020).

    Differs from :func:`refine_keypoints_dark` in the details of the
    reference: the log is taken of the smoothed maps clipped to
    [1e-3, 50], the maps are edge-padded by one pixel so every maximum is
    refined (a missing maximum, -1, starts from the padded corner), all
    differences have step 1 (float32, in the reference's order), and the
    Hessian gets a tiny ridge (float32 eps) and is inverted in float64.
    Away from a clean peak (untrained or flat maps) the Newton step is
    ill-conditioned, so this arithmetic is kept exactly.

    Args:
        locs: (M, 2) integer maxima (x, y), heatmap pixels; -1 = none.
        heatmaps: (M, H, W).
        blur_kernel_size: odd smoothing kernel side, pixels.

    Returns:
        (M, 2) float32 refined locations.
    """
    m = len(heatmaps)
    logs = np.pad(_smoothed_log(heatmaps, blur_kernel_size, 1e-3, 50.),
                  ((0, 0), (1, 1), (1, 1)),
                  mode='edge')
    # +1: index into the padded maps
    at = _sampler(logs, locs[:, 0].astype(np.int64) + 1,
                  locs[:, 1].astype(np.int64) + 1)
    centre, right, left = at(0, 0), at(1, 0), at(-1, 0)
    down, up = at(0, 1), at(0, -1)
    grad = np.stack([0.5 * (right - left), 0.5 * (down - up)], -1)
    dxx = right - 2 * centre + left
    dyy = down - 2 * centre + up
    dxy = 0.5 * (at(1, 1) - right - down + centre + centre - left - up +
                 at(-1, -1))
    hessian = np.stack([dxx, dxy, dxy, dyy], -1).reshape(m, 2, 2)
    hessian = hessian + np.finfo(np.float32).eps * np.eye(2)
    offset = np.einsum('imn,in->im', np.linalg.inv(hessian), grad)
    out = locs.astype(np.float32)
    out -= offset
    return out


def _smoothed_log(heatmaps: np.ndarray, blur_kernel_size: int, lo: float,
                  hi: Optional[float]) -> np.ndarray:
    """log of the smoothed (max-kept) maps clipped to [lo, hi] (M, H, W)."""
    return np.log(np.clip(gaussian_blur(heatmaps, blur_kernel_size), lo, hi))


def _sampler(logs: np.ndarray, x: np.ndarray,
             y: np.ndarray) -> Callable[[int, int], np.ndarray]:
    """``at(dx, dy)``: the (M,) values of each map at its (x + dx, y + dy),
    for finite differences around the maxima."""
    rows = np.arange(len(logs))

    def at(dx: int, dy: int) -> np.ndarray:
        return logs[rows, y + dy, x + dx]

    return at


def _newton_step(grad: np.ndarray, dxx: np.ndarray, dxy: np.ndarray,
                 dyy: np.ndarray) -> np.ndarray:
    """-H^-1 g for (M, 2) gradients and symmetric 2x2 Hessians; 0 where the
    Hessian is singular."""
    det = dxx * dyy - dxy * dxy
    ok = det != 0
    det = np.where(ok, det, 1.)
    ox = -(dyy * grad[:, 0] - dxy * grad[:, 1]) / det
    oy = -(-dxy * grad[:, 0] + dxx * grad[:, 1]) / det
    return np.where(ok[:, None], np.stack([ox, oy], -1), 0.)


def refine_udp_combined(maps: np.ndarray, blur_kernel_size: int,
                        radius: float) -> Tuple[np.ndarray, np.ndarray]:
    """UDP 'combined' maps (3M, H, W), per keypoint a disk and its x / y
    offset maps (offsets in units of ``radius`` heatmap pixels) ->
    locations (M, 2) heatmap pixels and scores (M,)."""
    if len(maps) % 3:
        raise ValueError("UDPHeatmap: heatmap_type='combined' needs 3 maps"
                         f' per keypoint, got {len(maps)} maps')
    _, h, w = maps.shape
    # A wide kernel steadies the disk's argmax; the offsets are linear in x
    # and y away from the border, where a symmetric blur keeps them.
    reflect = cv2.BORDER_REFLECT_101
    disk = gaussian_blur(maps[0::3], 2 * blur_kernel_size + 1, False, reflect)
    offsets = [
        gaussian_blur(maps[i::3], blur_kernel_size, False, reflect)
        for i in (1, 2)
    ]
    locs, scores = get_heatmap_maximum(disk)
    rows = np.arange(len(locs))
    x = np.clip(locs[:, 0].astype(np.int64), 0, w - 1)
    y = np.clip(locs[:, 1].astype(np.int64), 0, h - 1)
    shift = np.stack([offsets[0][rows, y, x], offsets[1][rows, y, x]], -1)
    return locs + shift * radius, scores


HEATMAP_REFINEMENTS = ('quarter', 'dark', 'dark_udp', 'udp_combined')


def decode_heatmaps(heatmaps: np.ndarray,
                    refine: str,
                    scale_factor: Sequence[float],
                    blur_kernel_size: int = 11,
                    radius: float = 0.0,
                    owner: str = 'decode_heatmaps'
                    ) -> Tuple[np.ndarray, np.ndarray]:
    """Heatmaps -> keypoints and scores.

    Args:
        heatmaps: (K, H, W) of one instance or (B, K, H, W); 3K maps for
            ``'udp_combined'``.
        refine: ``'quarter'`` (argmax + quarter pixel, MSRA),
            ``'dark'`` (MSRA unbiased), ``'dark_udp'`` (UDP gaussian) or
            ``'udp_combined'`` (UDP disk + offsets).
        scale_factor: (sx, sy) input pixels per heatmap pixel.
        blur_kernel_size: odd smoothing kernel, heatmap pixels.
        radius: disk radius of ``'udp_combined'``, heatmap pixels.
        owner: name in error messages.

    Returns:
        keypoints (B, K, 2) input pixels, float64 for UDP, float32 for
        MSRA, as the reference (where the maximum is
        <= 0, the location -1 heatmap pixels, refined and scaled as the
        reference does) and scores (B, K) float32; B = 1 for one
        instance's maps.
    """
    maps, (b, c) = flatten_heatmaps(heatmaps, owner)
    if refine == 'udp_combined':
        locs, scores = refine_udp_combined(maps, blur_kernel_size, radius)
        c //= 3
    elif refine in HEATMAP_REFINEMENTS:
        locs, scores = get_heatmap_maximum(maps)
        if refine == 'quarter':
            locs = refine_keypoints_quarter(locs, maps)
        elif refine == 'dark':
            locs = refine_keypoints_dark(locs, maps, blur_kernel_size)
        else:
            locs = refine_keypoints_dark_udp(locs, maps, blur_kernel_size)
    else:
        raise ValueError(f'{owner}: refine must be one of '
                         f'{HEATMAP_REFINEMENTS}, got {refine!r}')
    # a missing maximum stays at -1 heatmap pixels, scaled like any other
    # location (the reference's output; -1 * stride input pixels for MSRA).
    # The reference scales UDP locations in float64 (dividing by W - 1) and
    # MSRA ones in float32; far-off refined locations show the difference.
    dtype = np.float64 if refine in ('dark_udp', 'udp_combined') else np.float32
    keypoints = locs * np.asarray(scale_factor, dtype)
    return keypoints.reshape(b, c, 2), scores.reshape(b, c)


def heatmap_graph_argmax(heatmaps):
    """Tensor (N, K, H, W) -> pixel (N, K) x and y of each map's maximum and
    that maximum (an exported graph's decoding)."""
    width = heatmaps.shape[-1]
    scores, idx = heatmaps.flatten(2).max(-1)
    return idx % width, idx.div(width, rounding_mode='floor'), scores


HEATMAPS = register_output_kind(
    OutputKind('heatmaps', ('heatmaps', ), decode_heatmaps,
               heatmap_graph_argmax))
