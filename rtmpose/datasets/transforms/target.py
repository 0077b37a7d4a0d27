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

    No target is ever NaN or infinite: a keypoint without a finite position
    (e.g. after a degenerate transform) is encoded as unlabelled (weight 0),
    and a codec output that still holds a non-finite value is an error
    naming the codec, the target and the sample.

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
        keypoints = np.asarray(results[key], dtype=np.float32)
        visible = np.asarray(results['keypoints_visible'], dtype=np.float32)
        finite = np.isfinite(keypoints).all(-1)
        if not finite.all():
            keypoints = np.where(finite[..., None], keypoints, 0.)
            visible = np.where(finite, visible, 0.)
        encoded = self.encoder.encode(keypoints, visible)
        self._check_finite(encoded, results)
        if self.use_dataset_keypoint_weights and 'keypoint_weights' in encoded:
            dataset_weights = np.asarray(
                results['dataset_keypoint_weights'], np.float32)
            encoded['keypoint_weights'] = (
                encoded['keypoint_weights'] * dataset_weights)
        results.update(encoded)
        results['label_mapping_table'] = self.encoder.label_mapping_table
        results['field_mapping_table'] = self.encoder.field_mapping_table
        return results

    def _check_finite(self, encoded: dict, results: dict) -> None:
        for name, value in encoded.items():
            if isinstance(value, np.ndarray) and value.dtype.kind == 'f' \
                    and not np.isfinite(value).all():
                raise ValueError(
                    f'{type(self.encoder).__name__} produced a non-finite '
                    f'{name!r} for {results.get("img_path")} (annotation id '
                    f'{results.get("id")}); keypoints '
                    f'{np.asarray(results.get("keypoints")).tolist()}')

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(encoder={self.encoder!r}, '
                'use_dataset_keypoint_weights='
                f'{self.use_dataset_keypoint_weights})')
