"""Distance-based keypoint metrics on ground-truth boxes: PCK, MPII PCKh,
AUC, EPE."""
from collections import OrderedDict
from typing import Dict, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.structures import BaseDataElement

from rtmpose.registry import METRICS
from ..functional.keypoint_eval import (PCKH_HEAD_FACTOR, keypoint_auc,
                                        keypoint_epe, keypoint_pck_accuracy,
                                        mpii_pckh)
from .coco_metric import _to_numpy

NORM_ITEMS = ('bbox', 'head')


class _KeypointDistanceMetric(BaseMetric):
    """Collects, per top-down sample, the predicted keypoints (K, 2) and the
    ground truth in image pixels.

    The ground truth comes from the sample's ``raw_ann_info`` (the dataset's
    annotation: flat ``keypoints`` ``[x, y, v] * K``, v > 0 = labelled; and
    ``head_size`` for MPII), because ``gt_instances.keypoints`` are in the
    crop's input space. The box size (max of width and height, pixels) comes
    from ``gt_instances.bboxes`` (xyxy). Samples must be annotated persons,
    not detector boxes.
    """

    def process(self, data_batch, data_samples: Sequence) -> None:
        for sample in data_samples:
            if isinstance(sample, BaseDataElement):
                sample = sample.to_dict()
            pred = _to_numpy(sample['pred_instances']['keypoints'])
            raw = sample.get('raw_ann_info')
            if not isinstance(raw, dict) or 'keypoints' not in raw:
                raise KeyError(
                    f'{type(self).__name__}: sample id {sample.get("id")} '
                    f'(img_id {sample.get("img_id")}) has no raw_ann_info '
                    'with keypoints; it evaluates annotated persons only')
            # float32 like the reference's ground truth (see keypoint_eval).
            gt = np.asarray(raw['keypoints'], np.float32).reshape(-1, 3)
            if pred.shape != (1, len(gt), 2):
                raise ValueError(
                    f'{type(self).__name__}: sample id {sample.get("id")} has '
                    f'predicted keypoints of shape {pred.shape}, expected '
                    f'(1, {len(gt)}, 2) like its ground truth')
            bboxes = sample.get('gt_instances', {}).get('bboxes')
            bbox_size = np.nan
            if bboxes is not None:
                box = _to_numpy(bboxes).reshape(-1, 4)[0]
                bbox_size = np.float32(max(box[2] - box[0], box[3] - box[1]))
            self.results.append(
                dict(
                    id=sample.get('id'),
                    pred=pred[0].astype(np.float32),
                    gt=gt[:, :2],
                    mask=gt[:, 2] > 0,
                    bbox_size=bbox_size,
                    head_size=raw.get('head_size')))

    @staticmethod
    def _stack(results: list):
        return (np.stack([r['pred'] for r in results]),
                np.stack([r['gt'] for r in results]),
                np.stack([r['mask'] for r in results]))

    def _norm_sizes(self, results: list, norm_item: str) -> np.ndarray:
        """(N,) normalisation lengths (pixels) of ``norm_item``."""
        key = 'bbox_size' if norm_item == 'bbox' else 'head_size'
        sizes = [r[key] for r in results]
        missing = [
            r['id'] for r, s in zip(results, sizes)
            if s is None or not np.isfinite(s)
        ]
        if missing:
            where = ('gt_instances.bboxes' if norm_item == 'bbox' else
                     'raw_ann_info["head_size"] (MpiiDataset with '
                     'headbox_file)')
            raise ValueError(
                f'{type(self).__name__}: samples {missing[:5]} have no '
                f'{norm_item} size; it comes from {where}')
        return np.asarray(sizes, np.float64)


@METRICS.register_module()
class PCKAccuracy(_KeypointDistanceMetric):
    """PCK: fraction of labelled keypoints whose distance to the ground
    truth is below ``thr`` x the normalisation length of the instance,
    averaged over keypoints.

    Args:
        thr: threshold, in units of the normalisation length.
        norm_item: ``'bbox'`` (max side of the ground-truth box) or
            ``'head'`` (0.6 x the head box diagonal, as PCKh).
        collect_device, prefix: as mmengine's ``BaseMetric``.

    Keys: ``'PCK'`` in [0, 1].
    """

    def __init__(self,
                 thr: float = 0.05,
                 norm_item: str = 'bbox',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        if norm_item not in NORM_ITEMS:
            raise ValueError(f'PCKAccuracy: norm_item must be one of '
                             f'{NORM_ITEMS}, got {norm_item!r}')
        self.thr = thr
        self.norm_item = norm_item

    def compute_metrics(self, results: list) -> Dict[str, float]:
        pred, gt, mask = self._stack(results)
        sizes = self._norm_sizes(results, self.norm_item)
        if self.norm_item == 'head':
            sizes = sizes * PCKH_HEAD_FACTOR
        _, pck, _ = keypoint_pck_accuracy(pred, gt, mask, self.thr,
                                          np.repeat(sizes[:, None], 2, 1))
        return {'PCK': pck}


@METRICS.register_module()
class MpiiPCKAccuracy(_KeypointDistanceMetric):
    """MPII PCKh@``thr`` as reported by the MPII benchmark (and ViTPose
    Table 12): a keypoint is correct when its error is below ``thr`` x 0.6
    x its person's head box diagonal (``raw_ann_info['head_size']``, from
    ``MpiiDataset(headbox_file=...)``).

    The ground truth is in MPII's 1-based pixels (as ``MpiiDataset`` keeps
    it); the predictions, in image pixels, are moved by +1 to match (the
    reference toolbox's convention, see ``MpiiDataset``).

    Keys (in percent; default prefix ``mpii``): ``Head`` (head top),
    ``Shoulder``, ``Elbow``, ``Wrist``, ``Hip``, ``Knee``, ``Ankle`` (mean of
    the left and right keypoint), ``Mean`` (over every labelled keypoint
    except pelvis and thorax) and ``Mean@0.1`` (the same at threshold 0.1).
    Keypoints are found by their MPII names in ``dataset_meta``.

    Args:
        thr: PCKh threshold (0.5 for PCKh@0.5).
        collect_device, prefix: as mmengine's ``BaseMetric``.
    """

    default_prefix: Optional[str] = 'mpii'
    GROUPS = (('Head', ('head_top', )),
              ('Shoulder', ('left_shoulder', 'right_shoulder')),
              ('Elbow', ('left_elbow', 'right_elbow')),
              ('Wrist', ('left_wrist', 'right_wrist')),
              ('Hip', ('left_hip', 'right_hip')),
              ('Knee', ('left_knee', 'right_knee')),
              ('Ankle', ('left_ankle', 'right_ankle')))
    # Left out of the mean, as by the benchmark.
    EXCLUDED = ('pelvis', 'thorax')

    def __init__(self,
                 thr: float = 0.5,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.thr = thr

    def _index(self, name: str) -> int:
        name2id = (self.dataset_meta or {}).get('keypoint_name2id', {})
        if name not in name2id:
            raise KeyError(
                f'MpiiPCKAccuracy: keypoint {name!r} not in dataset_meta of '
                f'{(self.dataset_meta or {}).get("dataset_name")!r}; it '
                'needs the MPII keypoint names')
        return name2id[name]

    def compute_metrics(self, results: list) -> Dict[str, float]:
        pred, gt, mask = self._stack(results)
        pred = pred + np.float32(1)  # image pixels -> MPII's 1-based pixels
        head_sizes = self._norm_sizes(results, 'head')
        kept = np.ones(pred.shape[1], bool)
        kept[[self._index(n) for n in self.EXCLUDED]] = False
        metrics = OrderedDict()
        for key, thr in (('Mean', self.thr), ('Mean@0.1', 0.1)):
            pckh, hits, counts = mpii_pckh(pred, gt, mask, head_sizes, thr)
            if key == 'Mean':
                for group, names in self.GROUPS:
                    metrics[group] = float(
                        np.mean([pckh[self._index(n)] for n in names]))
            total = counts[kept].sum()
            # Pooled over keypoints = per-keypoint PCKh weighted by counts.
            metrics[key] = float(100. * hits[kept].sum() /
                                 total) if total else float('nan')
        return metrics


@METRICS.register_module()
class AUC(_KeypointDistanceMetric):
    """Area under the PCK curve, thresholds ``i / num_thrs`` of
    ``norm_factor`` pixels (i = 0 .. num_thrs - 1).

    Keys: ``'AUC'`` in [0, 1).
    """

    def __init__(self,
                 norm_factor: float = 30.,
                 num_thrs: int = 20,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.norm_factor = norm_factor
        self.num_thrs = num_thrs

    def compute_metrics(self, results: list) -> Dict[str, float]:
        pred, gt, mask = self._stack(results)
        return {
            'AUC': keypoint_auc(pred, gt, mask, self.norm_factor,
                                self.num_thrs)
        }


@METRICS.register_module()
class EPE(_KeypointDistanceMetric):
    """End-point error: mean distance (pixels) between predicted and
    labelled ground-truth keypoints.

    Keys: ``'EPE'``.
    """

    def compute_metrics(self, results: list) -> Dict[str, float]:
        return {'EPE': keypoint_epe(*self._stack(results))}
