"""Re-indexing the keypoints of one dataset into another dataset's layout."""
import operator
from typing import List, Optional, Sequence, Tuple, Union

import numpy as np
from mmcv.transforms import BaseTransform

from rtmpose.registry import TRANSFORMS

Source = Union[int, Tuple[int, int]]


def _source_pair(src) -> Optional[Tuple[int, int]]:
    """``i`` -> (i, i); ``(a, b)`` -> (a, b); None when not index-like."""
    try:
        pair = (src, src) if np.ndim(src) == 0 else tuple(src)
        pair = tuple(operator.index(i) for i in pair)
    except TypeError:
        return None
    return pair if len(pair) == 2 and min(pair) >= 0 else None


@TRANSFORMS.register_module()
class KeypointConverter(BaseTransform):
    """Convert per-keypoint fields from a source layout to a target layout of
    ``num_keypoints`` keypoints, e.g. AIC (14) -> COCO (17).

    Each ``(src, dst)`` of ``mapping`` copies source keypoint ``src`` to
    target keypoint ``dst``; ``src`` may also be a pair ``(a, b)``: the
    target is then their midpoint, visible only when both are. Target
    keypoints no entry maps to get coordinates 0 and visibility 0, so they
    carry no loss.

    Converted fields: coordinates ``keypoints`` / ``transformed_keypoints``
    (N, K, D) and visibility ``keypoints_visible`` (N, K), when present;
    ``num_keypoints`` becomes the number of visible target keypoints.
    The source layout's ``flip_indices``, ``upper_body_ids``,
    ``lower_body_ids`` and ``dataset_keypoint_weights`` no longer fit and
    are removed; ``CombinedDataset`` sets those of the target layout.

    Args:
        num_keypoints: K of the target layout.
        mapping: ``[(src, dst), ...]`` or ``[((src_a, src_b), dst), ...]``.
    """

    coordinate_fields = ('keypoints', 'transformed_keypoints')
    visibility_fields = ('keypoints_visible', )
    source_layout_fields = ('flip_indices', 'upper_body_ids', 'lower_body_ids',
                            'dataset_keypoint_weights')

    def __init__(self, num_keypoints: int,
                 mapping: Sequence[Tuple[Source, int]]):
        if num_keypoints < 1:
            raise ValueError(f'KeypointConverter: num_keypoints must be >= 1, '
                             f'got {num_keypoints}')
        if not mapping:
            raise ValueError('KeypointConverter: mapping is empty')
        src_a, src_b, dst = [], [], []
        for entry in mapping:
            if len(entry) != 2:
                raise ValueError(f'KeypointConverter: mapping entry {entry!r} '
                                 'is not (src, dst)')
            src, target = entry
            pair = _source_pair(src)
            if pair is None:
                raise ValueError(f'KeypointConverter: source {src!r} of '
                                 f'{entry!r} must be an index >= 0 or a pair '
                                 'of them')
            try:
                target = operator.index(target)
            except TypeError:
                raise ValueError(f'KeypointConverter: target {target!r} of '
                                 f'{entry!r} is not an index') from None
            if not 0 <= target < num_keypoints:
                raise ValueError(
                    f'KeypointConverter: target {target} of {entry!r} is '
                    f'outside 0..{num_keypoints - 1}')
            if target in dst:
                raise ValueError(f'KeypointConverter: target keypoint '
                                 f'{target} is mapped more than once')
            src_a.append(pair[0])
            src_b.append(pair[1])
            dst.append(target)
        self.num_keypoints = num_keypoints
        self.mapping: List[Tuple[Source, int]] = [
            (a if a == b else (a, b), d) for a, b, d in zip(src_a, src_b, dst)
        ]
        self._src_a = np.asarray(src_a)
        self._src_b = np.asarray(src_b)
        self._dst = np.asarray(dst)
        # source keypoints the mapping reads: at least this many
        self._num_source = max(max(src_a), max(src_b)) + 1

    def _check_source(self, key: str, value: np.ndarray) -> None:
        needed = self._num_source
        if value.ndim < 2 or value.shape[1] < needed:
            raise ValueError(
                f'KeypointConverter: {key} has shape {value.shape}, but the '
                f'mapping reads source keypoint {needed - 1} (expected (N, K'
                f'{", D" if key in self.coordinate_fields else ""}) with K >= '
                f'{needed})')

    def _convert(self, key: str, value, combine) -> np.ndarray:
        """(N, K_src, ...) -> (N, num_keypoints, ...), zeros where unmapped;
        ``combine(first, second)`` merges the two sources of each target
        (the same keypoint twice for a single source)."""
        value = np.asarray(value)
        self._check_source(key, value)
        out = np.zeros((value.shape[0], self.num_keypoints) + value.shape[2:],
                       dtype=value.dtype)
        out[:, self._dst] = combine(value[:, self._src_a],
                                    value[:, self._src_b])
        return out

    def transform(self, results: dict) -> dict:
        for key in self.coordinate_fields:
            if results.get(key) is not None:
                # Midpoint; exact for a single source.
                results[key] = self._convert(key, results[key],
                                             lambda p, q: (p + q) * 0.5)
        for key in self.visibility_fields:
            if results.get(key) is not None:
                results[key] = self._convert(key, results[key], np.minimum)
        if 'num_keypoints' in results and \
                results.get('keypoints_visible') is not None:
            results['num_keypoints'] = int(
                np.count_nonzero(results['keypoints_visible'] > 0))
        for key in self.source_layout_fields:
            results.pop(key, None)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(num_keypoints={self.num_keypoints}, '
                f'mapping={self.mapping})')
