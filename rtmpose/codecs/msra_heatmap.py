"""Gaussian heatmaps of SimpleBaseline (Xiao et al., ECCV 2018), optionally
unbiased with DARK decoding (Zhang et al., CVPR 2020)."""
from typing import Tuple

import numpy as np

from rtmpose.registry import KEYPOINT_CODECS
from .arguments import positive_int, positive_number, size_pair
from .base import BaseHeatmapCodec
from .heatmap_encoding import gaussian_heatmaps


@KEYPOINT_CODECS.register_module()
class MSRAHeatmap(BaseHeatmapCodec):
    """Encode keypoints as one Gaussian heatmap per keypoint.

    Input pixel x lies at heatmap pixel ``x / s`` with the stride
    ``s = input_size / heatmap_size`` per axis (the reference convention).

    - ``unbiased=False``: the Gaussian sits at the integer heatmap location
      ``int(x / s + 0.5)`` (truncated toward zero, as the reference) and is
      cut to a square of half-side 3 sigma; decoding takes the argmax and
      moves a quarter pixel towards the higher neighbour.
    - ``unbiased=True``: the Gaussian sits at the exact sub-pixel location
      over the whole map; decoding refines the argmax with DARK.

    Args:
        input_size: (w, h) of the model input, pixels.
        heatmap_size: (W, H) of the heatmaps.
        sigma: Gaussian std, heatmap pixels.
        unbiased: sub-pixel encoding and DARK decoding.
        blur_kernel_size: odd smoothing kernel of DARK, heatmap pixels
            (11 suits sigma 2, 17 sigma 3).

    Encoded (N instances, K keypoints):
        heatmaps: (K, H, W) float32, peak 1, maximum over instances.
        keypoint_weights: (N, K) float32, the visibility; 0 for a visible
            keypoint whose Gaussian support misses the map (see
            :func:`~rtmpose.codecs.heatmap_encoding.gaussian_heatmaps`).
    """

    def __init__(self,
                 input_size: Tuple[int, int],
                 heatmap_size: Tuple[int, int],
                 sigma: float,
                 unbiased: bool = False,
                 blur_kernel_size: int = 11):
        positive_int('MSRAHeatmap', 'blur_kernel_size', blur_kernel_size,
                     odd=True)
        self.input_size = size_pair('MSRAHeatmap', 'input_size', input_size)
        self.heatmap_size = size_pair('MSRAHeatmap', 'heatmap_size',
                                      heatmap_size)
        self.sigma = positive_number('MSRAHeatmap', 'sigma', sigma)
        self.unbiased = unbiased
        self.blur_kernel_size = blur_kernel_size
        self.scale_factor = (np.asarray(self.input_size, np.float32) /
                             np.asarray(self.heatmap_size, np.float32))

    def _heatmaps(self, keypoints: np.ndarray, keypoints_visible: np.ndarray
                  ) -> Tuple[np.ndarray, np.ndarray]:
        return gaussian_heatmaps(
            keypoints,
            keypoints_visible,
            self.heatmap_size,
            self.sigma,
            round_centre=not self.unbiased,
            truncate=not self.unbiased)

    def decode_args(self) -> dict:
        """Keyword arguments of :func:`decode_heatmaps` for this codec
        (JSON-safe: exported models store them)."""
        return dict(refine='dark' if self.unbiased else 'quarter',
                    scale_factor=self.scale_factor.tolist(),
                    blur_kernel_size=self.blur_kernel_size)

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(input_size={self.input_size}, '
                f'heatmap_size={self.heatmap_size}, sigma={self.sigma:g}, '
                f'unbiased={self.unbiased}, '
                f'blur_kernel_size={self.blur_kernel_size})')
