# Runs under the reference python (mmpose 1.3.2 venv), not this project's.
"""Reference side of ``compare_reference_metrics.py``: runs under the
reference toolbox's python (mmpose 1.3.2), never imports rtmpose.

Usage: ``python compare_reference_metrics_worker.py JOB.json OUT.json``.

The job lists metric modes (a reference metric config, the reference's own
dataset metainfo file by name, an annotation file and a predictions
``.npz``), the MPII files and a batch of heatmaps and SimCC vectors; the
output holds, per mode, the metric values by stat name, the parsed reference
metainfo of each dataset, the MPII dataset instances as the reference loads
them, and the training-time acc_pose of the batch.
"""
import contextlib
import io
import json
import os.path as osp
import sys

import numpy as np

# Part fields of COCO-WholeBody results, in the order of the 133 keypoints.
WHOLEBODY_PARTS = (('body', 17), ('foot', 6), ('face', 68),
                   ('lefthand', 21), ('righthand', 21))
COCO_STATS = ('AP', 'AP .5', 'AP .75', 'AP (M)', 'AP (L)', 'AR', 'AR .5',
              'AR .75', 'AR (M)', 'AR (L)')


def reference_metainfo(name: str) -> dict:
    import mmpose
    from mmpose.datasets.datasets.utils import parse_pose_metainfo
    path = osp.join(
        osp.dirname(mmpose.__file__), '.mim', 'configs', '_base_', 'datasets',
        f'{name}.py')
    return parse_pose_metainfo(dict(from_file=path))


def metainfo_summary(meta: dict) -> dict:
    """The values the comparison checks, as JSON."""
    num = meta['num_keypoints']
    return dict(
        names=[meta['keypoint_id2name'][i] for i in range(num)],
        flip_indices=list(map(int, meta['flip_indices'])),
        upper_body_ids=list(map(int, meta['upper_body_ids'])),
        lower_body_ids=list(map(int, meta['lower_body_ids'])),
        skeleton_links=[list(map(int, link))
                        for link in meta['skeleton_links']],
        joint_weights=np.asarray(meta['dataset_keypoint_weights'],
                                 np.float64).tolist(),
        sigmas=np.asarray(meta['sigmas'], np.float64).tolist())


def coco_samples(preds_file: str, gt_file: str = None) -> list:
    """Top-down data samples (dicts) from a predictions ``.npz``; both sides
    of the comparison build them here. With ``gt_file``, each sample also
    carries what a metric without ``ann_file`` builds its ground truth from:
    ``raw_ann_info``, ``ori_shape`` and ``crowd_index``. As in a dataset of
    annotated people, each annotation comes with one sample (the first made
    from it); the others (duplicates, false positives) carry none (``[]``).
    """
    data = np.load(preds_file)
    anns, images = {}, {}
    if gt_file is not None:
        with open(gt_file) as f:
            gt = json.load(f)
        anns = {ann['id']: ann for ann in gt['annotations']}
        images = {img['id']: img for img in gt['images']}
    samples = []
    for n in range(len(data['ids'])):
        sample = dict(
            id=int(data['ids'][n]),
            img_id=int(data['img_ids'][n]),
            category_id=int(data['category_ids'][n]),
            pred_instances=dict(
                keypoints=data['keypoints'][n:n + 1],
                keypoint_scores=data['keypoint_scores'][n:n + 1]),
            gt_instances=dict(
                bbox_scores=data['bbox_scores'][n:n + 1],
                bbox_scales=data['bbox_scales'][n:n + 1]))
        if gt_file is not None:
            img = images[sample['img_id']]
            ann = anns.pop(int(data['ann_ids'][n]), None)
            sample.update(
                raw_ann_info=[] if ann is None else ann,
                ori_shape=(img['height'], img['width']),
                crowd_index=img.get('crowdIndex'))
        samples.append(sample)
    return samples


def wholebody_part_stats(metric, res_file: str) -> dict:
    """The per-part COCOeval runs the reference metric logs (it returns the
    whole-body stats only), on its own results file."""
    from xtcocotools.cocoeval import COCOeval
    sigmas = metric.dataset_meta['sigmas']
    stats, start = {}, 0
    with contextlib.redirect_stdout(io.StringIO()):
        coco_det = metric.coco.loadRes(res_file)
        for part, num in WHOLEBODY_PARTS:
            coco_eval = COCOeval(metric.coco, coco_det, f'keypoints_{part}',
                                 sigmas[start:start + num],
                                 use_area=metric.use_area)
            coco_eval.params.useSegm = None
            coco_eval.evaluate()
            coco_eval.accumulate()
            coco_eval.summarize()
            stats.update((f'{part}/{name}', float(value))
                         for name, value in zip(COCO_STATS, coco_eval.stats))
            start += num
    return stats


def run_coco_mode(mode: dict, work_dir: str) -> dict:
    from mmpose.registry import METRICS
    prefix = osp.join(work_dir, f'ref_{mode["tag"]}')
    from_samples = mode.get('from_samples', False)
    metric = METRICS.build(
        dict(mode['metric'],
             ann_file=None if from_samples else mode['ann_file'],
             outfile_prefix=prefix))
    meta = reference_metainfo(mode['metainfo'])
    if from_samples:
        # As the reference's datasets set it, for the converted ground truth.
        with open(mode['ann_file']) as f:
            meta['CLASSES'] = json.load(f)['categories']
    metric.dataset_meta = meta
    samples = coco_samples(mode['preds'],
                           mode['ann_file'] if from_samples else None)
    with contextlib.redirect_stdout(io.StringIO()):
        metric.process({}, samples)
        values = metric.evaluate(len(samples))
    stats = {key.split('/', 1)[1]: float(v) for key, v in values.items()}
    if mode['metric']['type'] == 'CocoWholeBodyMetric':
        stats.update(wholebody_part_stats(metric,
                                          f'{prefix}.keypoints.json'))
    return stats


def mpii_dataset(mpii: dict):
    from mmpose.datasets import MpiiDataset
    return MpiiDataset(
        ann_file=mpii['ann_file'],
        headbox_file=mpii['headbox_file'],
        data_prefix=dict(img=''),
        test_mode=True)


def run_mpii_mode(mode: dict) -> dict:
    from mmpose.registry import METRICS
    dataset = mpii_dataset(mode['mpii'])
    preds = np.load(mode['preds'])['keypoints']
    metric = METRICS.build(mode['metric'])
    metric.dataset_meta = dataset.metainfo
    samples = []
    for n in range(len(dataset)):
        info = dataset.get_data_info(n)
        samples.append(
            dict(
                pred_instances=dict(keypoints=preds[n:n + 1]),
                gt_instances=dict(
                    keypoints=info['keypoints'],
                    keypoints_visible=info['keypoints_visible'],
                    head_size=info['head_size'])))
    with contextlib.redirect_stdout(io.StringIO()):
        metric.process({}, samples)
        values = metric.evaluate(len(samples))
    return {key.split('/', 1)[-1]: float(v) for key, v in values.items()}


def acc_pose(batch_file: str) -> dict:
    """The reference's training-time acc_pose (per-keypoint accuracies and
    their mean) of the heatmap and SimCC batches."""
    from mmpose.evaluation.functional import (pose_pck_accuracy,
                                              simcc_pck_accuracy)
    data = np.load(batch_file)
    out = {}
    acc, avg, cnt = pose_pck_accuracy(data['heatmaps_pred'],
                                      data['heatmaps_gt'],
                                      data['heatmaps_mask'])
    out['heatmap'] = dict(acc=np.asarray(acc, np.float64).tolist(),
                          avg=float(avg), cnt=int(cnt))
    acc, avg, cnt = simcc_pck_accuracy(
        (data['simcc_pred_x'], data['simcc_pred_y']),
        (data['simcc_gt_x'], data['simcc_gt_y']),
        float(data['split_ratio']), data['simcc_mask'])
    out['simcc'] = dict(acc=np.asarray(acc, np.float64).tolist(),
                        avg=float(avg), cnt=int(cnt))
    return out


def main(job_file: str, out_file: str) -> None:
    with open(job_file) as f:
        job = json.load(f)
    work_dir = osp.dirname(osp.abspath(out_file))
    out = dict(modes={}, metainfo={}, mpii_instances=[])
    for name in job['metainfo']:
        out['metainfo'][name] = metainfo_summary(reference_metainfo(name))
    for mode in job['modes']:
        if mode['metric']['type'] == 'MpiiPCKAccuracy':
            out['modes'][mode['name']] = run_mpii_mode(mode)
        else:
            out['modes'][mode['name']] = run_coco_mode(mode, work_dir)
    if job.get('mpii'):
        dataset = mpii_dataset(job['mpii'])
        for n in range(len(dataset)):
            info = dataset.get_data_info(n)
            out['mpii_instances'].append(
                dict(
                    id=int(info['id']),
                    keypoints=np.asarray(info['keypoints'],
                                         np.float64).tolist(),
                    keypoints_visible=np.asarray(info['keypoints_visible'],
                                                 np.float64).tolist(),
                    bbox=np.asarray(info['bbox'], np.float64).tolist()))
    if job.get('acc_pose'):
        out['acc_pose'] = acc_pose(job['acc_pose'])
    with open(out_file, 'w') as f:
        json.dump(out, f)


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(f'usage: {sys.argv[0]} JOB.json OUT.json')
    main(*sys.argv[1:])
