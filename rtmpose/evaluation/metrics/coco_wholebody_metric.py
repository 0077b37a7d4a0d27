"""COCO-WholeBody AP/AR: whole body and each part with its own sigmas."""
import contextlib
import io
from collections import OrderedDict
from typing import Dict, List

import numpy as np
from xtcocotools.coco import COCO

from rtmpose.registry import METRICS
from .coco_metric import CocoMetric

# (results / annotation field, part name, number of keypoints), in the
# order of the 133 keypoints.
WHOLEBODY_FIELDS = (('keypoints', 'body', 17), ('foot_kpts', 'foot', 6),
                    ('face_kpts', 'face', 68),
                    ('lefthand_kpts', 'lefthand', 21),
                    ('righthand_kpts', 'righthand', 21))
NUM_WHOLEBODY_KEYPOINTS = sum(n for _, _, n in WHOLEBODY_FIELDS)


@METRICS.register_module()
class CocoWholeBodyMetric(CocoMetric):
    """COCO-WholeBody keypoint AP/AR (Jin et al., ECCV 2020), as reported in
    RTMPose Table 6.

    Predictions (N, 133, 2) are scored, de-duplicated and written as in
    ``CocoMetric``, each split into the part fields of the COCO-WholeBody
    format (``keypoints`` = body, ``foot_kpts``, ``face_kpts``,
    ``lefthand_kpts``, ``righthand_kpts``). Then xtcocotools ``COCOeval``
    runs once per part (``keypoints_body``, ``keypoints_foot``, ...) with
    that part's slice of the sigmas, and once for all 133
    (``keypoints_wholebody``). A ground-truth person without labelled
    keypoints in a part is ignored for that part.

    Keys (default prefix ``coco-wholebody``): the whole-body stats ``AP``,
    ``AP .5``, ..., ``AR (L)``; per part ``body/AP``, ``body/AR``, ...,
    ``lefthand/AP``, ``righthand/AP`` (every stat); and ``hand/AP``,
    ``hand/AR``, the mean of the left- and right-hand values (the
    benchmark's "hand" column).

    Args: as ``CocoMetric`` (``iou_type`` must stay ``'keypoints'``); the
    ground truth (``ann_file``, or ``raw_ann_info`` of the samples) must
    have the part fields.
    """

    default_prefix = 'coco-wholebody'

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.iou_type != 'keypoints':
            raise ValueError(
                "CocoWholeBodyMetric: iou_type must be 'keypoints' (the parts "
                f'choose their own), got {self.iou_type!r}')

    def _result_entry(self, img_id, inst: dict) -> dict:
        entry = super()._result_entry(img_id, inst)
        kpts = inst['keypoints']
        if len(kpts) != NUM_WHOLEBODY_KEYPOINTS:
            raise ValueError(
                f'CocoWholeBodyMetric: predictions have {len(kpts)} keypoints,'
                f' expected {NUM_WHOLEBODY_KEYPOINTS}')
        start = 0
        for field, part, num in WHOLEBODY_FIELDS:
            entry[field] = kpts[start:start + num].reshape(-1).tolist()
            # Every part is ranked by the whole-person score (xtcocotools
            # would fall back to it with a warning).
            entry[f'{part}_score'] = entry['score']
            start += num
        entry['wholebody_score'] = entry['score']
        return entry

    def _evaluate(self, coco_gt: COCO, dets: List[dict],
                  sigmas: np.ndarray) -> Dict[str, float]:
        if not dets:
            return super()._evaluate(coco_gt, dets, sigmas)
        with contextlib.redirect_stdout(io.StringIO()):
            coco_dt = coco_gt.loadRes(dets)
        results = OrderedDict(
            self._run_cocoeval(coco_gt, coco_dt, 'keypoints_wholebody',
                               sigmas))
        start = 0
        for _, part, num in WHOLEBODY_FIELDS:
            stats = self._run_cocoeval(coco_gt, coco_dt, f'keypoints_{part}',
                                       sigmas[start:start + num])
            results.update((f'{part}/{name}', value)
                           for name, value in stats.items())
            start += num
        for name in ('AP', 'AR'):
            results[f'hand/{name}'] = 0.5 * (
                results[f'lefthand/{name}'] + results[f'righthand/{name}'])
        return results
