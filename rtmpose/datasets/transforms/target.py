"""Training targets from the transformed keypoints."""
from typing import Union

import numpy as np
from mmcv.transforms import BaseTransform

from rtmpose.codecs import BaseKeypointCodec
from rtmpose.registry import KEYPOINT_CODECS, TRANSFORMS


@TRANSFORMS.register_module()
class GenerateTarget(BaseTransform):
    """Encode ``transformed_keypoints`` (or ``keypoints``) and
    ``keypoints_visible`` with a codec and merge the result into ``results``.

    Also stores the codec's ``label_mapping_table`` and
    ``field_mapping_table`` so ``PackPoseInputs`` knows where each target goes.

    Args:
        encoder: codec config (built from ``KEYPOINT_CODECS``) or instance.
        use_dataset_keypoint_weights: multiply ``keypoint_weights`` (N, K) by
            the dataset's per-keypoint ``dataset_keypoint_weights`` (K,).
    """

    def __init__(self,
                 encoder: Union[dict, BaseKeypointCodec],
                 use_dataset_keypoint_weights: bool = False):
        self.encoder_cfg = encoder
        self.encoder = KEYPOINT_CODECS.build(encoder) \
            if isinstance(encoder, dict) else encoder
        self.use_dataset_keypoint_weights = use_dataset_keypoint_weights

    def transform(self, results: dict) -> dict:
        key = 'transformed_keypoints' if results.get(
            'transformed_keypoints') is not None else 'keypoints'
        if results.get(key) is None or 'keypoints_visible' not in results:
            raise KeyError('GenerateTarget needs transformed_keypoints (or '
                           'keypoints) and keypoints_visible; got keys '
                           f'{sorted(results)}')
        encoded = self.encoder.encode(results[key],
                                      results['keypoints_visible'])
        if self.use_dataset_keypoint_weights and 'keypoint_weights' in encoded:
            dataset_weights = np.asarray(
                results['dataset_keypoint_weights'], np.float32)
            encoded['keypoint_weights'] = (
                encoded['keypoint_weights'] * dataset_weights)
        results.update(encoded)
        results['label_mapping_table'] = self.encoder.label_mapping_table
        results['field_mapping_table'] = self.encoder.field_mapping_table
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(encoder={self.encoder!r}, '
                'use_dataset_keypoint_weights='
                f'{self.use_dataset_keypoint_weights})')
