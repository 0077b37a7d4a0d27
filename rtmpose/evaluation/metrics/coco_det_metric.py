"""COCO box AP/AR of detections (pycocotools ``COCOeval``, iouType bbox)."""
import contextlib
import io
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence

from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

from rtmpose.datasets.coco_api import load_json
from rtmpose.registry import METRICS
from ..functional.results_file import write_coco_results
from .coco_metric import _to_numpy

# name -> index into COCOeval.stats (maxDets = proposal_nums, so AR@100 is
# stats[6] with the default (100, 300, 1000))
STATS = OrderedDict(
    [('mAP', 0), ('mAP_50', 1), ('mAP_75', 2), ('mAP_s', 3), ('mAP_m', 4),
     ('mAP_l', 5), ('AR@100', 6)])


def detections_to_coco(results: Sequence[dict], cat_ids: Sequence[int]
                       ) -> List[dict]:
    """Per-image ``dict(img_id, bboxes (N, 4) xyxy, scores (N,), labels
    (N,))`` -> COCO detection results: ``image_id``, ``bbox`` [x, y, w, h],
    ``score``, ``category_id`` (``cat_ids[label]``)."""
    dets = []
    for res in results:
        for box, score, label in zip(res['bboxes'], res['scores'],
                                     res['labels']):
            x1, y1, x2, y2 = (float(v) for v in box)
            dets.append(dict(
                image_id=int(res['img_id']),
                bbox=[x1, y1, x2 - x1, y2 - y1],
                score=float(score),
                category_id=int(cat_ids[int(label)])))
    return dets


def quiet_coco(ann_file: str) -> COCO:
    """pycocotools ``COCO`` of ``ann_file`` without its progress prints."""
    data = load_json(ann_file)
    coco = COCO()
    coco.dataset = data
    with contextlib.redirect_stdout(io.StringIO()):
        coco.createIndex()
    return coco


@METRICS.register_module()
class CocoDetMetric(BaseMetric):
    """COCO box evaluation: AP over IoU 0.5:0.95, AP50, AP75, AP by object
    size and AR@100, as mmdet's ``CocoMetric(metric='bbox')``.

    Keys (default prefix ``coco``): ``coco/bbox_mAP``, ``coco/bbox_mAP_50``,
    ``coco/bbox_mAP_75``, ``coco/bbox_mAP_s``, ``coco/bbox_mAP_m``,
    ``coco/bbox_mAP_l`` and ``coco/bbox_AR@100`` (mmdet reports AR only
    when asked through ``metric_items``; here always). Crowd ground truth
    is handled by ``COCOeval`` (matches to it are neither true nor false
    positives).

    Args:
        ann_file: COCO-format ground truth (read at evaluation time).
        proposal_nums: ``COCOeval`` maxDets (AP uses the last, AR@100 the
            first), mmdet's default (100, 300, 1000).
        format_only: only write the results file (needs ``outfile_prefix``).
        outfile_prefix: write the detections to
            ``{outfile_prefix}.bbox.json`` (COCO detection results, xywh
            boxes); None: a temporary file.
        collect_device, prefix: as mmengine's ``BaseMetric``.

    Data samples must carry ``img_id`` and ``pred_instances`` with
    ``bboxes`` (N, 4) xyxy original-image pixels, ``scores`` (N,) and
    ``labels`` (N,) (indices into ``dataset_meta['classes']``).
    """

    default_prefix: Optional[str] = 'coco'

    def __init__(self,
                 ann_file: str,
                 proposal_nums: Sequence[int] = (100, 300, 1000),
                 format_only: bool = False,
                 outfile_prefix: Optional[str] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        if format_only and outfile_prefix is None:
            raise ValueError('CocoDetMetric: format_only=True needs '
                             'outfile_prefix, or the results would be lost')
        if len(proposal_nums) != 3:
            raise ValueError('CocoDetMetric: proposal_nums must hold 3 '
                             f'maxDets values, got {proposal_nums}')
        self.ann_file = ann_file
        self.proposal_nums = tuple(int(n) for n in proposal_nums)
        self.format_only = format_only
        self.outfile_prefix = outfile_prefix

    def process(self, data_batch, data_samples: Sequence) -> None:
        for sample in data_samples:
            if not isinstance(sample, dict):
                sample = sample.to_dict()
            pred = sample['pred_instances']
            self.results.append(dict(
                img_id=sample['img_id'],
                bboxes=_to_numpy(pred['bboxes']).reshape(-1, 4),
                scores=_to_numpy(pred['scores']).reshape(-1),
                labels=_to_numpy(pred['labels']).reshape(-1)))

    def _cat_ids(self, coco_gt: COCO) -> List[int]:
        classes = (self.dataset_meta or {}).get('classes')
        if classes is None:
            return sorted(coco_gt.getCatIds())
        name_to_id = {c['name']: c['id'] for c in coco_gt.dataset[
            'categories']}
        missing = [c for c in classes if c not in name_to_id]
        if missing:
            raise ValueError(f'CocoDetMetric: classes {missing} not among the '
                             f'categories of {self.ann_file}')
        return [name_to_id[c] for c in classes]

    def compute_metrics(self, results: list) -> Dict[str, float]:
        coco_gt = quiet_coco(self.ann_file)
        cat_ids = self._cat_ids(coco_gt)
        dets = detections_to_coco(results, cat_ids)
        res_file = write_coco_results(dets, coco_gt.getImgIds(), 'bbox',
                                      self.outfile_prefix, 'CocoDetMetric',
                                      self.ann_file)
        if self.format_only:
            print_log(f'detections written to {res_file}', logger='current')
            return {}
        if not dets:
            print_log('CocoDetMetric: no detections at all; AP is 0',
                      logger='current')
            return {f'bbox_{name}': 0.0 for name in STATS}
        return self._evaluate(coco_gt, dets, cat_ids)

    def _evaluate(self, coco_gt: COCO, dets: List[dict],
                  cat_ids: List[int]) -> Dict[str, float]:
        with contextlib.redirect_stdout(io.StringIO()):
            coco_dt = coco_gt.loadRes(dets)
        coco_eval = COCOeval(coco_gt, coco_dt, 'bbox')
        coco_eval.params.catIds = cat_ids
        coco_eval.params.imgIds = coco_gt.getImgIds()
        coco_eval.params.maxDets = list(self.proposal_nums)
        summary = io.StringIO()
        with contextlib.redirect_stdout(summary):
            coco_eval.evaluate()
            coco_eval.accumulate()
            coco_eval.summarize()
        print_log('\n' + summary.getvalue().strip(), logger='current')
        return {f'bbox_{name}': round(float(coco_eval.stats[i]), 3)
                for name, i in STATS.items()}
