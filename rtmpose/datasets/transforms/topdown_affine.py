"""Cut the person box out of the image into the model input."""
from typing import Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from rtmpose.registry import TRANSFORMS
from rtmpose.structures import fix_aspect_ratio, get_warp_matrix


@TRANSFORMS.register_module()
class TopdownAffine(BaseTransform):
    """Warp the box (``bbox_center``, ``bbox_scale``, ``bbox_rotation``) of
    the single instance onto an ``input_size`` (w, h) image.

    The box is first enlarged to the input's aspect ratio (``bbox_scale`` is
    updated). Sets ``img`` (h, w, 3), ``transformed_keypoints`` (1, K, 2)
    pixels in input space (when ``keypoints`` exist), ``input_size`` (w, h),
    ``input_center`` (2,), ``input_scale`` (2,) pixels and ``input_udp``.

    Args:
        input_size: (w, h) of the model input, pixels.
        use_udp: unbiased data processing: sizes counted in pixel intervals
            (see ``get_warp_matrix``); decoding must use the same convention.
    """

    # constructor argument -> the model's InputSpec field it must equal
    # (rtmpose.engine.startup_checks compares them)
    input_spec_args = dict(input_size='input_size', use_udp='use_udp')

    def __init__(self, input_size: Tuple[int, int], use_udp: bool = False):
        if len(input_size) != 2:
            raise ValueError(f'input_size must be (w, h), got {input_size}')
        self.input_size = (int(input_size[0]), int(input_size[1]))
        self.use_udp = use_udp

    def transform(self, results: dict) -> dict:
        w, h = self.input_size
        if results['bbox_center'].shape[0] != 1:
            raise ValueError('TopdownAffine expects one instance per sample, '
                             f"got bbox_center {results['bbox_center'].shape}")
        scale = fix_aspect_ratio(results['bbox_scale'], w / h)
        results['bbox_scale'] = scale
        center = results['bbox_center'][0]
        rotation = results.get('bbox_rotation')
        # kept float32 (not float()): the matrix's last bits follow its dtype
        rot = 0. if rotation is None else rotation[0]

        mat = get_warp_matrix(
            center, scale[0], rot, output_size=(w, h), use_udp=self.use_udp)
        results['img'] = cv2.warpAffine(
            results['img'], mat, (w, h), flags=cv2.INTER_LINEAR)

        if results.get('keypoints') is not None:
            kpts = results['keypoints']
            results['transformed_keypoints'] = (
                kpts @ mat[:, :2].T + mat[:, 2]).astype(np.float32)

        results['input_size'] = (w, h)
        results['input_center'] = center
        results['input_scale'] = scale[0]
        results['input_udp'] = self.use_udp
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(input_size={self.input_size}, '
                f'use_udp={self.use_udp})')
