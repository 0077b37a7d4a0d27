"""Random horizontal flip of the image and its annotations."""
import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from rtmpose.registry import TRANSFORMS
from rtmpose.structures import flip_bbox


def flip_keypoints(keypoints: np.ndarray, keypoints_visible: np.ndarray,
                   image_width: int, flip_indices):
    """Mirror keypoints (N, K, 2) in an image of that width (x -> W - 1 - x)
    and swap left/right ids so keypoint k stays e.g. the left shoulder.

    Returns the flipped keypoints (N, K, 2) and visibility (N, K).
    """
    if len(flip_indices) != keypoints.shape[1]:
        raise ValueError(f'flip_indices has {len(flip_indices)} entries but '
                         f'there are {keypoints.shape[1]} keypoints')
    flipped = keypoints[:, flip_indices].copy()
    flipped[..., 0] = (image_width - 1) - flipped[..., 0]
    return flipped, keypoints_visible[:, flip_indices]


@TRANSFORMS.register_module()
class RandomFlip(BaseTransform):
    """Horizontally flip ``img`` and its annotations with probability
    ``prob``: one transform for pose and detection pipelines.

    Pose: ``bbox``, ``bbox_center``, ``keypoints`` and ``keypoints_visible``
    (pixel centers, x -> W - 1 - x; keypoint ids swapped with the
    metainfo's ``flip_indices``). Detection: ``gt_bboxes`` (N, 4) xyxy box
    edges, x -> W - x, as mmdet's ``RandomFlip`` (so a box stays on the
    pixels it covers). Sets ``flip`` (bool) and ``flip_direction`` (str or
    None).
    """

    def __init__(self, prob: float = 0.5, direction: str = 'horizontal'):
        if direction != 'horizontal':
            raise ValueError("RandomFlip supports direction='horizontal' "
                             f'only, got {direction!r}')
        if not 0.0 <= prob <= 1.0:
            raise ValueError(f'prob must be in [0, 1], got {prob}')
        self.prob = prob
        self.direction = direction

    def transform(self, results: dict) -> dict:
        if np.random.rand() >= self.prob:
            results['flip'] = False
            results['flip_direction'] = None
            return results
        width = results['img'].shape[1]
        results['img'] = cv2.flip(results['img'], 1)
        if results.get('bbox') is not None:
            results['bbox'] = flip_bbox(results['bbox'], width)
        if results.get('gt_bboxes') is not None:
            results['gt_bboxes'] = flip_bbox(
                results['gt_bboxes'], width, pixel_centers=False)
        if results.get('bbox_center') is not None:
            center = results['bbox_center'].copy()
            center[..., 0] = (width - 1) - center[..., 0]
            results['bbox_center'] = center
        if results.get('keypoints') is not None:
            results['keypoints'], results['keypoints_visible'] = \
                flip_keypoints(results['keypoints'],
                               results['keypoints_visible'], width,
                               results['flip_indices'])
        results['flip'] = True
        results['flip_direction'] = self.direction
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(prob={self.prob}, '
                f'direction={self.direction!r})')
