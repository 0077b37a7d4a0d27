"""COCO keypoint AP/AR of top-down predictions (xtcocotools ``COCOeval``)."""
import contextlib
import io
import json
import os.path as osp
import tempfile
from collections import OrderedDict, defaultdict
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log
from mmengine.structures import BaseDataElement
from xtcocotools.coco import COCO
from xtcocotools.cocoeval import COCOeval

from rtmpose.datasets.coco_api import coco_from_dict, load_coco
from rtmpose.registry import METRICS
from ..functional import oks_nms, soft_oks_nms
from ..functional.results_file import write_coco_results

STAT_NAMES = ('AP', 'AP .5', 'AP .75', 'AP (M)', 'AP (L)', 'AR', 'AR .5',
              'AR .75', 'AR (M)', 'AR (L)')
# CrowdPose: no area ranges; AP over images of low / medium / high crowd
# index (< 0.2, < 0.8, >= 0.8) instead.
CROWD_STAT_NAMES = ('AP', 'AP .5', 'AP .75', 'AR', 'AR .5', 'AR .75',
                    'AP(E)', 'AP(M)', 'AP(H)')
IOU_TYPES = {'keypoints': STAT_NAMES, 'keypoints_crowd': CROWD_STAT_NAMES}
SCORE_MODES = ('bbox', 'bbox_keypoint', 'bbox_rle', 'keypoint')
NMS_MODES = ('oks_nms', 'soft_oks_nms', 'none')


def _to_numpy(value) -> np.ndarray:
    """A tensor (any device) or array-like as a numpy array (the metrics'
    one conversion of prediction fields)."""
    if hasattr(value, 'detach'):
        value = value.detach().cpu().numpy()
    return np.asarray(value)


@METRICS.register_module()
class CocoMetric(BaseMetric):
    """COCO keypoint evaluation (OKS-based AP and AR).

    Per image, each predicted instance gets a score (``score_mode``):
    ``'bbox'`` the box score; ``'keypoint'`` the mean of all its keypoint
    scores; ``'bbox_keypoint'`` the box score times the mean of its keypoint
    scores above ``keypoint_score_thr`` (0 when none is); ``'bbox_rle'``
    box score + mean + max of its keypoint scores (RLE models). An image's
    instances are listed by sample id, duplicates are suppressed with
    OKS-NMS (``nms_mode``), then ``COCOeval`` runs with the OKS sigmas of
    ``dataset_meta``. Scores, their float precision and the order of tied
    scores are the reference toolbox's (mmpose 1.3.2), so that the same
    predictions keep the same instances and get the same AP.

    Args:
        ann_file: COCO-format ground truth. Read at evaluation time, so it may
            be written after the metric is built. None: build the ground
            truth from the samples' ``raw_ann_info`` (top-down samples from
            annotated boxes).
        use_area: normalise OKS by the GT ``area`` (else by 0.53 x the GT
            box area, as xtcocotools does).
        iou_type: ``'keypoints'``, or ``'keypoints_crowd'`` for CrowdPose:
            AP/AR without area ranges plus ``AP(E)``, ``AP(M)``, ``AP(H)``
            over easy / medium / hard images by their ``crowdIndex`` (in
            the ground-truth images, or the samples' ``crowd_index`` when
            ``ann_file`` is None); use it with ``use_area=False``.
        score_mode: ``'bbox'``, ``'bbox_keypoint'``, ``'bbox_rle'`` or
            ``'keypoint'``.
        keypoint_score_thr: with ``'bbox_keypoint'``, keypoint scores above
            it enter the instance score.
        nms_mode: ``'oks_nms'``, ``'soft_oks_nms'`` or ``'none'``.
        nms_thr: OKS threshold of the NMS.
        format_only: only write the results file (needs ``outfile_prefix``)
            and return no metrics, e.g. for a test server.
        outfile_prefix: write results to ``{outfile_prefix}.keypoints.json``
            (COCO results format); None: a temporary file.
        collect_device, prefix: as mmengine's ``BaseMetric``; the keys are
            ``'coco/AP'``, ``'coco/AP .5'``, ... with the default prefix.

    Data samples must carry ``pred_instances.keypoints`` (N, K, 2) image
    pixels and ``keypoint_scores`` (N, K), ``id``, ``img_id`` and optionally
    ``category_id`` (default 1), box scores (``pred_instances.bbox_scores``,
    else ``gt_instances.bbox_scores``, else 1) and ``gt_instances.
    bbox_scales`` (N, 2) whose product is the instance area used by the NMS
    (else the keypoints' extent).
    """

    default_prefix: Optional[str] = 'coco'

    def __init__(self,
                 ann_file: Optional[str] = None,
                 use_area: bool = True,
                 iou_type: str = 'keypoints',
                 score_mode: str = 'bbox_keypoint',
                 keypoint_score_thr: float = 0.2,
                 nms_mode: str = 'oks_nms',
                 nms_thr: float = 0.9,
                 format_only: bool = False,
                 outfile_prefix: Optional[str] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        if iou_type not in IOU_TYPES:
            raise ValueError(f'CocoMetric: iou_type must be one of '
                             f'{tuple(IOU_TYPES)}, got {iou_type!r}')
        if score_mode not in SCORE_MODES:
            raise ValueError(f'CocoMetric: score_mode must be one of '
                             f'{SCORE_MODES}, got {score_mode!r}')
        if nms_mode not in NMS_MODES:
            raise ValueError(f'CocoMetric: nms_mode must be one of '
                             f'{NMS_MODES}, got {nms_mode!r}')
        if format_only and outfile_prefix is None:
            raise ValueError('CocoMetric: format_only=True needs '
                             'outfile_prefix, or the results would be lost')
        self.ann_file = ann_file
        self.use_area = use_area
        self.iou_type = iou_type
        self.score_mode = score_mode
        self.keypoint_score_thr = keypoint_score_thr
        self.nms_mode = nms_mode
        self.nms_thr = nms_thr
        self.format_only = format_only
        self.outfile_prefix = outfile_prefix

    def process(self, data_batch, data_samples: Sequence) -> None:
        """Keep the predictions (and, without ann_file, the GT) per sample."""
        for sample in data_samples:
            if isinstance(sample, BaseDataElement):
                sample = sample.to_dict()
            pred = sample['pred_instances']
            keypoints = _to_numpy(pred['keypoints']).astype(np.float32)
            num = len(keypoints)
            scores = _to_numpy(pred['keypoint_scores']).astype(np.float32)
            gt = sample.get('gt_instances', {})
            # Box scores and areas keep their dtype: it decides the
            # precision of instance scores and OKS, hence ties (see nms.py).
            if 'bbox_scores' in pred:
                bbox_scores = _to_numpy(pred['bbox_scores'])
            elif 'bbox_scores' in gt and len(gt['bbox_scores']) == num:
                bbox_scores = _to_numpy(gt['bbox_scores'])
            else:
                bbox_scores = np.ones(num)
            if 'bbox_scales' in gt:
                areas = np.prod(_to_numpy(gt['bbox_scales']), axis=-1)
            else:
                extent = keypoints.max(1) - keypoints.min(1)
                areas = extent[:, 0] * extent[:, 1]
            record = dict(
                id=sample['id'],
                img_id=sample['img_id'],
                category_id=sample.get('category_id', 1),
                keypoints=keypoints,
                keypoint_scores=scores,
                bbox_scores=bbox_scores.reshape(num),
                areas=areas.reshape(num))
            if self.ann_file is None:
                if 'raw_ann_info' not in sample:
                    raise KeyError(
                        f'CocoMetric(ann_file=None) builds the ground truth '
                        f'from raw_ann_info, missing in sample id '
                        f'{sample["id"]} (img_id {sample["img_id"]}); set '
                        f'ann_file (needed for detector boxes)')
                record['gt'] = dict(
                    img_id=sample['img_id'],
                    ori_shape=tuple(sample['ori_shape']),
                    crowd_index=sample.get('crowd_index'),
                    raw_ann_info=sample['raw_ann_info'])
            self.results.append(record)

    def compute_metrics(self, results: list) -> Dict[str, float]:
        if self.dataset_meta is None or 'sigmas' not in self.dataset_meta:
            raise ValueError('CocoMetric needs dataset_meta with sigmas (set '
                             'by the runner from the dataset metainfo)')
        sigmas = np.asarray(self.dataset_meta['sigmas'])
        num_kpts = len(sigmas)
        for record in results:
            if record['keypoints'].shape[1:] != (num_kpts, 2):
                raise ValueError(
                    f'CocoMetric: sample id {record["id"]} has predicted '
                    f'keypoints of shape {record["keypoints"].shape}, but '
                    f'dataset {self.dataset_meta.get("dataset_name")!r} has '
                    f'{num_kpts} keypoints (N, {num_kpts}, 2 expected)')

        coco_gt = (
            load_coco(self.ann_file)
            if self.ann_file is not None else self._gt_from_samples(results))
        dets = self._select_instances(results, sigmas)
        res_file = write_coco_results(dets, coco_gt.getImgIds(), 'keypoints',
                                      self.outfile_prefix, 'CocoMetric',
                                      self.ann_file or 'samples')
        if self.format_only:
            print_log(f'results written to {res_file}', logger='current')
            return {}
        if self.iou_type != 'keypoints_crowd':
            return self._evaluate(coco_gt, dets, sigmas)
        with tempfile.TemporaryDirectory() as tmp_dir:
            self._prepare_crowd_gt(coco_gt, tmp_dir)
            return self._evaluate(coco_gt, dets, sigmas)

    def _prepare_crowd_gt(self, coco_gt: COCO, tmp_dir: str) -> None:
        """The easy / medium / hard split of xtcocotools re-reads the ground
        truth from its file: write one when it was built from samples."""
        source = self.ann_file or 'samples (crowd_index)'
        missing = [
            img['id'] for img in coco_gt.dataset['images']
            if img.get('crowdIndex') is None
        ]
        if missing:
            raise ValueError(
                f"CocoMetric(iou_type='keypoints_crowd'): images "
                f'{missing[:5]} of the ground truth ({source}) have no '
                'crowdIndex')
        if not osp.isfile(str(coco_gt.anno_file[0])):
            gt_file = osp.join(tmp_dir, 'ground_truth.json')
            with open(gt_file, 'w') as f:
                json.dump(coco_gt.dataset, f)
            coco_gt.anno_file = [gt_file]

    def _gt_from_samples(self, results: list) -> COCO:
        images, anns, cat_ids = {}, {}, set()
        for record in results:
            gt = record['gt']
            height, width = gt['ori_shape'][:2]
            images[gt['img_id']] = dict(
                id=gt['img_id'],
                width=width,
                height=height,
                crowdIndex=gt.get('crowd_index'))
            raw = gt['raw_ann_info']
            for ann in raw if isinstance(raw, list) else [raw]:
                anns[ann['id']] = ann
                cat_ids.add(ann.get('category_id', 1))
        data = dict(
            images=list(images.values()),
            annotations=list(anns.values()),
            categories=[dict(id=c, name=str(c)) for c in sorted(cat_ids)])
        return coco_from_dict(data, 'ground truth from raw_ann_info')

    def _instance_score(self, kpt_scores: np.ndarray, bbox_score):
        """The instance score of ``score_mode``, with the reference's numpy
        types: float32 keypoint scores give a float32 mean, a thresholded
        mean summed in float64, and a python float for ``'bbox_rle'``."""
        if self.score_mode == 'bbox':
            return bbox_score
        if self.score_mode == 'keypoint':
            return np.mean(kpt_scores)
        if self.score_mode == 'bbox_rle':
            return float(bbox_score + np.mean(kpt_scores) +
                         np.max(kpt_scores))
        # Compared and summed in float64, one keypoint after the other.
        scores64 = kpt_scores.astype(np.float64)
        valid = scores64[scores64 > self.keypoint_score_thr]
        if not valid.size:
            return bbox_score * 0
        return bbox_score * (np.cumsum(valid)[-1] / valid.size)

    def _select_instances(self, results: list, sigmas: np.ndarray) -> List:
        """Score, de-duplicate and NMS per image -> COCO result entries."""
        per_image = defaultdict(dict)
        for record in results:
            for i, kpts in enumerate(record['keypoints']):
                scores = record['keypoint_scores'][i]
                # Distributed samplers pad with repeated samples: one entry
                # per (sample id, instance).
                per_image[record['img_id']].setdefault(
                    (record['id'], i),
                    dict(
                        id=record['id'],
                        keypoints=np.concatenate([kpts, scores[:, None]], 1),
                        score=self._instance_score(scores,
                                                   record['bbox_scores'][i]),
                        area=record['areas'][i],
                        category_id=record['category_id']))

        dets = []
        for img_id in sorted(per_image):
            # By sample id (stable), which decides the NMS order of ties.
            instances = sorted(per_image[img_id].values(),
                               key=lambda inst: inst['id'])
            if self.nms_mode == 'oks_nms':
                keep = oks_nms(instances, self.nms_thr, sigmas)
            elif self.nms_mode == 'soft_oks_nms':
                keep = soft_oks_nms(instances, self.nms_thr, sigmas)
            else:
                keep = range(len(instances))
            dets.extend(
                self._result_entry(img_id, instances[k]) for k in keep)
        return dets

    def _result_entry(self, img_id, inst: dict) -> dict:
        """One kept instance (``keypoints`` (K, 3) with scores, ``score``,
        ``category_id``) -> its COCO results-file entry."""
        return dict(
            image_id=img_id,
            category_id=inst['category_id'],
            keypoints=inst['keypoints'].reshape(-1).tolist(),
            score=float(inst['score']))

    def _evaluate(self, coco_gt: COCO, dets: List[dict],
                  sigmas: np.ndarray) -> Dict[str, float]:
        if not dets:
            print_log(
                'CocoMetric: no predictions; all metrics are 0',
                logger='current')
            return OrderedDict(
                (name, 0.0) for name in IOU_TYPES[self.iou_type])
        with contextlib.redirect_stdout(io.StringIO()):
            coco_dt = coco_gt.loadRes(dets)
        return self._run_cocoeval(coco_gt, coco_dt, self.iou_type, sigmas)

    def _run_cocoeval(self, coco_gt: COCO, coco_dt: COCO, iou_type: str,
                      sigmas: np.ndarray) -> Dict[str, float]:
        """xtcocotools ``COCOeval`` of one ``iou_type`` (e.g. a
        COCO-WholeBody part type) -> its stats by name, logged."""
        log = io.StringIO()
        with contextlib.redirect_stdout(log):
            coco_eval = COCOeval(
                coco_gt, coco_dt, iou_type, sigmas, use_area=self.use_area)
            coco_eval.params.useSegm = None
            coco_eval.evaluate()
            coco_eval.accumulate()
            coco_eval.summarize()
        summary = [
            line for line in log.getvalue().splitlines() if 'Average' in line
        ]
        print_log(f'{iou_type}:\n' + '\n'.join(summary), logger='current')
        names = IOU_TYPES.get(iou_type, STAT_NAMES)
        return OrderedDict((name, float(value))
                           for name, value in zip(names, coco_eval.stats))
