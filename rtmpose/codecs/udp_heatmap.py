"""Heatmaps of Unbiased Data Processing (Huang et al., "The Devil is in the
Details: Delving into Unbiased Data Processing for Human Pose Estimation",
CVPR 2020)."""
from typing import Tuple

import numpy as np

from rtmpose.registry import KEYPOINT_CODECS
from .arguments import positive_int, positive_number, size_pair
from .base import BaseHeatmapCodec
from .heatmap_encoding import gaussian_heatmaps


@KEYPOINT_CODECS.register_module()
class UDPHeatmap(BaseHeatmapCodec):
    """Encode keypoints as UDP heatmaps.

    UDP measures sizes in pixel intervals: input pixel x lies at heatmap
    pixel ``x * (W - 1) / (w - 1)``, so the first and last pixel centres of
    input and heatmap coincide and a horizontal flip of the input
    (x -> w - 1 - x) is exactly a flip of the heatmap. Declares
    ``use_udp``: its model's crops are made with UDP. (The reference decodes with
    ``* w / (W - 1)`` and then maps input to image pixels as non-UDP, which
    gives the same image coordinates as decoding with ``(w - 1) / (W - 1)``
    and mapping as UDP, which this toolbox does.)

    Heatmap types:

    - ``'gaussian'``: one Gaussian per keypoint at its exact sub-pixel
      location, cut to a square of half-side 3 sigma around its integer
      location ``int(x + 0.5)`` (truncated toward zero, as the reference);
      decoded by argmax + DARK (UDP variant).
    - ``'combined'``: per keypoint three maps: a binary disk of radius
      ``radius_factor * max(W, H)`` and the x / y offsets from each pixel to
      the keypoint divided by that radius; decoded by the argmax of the
      smoothed disk map plus the smoothed offsets there.

    Args:
        input_size: (w, h) of the model input, pixels.
        heatmap_size: (W, H) of the heatmaps.
        heatmap_type: ``'gaussian'`` or ``'combined'``.
        sigma: Gaussian std, heatmap pixels (``'gaussian'``).
        radius_factor: disk radius over the longer heatmap side
            (``'combined'``).
        blur_kernel_size: odd smoothing kernel of the decoding, heatmap
            pixels (11 suits sigma 2).

    Encoded (N instances, K keypoints):
        heatmaps: (K, H, W) float32 (``'gaussian'``, maximum over instances)
            or (3K, H, W) (``'combined'``: disk, x offset, y offset per
            keypoint; one instance only).
        keypoint_weights: (N, K) float32, the visibility; for
            ``'gaussian'`` 0 where a visible keypoint's support misses the
            map (see :func:`~rtmpose.codecs.heatmap_encoding.
            gaussian_heatmaps`).
    """

    use_udp = True

    def __init__(self,
                 input_size: Tuple[int, int],
                 heatmap_size: Tuple[int, int],
                 heatmap_type: str = 'gaussian',
                 sigma: float = 2.0,
                 radius_factor: float = 0.0546875,
                 blur_kernel_size: int = 11):
        if heatmap_type not in ('gaussian', 'combined'):
            raise ValueError("UDPHeatmap: heatmap_type must be 'gaussian' or "
                             f"'combined', got {heatmap_type!r}")
        positive_int('UDPHeatmap', 'blur_kernel_size', blur_kernel_size,
                     odd=True)
        self.input_size = size_pair('UDPHeatmap', 'input_size', input_size)
        self.heatmap_size = size_pair('UDPHeatmap', 'heatmap_size',
                                      heatmap_size)
        if min(self.heatmap_size) < 2:
            raise ValueError('UDPHeatmap: heatmap_size must be at least 2 '
                             f'per side (UDP divides by size - 1), got '
                             f'{heatmap_size!r}')
        self.heatmap_type = heatmap_type
        self.sigma = positive_number('UDPHeatmap', 'sigma', sigma)
        self.radius_factor = positive_number('UDPHeatmap', 'radius_factor',
                                             radius_factor)
        self.blur_kernel_size = blur_kernel_size
        # float32 for encoding, as the reference; decoding scales in float64
        self.scale_factor = (
            (np.asarray(self.input_size, np.float32) - 1) /
            (np.asarray(self.heatmap_size, np.float32) - 1))
        # disk radius of 'combined', heatmap pixels
        self.radius = self.radius_factor * max(self.heatmap_size)

    def _heatmaps(self, keypoints: np.ndarray, keypoints_visible: np.ndarray
                  ) -> Tuple[np.ndarray, np.ndarray]:
        if self.heatmap_type == 'combined':
            return self._combined_maps(keypoints, keypoints_visible)
        return gaussian_heatmaps(
            keypoints,
            keypoints_visible,
            self.heatmap_size,
            self.sigma,
            round_centre=False,
            truncate=True)

    def _combined_maps(self, keypoints: np.ndarray,
                       keypoints_visible: np.ndarray
                       ) -> Tuple[np.ndarray, np.ndarray]:
        """(1, K, 2) heatmap pixels -> (3K, H, W) disk / offset maps."""
        if keypoints.shape[0] != 1:
            raise ValueError("UDPHeatmap: heatmap_type='combined' encodes one "
                             f'instance, got {keypoints.shape[0]}')
        w, h = self.heatmap_size
        visible = keypoints_visible[0] >= 0.5
        weights = np.where(visible, keypoints_visible[0], 0)[None]
        xs = np.arange(w, dtype=np.float32)
        ys = np.arange(h, dtype=np.float32)[:, None]
        kx = keypoints[0, :, 0, None, None]
        ky = keypoints[0, :, 1, None, None]
        off_x = np.broadcast_to((kx - xs) / self.radius, (len(kx), h, w))
        off_y = np.broadcast_to((ky - ys) / self.radius, (len(kx), h, w))
        disk = (off_x**2 + off_y**2 <= 1).astype(np.float32)
        maps = np.stack([disk, off_x, off_y], 1) * visible[:, None, None,
                                                           None]
        return (maps.reshape(-1, h, w).astype(np.float32),
                weights.astype(np.float32))

    def decode_args(self) -> dict:
        """Keyword arguments of :func:`decode_heatmaps` for this codec
        (JSON-safe: exported models store them)."""
        combined = self.heatmap_type == 'combined'
        # exact in float64: an ill-conditioned DARK step can land 1e5 input
        # pixels away, where float32's rounding of the factor is 1e-2 px
        scale_factor = ((np.asarray(self.input_size, np.float64) - 1) /
                        (np.asarray(self.heatmap_size, np.float64) - 1))
        return dict(refine='udp_combined' if combined else 'dark_udp',
                    scale_factor=scale_factor.tolist(),
                    blur_kernel_size=self.blur_kernel_size,
                    radius=float(self.radius))

    def argmax_scale(self) -> Tuple[float, float]:
        if self.heatmap_type == 'combined':
            raise NotImplementedError(
                "UDPHeatmap: 'combined' heatmaps decode from their offset "
                'maps too; a plain argmax of the maps means nothing')
        return super().argmax_scale()

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(input_size={self.input_size}, '
                f'heatmap_size={self.heatmap_size}, '
                f'heatmap_type={self.heatmap_type!r}, sigma={self.sigma:g}, '
                f'radius_factor={self.radius_factor:g}, '
                f'blur_kernel_size={self.blur_kernel_size})')
