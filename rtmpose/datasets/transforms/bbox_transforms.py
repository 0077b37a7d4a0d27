"""Transforms that choose the person box to crop: its center, scale (w, h)
and rotation. The image itself is only cut out later, by the affine crop."""
from typing import Optional, Sequence, Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from rtmpose.registry import TRANSFORMS
from rtmpose.structures import DEFAULT_BBOX_PADDING, bbox_xyxy2cs


@TRANSFORMS.register_module()
class GetBBoxCenterScale(BaseTransform):
    """``bbox`` (N, 4) xyxy -> ``bbox_center`` (N, 2) and ``bbox_scale``
    (N, 2) (w, h) pixels, enlarged by ``padding``."""

    # the model's InputSpec field the padding must equal (start-up check)
    input_spec_args = dict(padding='bbox_padding')

    def __init__(self, padding: float = DEFAULT_BBOX_PADDING):
        self.padding = padding

    def transform(self, results: dict) -> dict:
        center, scale = bbox_xyxy2cs(results['bbox'], padding=self.padding)
        results['bbox_center'] = center
        results['bbox_scale'] = scale
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(padding={self.padding})'


@TRANSFORMS.register_module()
class RandomBBoxTransform(BaseTransform):
    """Randomly shift, rescale and rotate the crop box.

    Each draw is a standard normal clipped to [-1, 1], then mapped:
    shift = draw * shift_factor * scale (per axis, pixels); rescale factor =
    mid + draw * half-width of ``scale_factor`` (same for w and h);
    rotation = draw * rotate_factor degrees. Each is applied with its own
    probability. Sets ``bbox_rotation`` (N,) degrees (0 when not rotated).

    Args:
        shift_factor: maximal shift as a fraction of the box size.
        shift_prob: probability of shifting.
        scale_factor: (min, max) rescale factor.
        scale_prob: probability of rescaling.
        rotate_factor: maximal rotation, degrees.
        rotate_prob: probability of rotating.
    """

    def __init__(self,
                 shift_factor: float = 0.16,
                 shift_prob: float = 0.3,
                 scale_factor: Tuple[float, float] = (0.5, 1.5),
                 scale_prob: float = 1.0,
                 rotate_factor: float = 80.0,
                 rotate_prob: float = 0.6):
        if len(scale_factor) != 2 or scale_factor[0] > scale_factor[1]:
            raise ValueError('scale_factor must be (min, max) with min <= '
                             f'max, got {scale_factor}')
        self.shift_factor = shift_factor
        self.shift_prob = shift_prob
        self.scale_factor = tuple(scale_factor)
        self.scale_prob = scale_prob
        self.rotate_factor = rotate_factor
        self.rotate_prob = rotate_prob

    def transform(self, results: dict) -> dict:
        center = results['bbox_center']
        scale = results['bbox_scale']
        n = center.shape[0]

        draws = np.clip(np.random.randn(n, 4), -1., 1.).astype(np.float32)
        applied = np.random.rand(n, 3) < (self.shift_prob, self.scale_prob,
                                          self.rotate_prob)

        shift = draws[:, :2] * np.float32(self.shift_factor) * scale
        center = center + shift * applied[:, :1]

        lo, hi = self.scale_factor
        rescale = (lo + hi) * 0.5 + draws[:, 2:3] * (hi - lo) * 0.5
        scale = scale * np.where(applied[:, 1:2], rescale, 1.).astype(
            np.float32)

        rotation = draws[:, 3] * np.float32(self.rotate_factor) * applied[:, 2]

        results['bbox_center'] = center.astype(np.float32)
        results['bbox_scale'] = scale.astype(np.float32)
        results['bbox_rotation'] = rotation.astype(np.float32)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(shift_factor={self.shift_factor}, '
                f'shift_prob={self.shift_prob}, '
                f'scale_factor={self.scale_factor}, '
                f'scale_prob={self.scale_prob}, '
                f'rotate_factor={self.rotate_factor}, '
                f'rotate_prob={self.rotate_prob})')


@TRANSFORMS.register_module()
class RandomHalfBody(BaseTransform):
    """With probability ``prob``, crop to the upper or lower body only.

    Applies to instances with at least ``min_total_keypoints`` visible
    keypoints. A half qualifies when it has enough visible keypoints; when
    both do, the upper half is taken with ``upper_prioritized_prob``. The new
    box spans the chosen half's visible keypoints, scaled by ``padding``.
    Needs ``upper_body_ids`` / ``lower_body_ids`` from the dataset metainfo.
    """

    def __init__(self,
                 min_total_keypoints: int = 9,
                 min_upper_keypoints: int = 2,
                 min_lower_keypoints: int = 3,
                 padding: float = 1.5,
                 prob: float = 0.3,
                 upper_prioritized_prob: float = 0.7):
        self.min_total_keypoints = min_total_keypoints
        self.min_upper_keypoints = min_upper_keypoints
        self.min_lower_keypoints = min_lower_keypoints
        self.padding = padding
        self.prob = prob
        self.upper_prioritized_prob = upper_prioritized_prob

    def _choose_half(self, visible: np.ndarray, upper: Sequence[int],
                     lower: Sequence[int]) -> Optional[np.ndarray]:
        """Indices of the chosen half's visible keypoints, or None."""
        if (visible > 0).sum() < self.min_total_keypoints:
            return None
        upper_vis = [i for i in upper if visible[i] > 0]
        lower_vis = [i for i in lower if visible[i] > 0]
        upper_ok = len(upper_vis) >= self.min_upper_keypoints
        lower_ok = len(lower_vis) >= self.min_lower_keypoints
        if upper_ok and lower_ok:
            use_upper = np.random.rand() < self.upper_prioritized_prob
        elif upper_ok or lower_ok:
            use_upper = upper_ok
        else:
            return None
        return np.asarray(upper_vis if use_upper else lower_vis)

    def transform(self, results: dict) -> dict:
        if np.random.rand() >= self.prob:
            return results
        keypoints = results['keypoints']
        visible = results['keypoints_visible']
        center = results['bbox_center'].copy()
        scale = results['bbox_scale'].copy()
        for i in range(keypoints.shape[0]):
            ids = self._choose_half(visible[i], results['upper_body_ids'],
                                    results['lower_body_ids'])
            if ids is None:
                continue
            pts = keypoints[i, ids]
            lo, hi = pts.min(0), pts.max(0)
            if not (hi > lo).any():  # coincident points: no box to crop
                continue
            center[i] = (lo + hi) * 0.5
            scale[i] = (hi - lo) * self.padding
        results['bbox_center'] = center
        results['bbox_scale'] = scale
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}('
                f'min_total_keypoints={self.min_total_keypoints}, '
                f'min_upper_keypoints={self.min_upper_keypoints}, '
                f'min_lower_keypoints={self.min_lower_keypoints}, '
                f'padding={self.padding}, prob={self.prob}, '
                f'upper_prioritized_prob={self.upper_prioritized_prob})')
