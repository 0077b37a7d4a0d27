"""Checks of loaded annotations that keep bad values out of training: NaN or
infinite keypoints, boxes and scores; annotations of absent images."""
import logging
import math
from typing import List, Sequence

import numpy as np
from mmengine.logging import print_log

NON_FINITE_MODES = ('error', 'drop')
_SHOWN = 10  # ids listed in a message


def check_non_finite_mode(mode: str) -> None:
    if mode not in NON_FINITE_MODES:
        raise ValueError(f'non_finite must be one of {NON_FINITE_MODES}, got '
                         f'{mode!r}')


class NonFiniteFilter:
    """Refuse (``mode='error'``) or drop and count (``mode='drop'``) the
    annotations of ``source`` that hold a non-finite number.

    Args:
        mode: ``'error'`` or ``'drop'`` (the datasets' ``non_finite``).
        source: the annotation file, for messages.
    """

    def __init__(self, mode: str, source: str):
        check_non_finite_mode(mode)
        self.mode, self.source = mode, source
        self.dropped: List[str] = []

    def keep(self, name: str, **fields: Sequence[float]) -> bool:
        """Whether the instance called ``name`` (e.g. ``'annotation id 7'``)
        has only finite numbers in ``fields`` (field name -> numbers); in
        mode 'error' a non-finite one raises ``ValueError``."""
        problems = []
        for field, values in fields.items():
            try:  # the common case in one C-level pass
                if math.isfinite(sum(values)):
                    continue
            except TypeError:
                pass
            problems += _describe(field, values)
        if not problems:
            return True
        if self.mode == 'error':
            raise ValueError(
                f'{self.source}: {name}: {"; ".join(problems)}. Fix the '
                "file, or set non_finite='drop' in the dataset config to "
                'leave such instances out')
        self.dropped.append(name)
        return False

    def report(self) -> None:
        """Log the dropped instances (count and the first ones), if any."""
        if self.dropped:
            shown = ', '.join(self.dropped[:_SHOWN])
            more = len(self.dropped) - _SHOWN
            print_log(
                f'{self.source}: dropped {len(self.dropped)} instance(s) with '
                "non-finite keypoints, boxes or scores (non_finite='drop'): "
                f'{shown}' + (f' and {more} more' if more > 0 else ''),
                logger='current', level=logging.WARNING)


def _describe(field: str, values) -> List[str]:
    try:
        flat = np.asarray(values, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        return [f'{field} is not a list of numbers: {values!r:.80}']
    bad = np.flatnonzero(~np.isfinite(flat))
    if not bad.size:
        return []
    if field == 'keypoints':  # flat [x, y, v] * K
        where = [f'keypoint {i // 3} {"xyv"[i % 3]}={flat[i]}' for i in bad]
    else:
        where = [f'[{i}]={flat[i]}' for i in bad]
    return [f'non-finite {field} {", ".join(where[:_SHOWN])}']


def report_annotations_without_image(coco, source: str) -> None:
    """Warn about annotations whose ``image_id`` is not among the images of
    ``source`` (they can never become samples)."""
    imgs = coco.imgs
    orphans = [(ann.get('id'), ann.get('image_id'))
               for ann in coco.dataset['annotations']
               if ann.get('image_id') not in imgs]
    if orphans:
        shown = ', '.join(f'{ann_id} (image_id {img_id})'
                          for ann_id, img_id in orphans[:_SHOWN])
        more = len(orphans) - _SHOWN
        print_log(
            f'{source}: {len(orphans)} annotation(s) refer to an image_id '
            f'that is not in "images" and are left out: annotation id(s) '
            f'{shown}' + (f' and {more} more' if more > 0 else ''),
            logger='current', level=logging.WARNING)
