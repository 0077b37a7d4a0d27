"""SimCC targets: one 1-D classification vector per axis and keypoint
(Li et al., "SimCC: a Simple Coordinate Classification Perspective for Human
Pose Estimation", ECCV 2022)."""
import math
from typing import Optional, Sequence, Tuple, Union

import numpy as np

from rtmpose.registry import KEYPOINT_CODECS
from .arguments import (check_keypoints, positive_number, positive_per_axis,
                        size_pair)
from .base import BaseKeypointCodec


@KEYPOINT_CODECS.register_module()
class SimCCLabel(BaseKeypointCodec):
    """Encode keypoints as per-axis soft labels over sub-pixel bins.

    Each input pixel is split into ``simcc_split_ratio`` (k) bins: an input
    of (w, h) pixels gets Wx = round(w * k) x-bins and Wy = round(h * k)
    y-bins, and bin j covers pixel position j / k. As in the reference
    (mmpose 1.3.2), whose checkpoints were trained on these targets, the
    label is centred on the nearest bin ``mu = around(keypoint * k)`` (half
    to even), so targets carry no sub-bin position.

    Args:
        input_size: (w, h) of the model input, pixels.
        smoothing_type: ``'gaussian'`` (Gaussian soft labels) or
            ``'standard'`` (one-hot with optional label smoothing).
        sigma: Gaussian std in bins, one value or (sigma_x, sigma_y).
        simcc_split_ratio: bins per pixel, k.
        label_smooth_weight: probability mass spread uniformly over the other
            bins; ``'standard'`` smoothing only.
        normalize: divide Gaussian labels by sigma * sqrt(2 * pi), making
            them a (truncated) probability density; the peak then is
            1 / (sigma * sqrt(2 * pi)) instead of 1.
        use_dark: refine decoded maxima to sub-bin precision with DARK.

    Encoded (N instances, K keypoints):
        keypoint_x_labels: (N, K, Wx) float32, all zero for weight-0
            keypoints.
        keypoint_y_labels: (N, K, Wy) float32, same layout.
        keypoint_weights: (N, K) float32, the visibility, set to 0 for a
            visible keypoint the label cannot reach: with Gaussian labels
            when its support [mu - 3 sigma, mu + 3 sigma + 1] misses the bins
            on either axis (a keypoint just outside the input keeps its
            weight and a label tail), with standard labels when mu falls
            outside the bins. Invisible keypoints (< 0.5) get all-zero labels
            and keep their visibility as weight.
    """

    kind = 'simcc'
    label_mapping_table = dict(
        keypoint_x_labels='keypoint_x_labels',
        keypoint_y_labels='keypoint_y_labels',
        keypoint_weights='keypoint_weights')

    def __init__(self,
                 input_size: Tuple[int, int],
                 smoothing_type: str = 'gaussian',
                 sigma: Union[float, Sequence[float]] = 6.0,
                 simcc_split_ratio: float = 2.0,
                 label_smooth_weight: float = 0.0,
                 normalize: bool = True,
                 use_dark: bool = False):
        if smoothing_type not in ('gaussian', 'standard'):
            raise ValueError("smoothing_type must be 'gaussian' or "
                             f"'standard', got {smoothing_type!r}")
        if smoothing_type == 'gaussian' and label_smooth_weight > 0:
            raise ValueError('label_smooth_weight applies to '
                             "smoothing_type='standard' only")
        if not 0.0 <= label_smooth_weight < 1.0:
            raise ValueError('label_smooth_weight must be in [0, 1), got '
                             f'{label_smooth_weight}')
        self.input_size = size_pair('SimCCLabel', 'input_size', input_size)
        self.smoothing_type = smoothing_type
        # validated, then kept in float64: the reference's label arithmetic
        positive_per_axis('SimCCLabel', 'sigma', sigma)
        self.sigma = np.broadcast_to(np.asarray(sigma, np.float64),
                                     (2, )).copy()
        self.simcc_split_ratio = positive_number(
            'SimCCLabel', 'simcc_split_ratio', simcc_split_ratio)
        self.label_smooth_weight = float(label_smooth_weight)
        self.normalize = normalize
        self.use_dark = use_dark

        w, h = self.input_size
        self.num_bins = (int(round(w * self.simcc_split_ratio)),
                         int(round(h * self.simcc_split_ratio)))
        # Bin coordinates, reused by every encode call.
        self._bins_x = np.arange(self.num_bins[0], dtype=np.float32)
        self._bins_y = np.arange(self.num_bins[1], dtype=np.float32)
        # float32 as the reference's arithmetic (targets equal to 1e-7).
        self._gauss_denom = (2 * self.sigma**2).astype(np.float32)
        self._norm = (self.sigma * math.sqrt(2 * math.pi)).astype(np.float32)
        # DARK smoothing kernel, odd, growing with sigma (as the reference).
        self._blur_sizes = []
        for s in self.sigma:
            size = max(int((s * 20 - 7) // 3), 3)
            self._blur_sizes.append(size - (size % 2 == 0))

    def encode(self,
               keypoints: np.ndarray,
               keypoints_visible: Optional[np.ndarray] = None) -> dict:
        """Keypoints (N, K, 2) pixels in input space, visibility (N, K)
        -> labels and weights (see class docstring)."""
        keypoints, keypoints_visible = check_keypoints(
            keypoints, keypoints_visible, type(self).__name__)
        mu = np.around(keypoints * np.float32(self.simcc_split_ratio))
        num_bins = np.asarray(self.num_bins)
        if self.smoothing_type == 'gaussian':
            radius = 3 * self.sigma
            reach = ((mu - radius < num_bins) &
                     (mu + radius + 1 >= 0)).all(-1)
        else:
            reach = ((mu >= 0) & (mu < num_bins)).all(-1)
        visible = keypoints_visible >= 0.5
        keep = visible & reach
        weights = np.where(visible & ~reach, 0,
                           keypoints_visible).astype(np.float32)

        if self.smoothing_type == 'gaussian':
            x_labels = self._gaussian(mu[..., 0], self._bins_x, 0, keep)
            y_labels = self._gaussian(mu[..., 1], self._bins_y, 1, keep)
        else:
            x_labels = self._standard(mu[..., 0], self.num_bins[0], keep)
            y_labels = self._standard(mu[..., 1], self.num_bins[1], keep)
        return dict(
            keypoint_x_labels=x_labels,
            keypoint_y_labels=y_labels,
            keypoint_weights=weights)

    def _gaussian(self, mu: np.ndarray, bins: np.ndarray, axis: int,
                  keep: np.ndarray) -> np.ndarray:
        """Gaussian over ``bins`` centred at whole bins ``mu`` (N, K) ->
        (N, K, W); all-zero rows where ``keep`` is False."""
        diff = bins - mu[..., None].astype(np.float32)
        labels = np.exp(-(diff * diff) / self._gauss_denom[axis])
        labels *= keep[..., None]
        if self.normalize:
            labels /= self._norm[axis]
        return labels

    def _standard(self, mu: np.ndarray, num_bins: int,
                  keep: np.ndarray) -> np.ndarray:
        """One-hot at bin ``mu`` with label smoothing -> (N, K, W)."""
        n, k = mu.shape
        off = self.label_smooth_weight / max(num_bins - 1, 1)
        labels = np.full((n, k, num_bins), off, np.float32)
        idx = np.clip(mu.astype(np.int64), 0, num_bins - 1)
        np.put_along_axis(labels, idx[..., None],
                          np.float32(1 - self.label_smooth_weight), -1)
        labels[~keep] = 0
        return labels

    def decode_args(self) -> dict:
        """Keyword arguments of :func:`~rtmpose.codecs.decode_simcc`
        (JSON-safe: exported models store them)."""
        return dict(split_ratio=self.simcc_split_ratio,
                    blur_kernel_sizes=(list(self._blur_sizes)
                                       if self.use_dark else None))

    def argmax_scale(self) -> Tuple[float, float]:
        """A bin is 1 / k input pixels on both axes."""
        return (1 / self.simcc_split_ratio, ) * 2

    def refinement(self) -> Optional[str]:
        return 'DARK' if self.use_dark else None

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(input_size={self.input_size}, '
                f'smoothing_type={self.smoothing_type!r}, '
                f"sigma=({', '.join(f'{s:g}' for s in self.sigma)}), "
                f'simcc_split_ratio={self.simcc_split_ratio}, '
                f'label_smooth_weight={self.label_smooth_weight}, '
                f'normalize={self.normalize}, use_dark={self.use_dark})')
