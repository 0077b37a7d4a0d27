"""Metric parity with the reference toolbox (mmpose 1.3.2): the same
predictions, evaluated by this toolbox's metrics and by the reference's.

Usage::

    python tools/analysis/compare_reference_metrics.py \
        [--reference-python /tmp/mmpose-ref/bin/python] [--work-dir DIR] \
        [--quick] [--tolerance 1e-4]

Ground truth in the real on-disk formats is written under ``--work-dir``
(default: a temporary directory): COCO (the synthetic generator of
``rtmpose.datasets``), CrowdPose (``crowdIndex``, no areas), AP-10K (several
species), AIC (14 keypoints), COCO-WholeBody (part fields) and MPII (JSON
list, head boxes ``.mat``). Predictions are made from it with noise,
duplicates (for the NMS) and deliberately tied scores: equal box and keypoint
scores, permuted keypoint scores, keypoint scores of exactly 0.2 (the
``keypoint_score_thr``), and one image with more predictions than the
soft-NMS keeps. Both sides read the same ``.npz`` predictions; the reference
runs in a subprocess (``compare_reference_metrics_worker.py``) with
``--reference-python`` (else ``$RTMPOSE_REFERENCE_PYTHON``, else
``/tmp/mmpose-ref/bin/python``) and its own dataset metainfo files.

One line is printed per metric mode (COCO ``score_mode`` x ``nms_mode``,
CrowdPose, AP-10K, AIC, COCO-WholeBody with its parts, MPII PCKh, and the
ground truth built from the samples' ``raw_ann_info``), per
dataset metainfo (names, flip pairs, halves, skeleton, joint weights,
sigmas), for the MPII dataset instances (the keypoint convention) and for
the training-time ``acc_pose`` of a heatmap and a SimCC batch, with both
headline values and the largest difference over all stats. Exit status
1 when any difference exceeds ``--tolerance``.

``compare_reference.py`` runs this as its last stage (in a subprocess).
"""
import argparse
import contextlib
import io
import json
import os
import os.path as osp
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, ROOT)

import numpy as np  # noqa: E402
from mmengine.logging import MMLogger  # noqa: E402

from rtmpose.datasets import MpiiDataset, parse_pose_metainfo  # noqa: E402
from rtmpose.datasets.synthetic import generate_synthetic_coco  # noqa: E402
from rtmpose.evaluation.functional import (  # noqa: E402
    heatmap_pck_accuracy, simcc_pck_accuracy)
from rtmpose.registry import METRICS  # noqa: E402

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from compare_reference_metrics_worker import coco_samples  # noqa: E402

DEFAULT_REFERENCE_PYTHON = '/tmp/mmpose-ref/bin/python'
WORKER = osp.join(osp.dirname(osp.abspath(__file__)),
                  'compare_reference_metrics_worker.py')
IMG_W, IMG_H = 320, 240
# Box scores and keypoint scores are drawn from small sets: ties are common.
BOX_SCORES = np.array([0.5, 0.7, 0.9, 0.9], np.float32)
KPT_SCORES = np.array([0.1, 0.2, 0.5, 0.9, 1.0], np.float32)
METAINFO = ('coco', 'crowdpose', 'ap10k', 'aic', 'coco_wholebody', 'mpii',
            'ochuman')
WHOLEBODY_FIELDS = (('keypoints', 17), ('foot_kpts', 6), ('face_kpts', 68),
                    ('lefthand_kpts', 21), ('righthand_kpts', 21))
# Our MpiiPCKAccuracy key -> the reference's.
MPII_KEYS = {
    'Head': 'Head PCK', 'Shoulder': 'Shoulder PCK', 'Elbow': 'Elbow PCK',
    'Wrist': 'Wrist PCK', 'Hip': 'Hip PCK', 'Knee': 'Knee PCK',
    'Ankle': 'Ankle PCK', 'Mean': 'PCK', 'Mean@0.1': 'PCK@0.1'
}


@dataclass
class Row:
    """One compared stage: headline values and the largest difference."""
    name: str
    ours: float
    ref: float
    max_diff: float
    detail: str = ''

    def ok(self, tolerance: float) -> bool:
        return bool(np.isfinite(self.max_diff)) and self.max_diff <= tolerance


# ------------------------------------------------------------ ground truth


def _dump(path: str, data) -> str:
    os.makedirs(osp.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        json.dump(data, f)
    return path


def _coco_people(rng, num_images: int, num_kpts: int, crowd: bool = False,
                 area: bool = True, categories=(1, )) -> dict:
    """COCO-format images and annotations: 1-4 people per image, keypoints
    inside their boxes, about 15% unlabelled (0, 0, 0)."""
    images, anns = [], []
    for img_id in range(1, num_images + 1):
        image = dict(id=img_id, file_name=f'{img_id:012d}.jpg', width=IMG_W,
                     height=IMG_H)
        if crowd:
            image['crowdIndex'] = float(rng.choice([0.1, 0.5, 0.9]))
        images.append(image)
        for _ in range(rng.integers(1, 5)):
            w, h = rng.uniform(40, 150), rng.uniform(60, 200)
            x, y = rng.uniform(0, IMG_W - w), rng.uniform(0, IMG_H - h)
            xy = np.array([x, y]) + rng.uniform(0, 1, (num_kpts, 2)) * [w, h]
            flags = rng.choice([0, 1, 2], num_kpts, p=[0.15, 0.15, 0.7])
            kpts = np.concatenate([xy.round(2), flags[:, None]], 1)
            kpts[flags == 0] = 0
            ann = dict(id=len(anns) + 1, image_id=img_id,
                       category_id=int(rng.choice(categories)),
                       bbox=[round(v, 2) for v in (x, y, w, h)], iscrowd=0,
                       num_keypoints=int((flags > 0).sum()),
                       keypoints=kpts.reshape(-1).tolist())
            if area:
                ann['area'] = round(0.6 * w * h, 2)
            anns.append(ann)
    return dict(images=images, annotations=anns)


def _wholebody(people: dict) -> dict:
    """Split 133-keypoint annotations into the COCO-WholeBody part fields."""
    for ann in people['annotations']:
        kpts = np.reshape(ann['keypoints'], (-1, 3))
        start = 0
        for field, num in WHOLEBODY_FIELDS:
            part = kpts[start:start + num]
            ann[field] = part.reshape(-1).tolist()
            if field != 'keypoints':
                name = field.replace('_kpts', '')
                ann[f'{name}_valid'] = bool((part[:, 2] > 0).any())
            start += num
        ann['num_keypoints'] = int((kpts[:17, 2] > 0).sum())
        for box in ('face_box', 'lefthand_box', 'righthand_box'):
            ann[box] = [0., 0., 0., 0.]
    return people


def write_ground_truth(work_dir: str, quick: bool, seed: int) -> dict:
    """Annotation files of every benchmark format -> {dataset: path}."""
    rng = np.random.default_rng(seed)
    num = 12 if quick else 40
    files = {}
    coco = generate_synthetic_coco(
        osp.join(work_dir, 'coco'), num_train_images=1,
        num_val_images=num, seed=seed)
    files['coco'] = coco['val_ann_file']

    data = _coco_people(rng, num, 14, crowd=True, area=False)
    data['categories'] = [dict(id=1, name='person')]
    files['crowdpose'] = _dump(
        osp.join(work_dir, 'crowdpose', 'mmpose_crowdpose_test.json'), data)

    data = _coco_people(rng, num, 17, categories=(1, 6, 23))
    data['categories'] = [
        dict(id=c, name=n, supercategory='animal')
        for c, n in ((1, 'antelope'), (6, 'dog'), (23, 'horse'))
    ]
    files['ap10k'] = _dump(
        osp.join(work_dir, 'ap10k', 'ap10k-val-split1.json'), data)

    data = _coco_people(rng, num, 14, area=False)
    data['categories'] = [dict(id=1, name='person')]
    files['aic'] = _dump(osp.join(work_dir, 'aic', 'aic_val.json'), data)

    data = _wholebody(_coco_people(rng, num // 2, 133))
    data['categories'] = [dict(id=1, name='person')]
    files['coco_wholebody'] = _dump(
        osp.join(work_dir, 'coco_wholebody', 'coco_wholebody_val_v1.0.json'),
        data)

    files.update(write_mpii(osp.join(work_dir, 'mpii'), rng, num))
    return files


def write_mpii(root: str, rng, num_images: int) -> dict:
    """mpii_val.json (a JSON list, MATLAB 1-based pixels) and the head boxes
    ``mpii_gt_val.mat`` (``headboxes_src`` (2, 2, N))."""
    from scipy.io import savemat
    entries, boxes = [], []
    for i in range(num_images):
        for _ in range(rng.integers(1, 3)):
            scale = rng.uniform(0.5, 1.0)
            center = rng.uniform([80, 80], [IMG_W - 80, IMG_H - 80])
            joints = center + rng.uniform(-90, 90, (16, 2)) * scale
            vis = (rng.uniform(size=16) > 0.1).astype(int)
            joints[vis == 0] = 0
            entries.append(
                dict(image=f'{15601864 + i:09d}.jpg',
                     center=center.round(2).tolist(), scale=round(scale, 4),
                     joints=(joints + 1).round(2).tolist(),
                     joints_vis=vis.tolist()))
            top_left = center - [10, 90 * scale]
            boxes.append([top_left, top_left + rng.uniform(15, 30, 2)])
    # Kept by the reference too: a person without a box (center -1) and
    # one without labelled joints.
    entries[0]['center'] = [-1., -1.]
    entries[1]['joints_vis'] = [0] * 16
    ann_file = _dump(osp.join(root, 'annotations', 'mpii_val.json'), entries)
    headbox_file = osp.join(root, 'annotations', 'mpii_gt_val.mat')
    savemat(headbox_file,
            dict(headboxes_src=np.transpose(np.asarray(boxes), (1, 2, 0))))
    return dict(mpii=ann_file, mpii_headboxes=headbox_file)


# ------------------------------------------------------------- predictions


def make_predictions(ann_file: str, rng, path: str) -> str:
    """Top-down predictions for the annotated people of ``ann_file`` ->
    ``.npz`` (ids, ann_ids (the person each is made from), img_ids,
    category_ids, keypoints (M, K, 2), keypoint_scores (M, K), bbox_scores
    (M,), bbox_scales (M, 2); float32)."""
    with open(ann_file) as f:
        data = json.load(f)
    anns = [a for a in data['annotations'] if a.get('num_keypoints', 1) > 0]
    num_kpts = len(anns[0]['keypoints']) // 3
    if 'foot_kpts' in anns[0]:
        num_kpts = sum(n for _, n in WHOLEBODY_FIELDS)
    preds = []

    def add(ann, kpts, box_score, kpt_scores):
        x, y, w, h = ann['bbox']
        preds.append(
            dict(ann_id=ann['id'], img_id=ann['image_id'],
                 category_id=ann['category_id'], keypoints=kpts, keypoint_scores=kpt_scores,
                 bbox_score=box_score, bbox_scale=[w * 1.25, h * 1.25]))

    for n, ann in enumerate(anns):
        if 'foot_kpts' in ann:
            flat = np.concatenate([ann[f] for f, _ in WHOLEBODY_FIELDS])
        else:
            flat = np.asarray(ann['keypoints'], np.float64)
        gt = flat.reshape(-1, 3)
        x, y, w, h = ann['bbox']
        xy = np.where(gt[:, 2:] > 0, gt[:, :2],
                      rng.uniform([x, y], [x + w, y + h], (num_kpts, 2)))
        size = np.sqrt(w * h)
        box_score = rng.choice(BOX_SCORES)
        kpt_scores = rng.choice(KPT_SCORES, num_kpts)
        noise = rng.choice([0.01, 0.03, 0.08])
        add(ann, xy + rng.normal(0, noise * size, xy.shape), box_score,
            kpt_scores)
        if rng.uniform() < 0.6:  # duplicate with exactly tied scores
            add(ann, xy + rng.normal(0, 0.05 * size, xy.shape), box_score,
                kpt_scores)
        if rng.uniform() < 0.3:  # same box score, keypoint scores permuted
            add(ann, xy + rng.normal(0, 0.02 * size, xy.shape), box_score,
                rng.permutation(kpt_scores))
        if rng.uniform() < 0.3:  # a false positive somewhere else
            shift = rng.uniform(-0.5, 0.5, 2) * [IMG_W, IMG_H]
            add(ann, xy + shift, rng.choice(BOX_SCORES),
                rng.choice(KPT_SCORES, num_kpts))
        if n == 0:
            # More candidates on one image than soft-NMS keeps (20), and
            # than numpy sorts by insertion (16), in two tied score groups.
            for i in range(22):
                add(ann, xy + rng.normal(0, 0.1 * size, xy.shape),
                    BOX_SCORES[i % 2], kpt_scores)

    order = rng.permutation(len(preds))  # processing order != id order
    ids = rng.permutation(len(preds)) + 1000
    np.savez(
        path,
        ids=ids[order],
        ann_ids=np.array([preds[i]['ann_id'] for i in order]),
        img_ids=np.array([preds[i]['img_id'] for i in order]),
        category_ids=np.array([preds[i]['category_id'] for i in order]),
        keypoints=np.array([preds[i]['keypoints'] for i in order],
                           np.float32),
        keypoint_scores=np.array([preds[i]['keypoint_scores'] for i in order],
                                 np.float32),
        bbox_scores=np.array([preds[i]['bbox_score'] for i in order],
                             np.float32),
        bbox_scales=np.array([preds[i]['bbox_scale'] for i in order],
                             np.float32))
    return path


def make_mpii_predictions(dataset: MpiiDataset, rng, path: str) -> str:
    """(N, 16, 2) float32 predictions in image pixels: the joint (1-based
    in the file, 1 px less in the image) plus noise of 5-60% of the PCKh
    radius at 0.5."""
    preds = []
    for n in range(len(dataset)):
        raw = dataset.get_data_info(n)['raw_ann_info']
        joints = np.reshape(raw['keypoints'], (16, 3))[:, :2] - 1
        radius = 0.5 * 0.6 * raw['head_size']
        scale = rng.choice([0.1, 0.5, 1.2], (16, 1)) * radius
        preds.append(joints + rng.normal(0, 1, (16, 2)) * scale)
    np.savez(path, keypoints=np.asarray(preds, np.float32))
    return path


def make_acc_pose_batch(rng, path: str) -> str:
    """A training batch of heatmaps (N, K, 64, 48) and SimCC vectors
    (N, K, 384) / (N, K, 512) (input 192x256, split ratio 2): targets with
    one Gaussian each, predictions near them or elsewhere, some keypoints
    without weight, some SimCC logits all negative."""
    n, k, h, w, ratio = 8, 17, 64, 48, 2.0
    grid_y, grid_x = np.mgrid[:h, :w]
    centres = rng.uniform([0, 0], [w - 1, h - 1], (n, k, 2))
    moved = centres + rng.choice([0, 1, 2, 3, 5], (n, k, 1)) * \
        rng.normal(0, 1, (n, k, 2))

    def maps(c):
        d2 = (grid_x - c[..., :1, None])**2 + (grid_y - c[..., 1:, None])**2
        return np.exp(-d2 / (2 * 2.0**2)).astype(np.float32)

    def vectors(c, length, axis):
        bins = np.arange(length)
        d2 = (bins - c[..., axis:axis + 1] * 4 * ratio)**2
        return np.exp(-d2 / (2 * (6.0 * ratio)**2)).astype(np.float32)

    simcc_pred_x = vectors(moved, int(192 * ratio), 0) - \
        rng.choice([0., 0., 2.], (n, k, 1)).astype(np.float32)
    np.savez(
        path,
        heatmaps_pred=maps(moved), heatmaps_gt=maps(centres),
        heatmaps_mask=rng.uniform(size=(n, k)) > 0.2,
        simcc_pred_x=simcc_pred_x,
        simcc_pred_y=vectors(moved, int(256 * ratio), 1),
        simcc_gt_x=vectors(centres, int(192 * ratio), 0),
        simcc_gt_y=vectors(centres, int(256 * ratio), 1),
        simcc_mask=rng.uniform(size=(n, k)) > 0.2, split_ratio=ratio)
    return path


def compare_acc_pose(batch_file: str, ref: dict) -> List[Row]:
    data = np.load(batch_file)
    ours = dict(
        heatmap=heatmap_pck_accuracy(data['heatmaps_pred'],
                                     data['heatmaps_gt'],
                                     data['heatmaps_mask']),
        simcc=simcc_pck_accuracy(
            (data['simcc_pred_x'], data['simcc_pred_y']),
            (data['simcc_gt_x'], data['simcc_gt_y']),
            float(data['split_ratio']), data['simcc_mask']))
    rows = []
    for name, (acc, avg, cnt) in ours.items():
        r = ref[name]
        diff = (max(float(np.abs(acc - np.asarray(r['acc'])).max()),
                    abs(avg - r['avg'])) if cnt == r['cnt'] else np.inf)
        rows.append(Row(f'acc_pose {name}', avg, r['avg'], diff,
                        f'mean of {cnt} keypoints; per-keypoint accuracies'))
    return rows


# ------------------------------------------------------------- our metrics


def our_metainfo(name: str) -> dict:
    return parse_pose_metainfo(
        dict(from_file=f'configs/_base_/datasets/{name}.py'))


def run_ours(mode: dict) -> Dict[str, float]:
    cfg = dict(mode['metric'])
    if cfg['type'] == 'MpiiPCKAccuracy':
        dataset = mpii_dataset(mode['mpii'])
        preds = np.load(mode['preds'])['keypoints']
        samples = []
        for n in range(len(dataset)):
            info = dataset.get_data_info(n)
            samples.append(
                dict(id=info['id'], img_id=info['img_id'],
                     raw_ann_info=info['raw_ann_info'],
                     pred_instances=dict(keypoints=preds[n:n + 1])))
        metric = METRICS.build(cfg)
        metric.dataset_meta = dataset.metainfo
    elif mode.get('from_samples'):
        samples = coco_samples(mode['preds'], mode['ann_file'])
        metric = METRICS.build(dict(cfg, ann_file=None))
        metric.dataset_meta = our_metainfo(mode['metainfo'])
    else:
        samples = coco_samples(mode['preds'])
        metric = METRICS.build(dict(cfg, ann_file=mode['ann_file']))
        metric.dataset_meta = our_metainfo(mode['metainfo'])
    # COCOeval prints its summary; keep the comparison's output to its rows.
    with contextlib.redirect_stdout(io.StringIO()):
        metric.process({}, samples)
        values = metric.evaluate(len(samples))
    return {key.split('/', 1)[1]: float(v) for key, v in values.items()}


def mpii_dataset(mpii: dict) -> MpiiDataset:
    return MpiiDataset(
        ann_file=mpii['ann_file'], headbox_file=mpii['headbox_file'],
        test_mode=True)


# -------------------------------------------------------------- comparison


def build_modes(files: dict, work_dir: str, rng, quick: bool) -> List[dict]:
    """Metric modes: a name, the metric config (valid on both sides), the
    dataset metainfo name, the ground truth and the predictions file."""
    preds = {
        name: make_predictions(files[name], rng,
                               osp.join(work_dir, f'{name}_preds.npz'))
        for name in ('coco', 'crowdpose', 'ap10k', 'aic', 'coco_wholebody')
    }
    modes = []

    def add(name, dataset, from_samples=False, **metric):
        modes.append(
            dict(name=name, tag=f'm{len(modes)}', metainfo=dataset,
                 ann_file=files[dataset], preds=preds[dataset],
                 from_samples=from_samples,
                 metric=dict(dict(type='CocoMetric'), **metric)))

    for score_mode in ('bbox', 'bbox_keypoint', 'bbox_rle', 'keypoint'):
        for nms_mode in ('oks_nms', 'soft_oks_nms', 'none'):
            add(f'coco {score_mode} {nms_mode}', 'coco',
                score_mode=score_mode, nms_mode=nms_mode)
    # The ground truth built from the samples' raw_ann_info (ann_file=None).
    add('coco keypoint oks_nms, GT from samples', 'coco', from_samples=True,
        score_mode='keypoint')
    crowd = dict(iou_type='keypoints_crowd', use_area=False)
    for score_mode, nms_mode in (('bbox_keypoint', 'oks_nms'),
                                 ('keypoint', 'oks_nms'),
                                 ('keypoint', 'soft_oks_nms'),
                                 ('bbox', 'none')):
        add(f'crowdpose {score_mode} {nms_mode}', 'crowdpose',
            score_mode=score_mode, nms_mode=nms_mode, **crowd)
    add('crowdpose bbox_keypoint oks_nms, GT from samples', 'crowdpose',
        from_samples=True, **crowd)
    add('ap10k bbox_keypoint oks_nms', 'ap10k')
    add('ap10k keypoint soft_oks_nms', 'ap10k', score_mode='keypoint',
        nms_mode='soft_oks_nms')
    add('aic bbox_keypoint oks_nms', 'aic', use_area=False)
    add('aic keypoint oks_nms', 'aic', use_area=False, score_mode='keypoint')
    add('coco_wholebody bbox_keypoint oks_nms', 'coco_wholebody',
        type='CocoWholeBodyMetric')
    if not quick:
        add('coco_wholebody keypoint soft_oks_nms', 'coco_wholebody',
            type='CocoWholeBodyMetric', score_mode='keypoint',
            nms_mode='soft_oks_nms')

    mpii = dict(ann_file=files['mpii'], headbox_file=files['mpii_headboxes'])
    mpii_preds = make_mpii_predictions(
        mpii_dataset(mpii), rng, osp.join(work_dir, 'mpii_preds.npz'))
    modes.append(
        dict(name='mpii PCKh', tag='mpii', metric=dict(type='MpiiPCKAccuracy'),
             mpii=mpii, preds=mpii_preds))
    return modes


def run_reference(python: str, job: dict, work_dir: str) -> dict:
    job_file = _dump(osp.join(work_dir, 'reference_job.json'), job)
    out_file = osp.join(work_dir, 'reference_out.json')
    proc = subprocess.run([python, WORKER, job_file, out_file],
                          cwd=work_dir, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(
            f'reference worker failed ({python} {WORKER}, exit '
            f'{proc.returncode}):\n{proc.stderr[-4000:]}')
    with open(out_file) as f:
        return json.load(f)


def _headline(stats: dict) -> str:
    for key in ('AP', 'Mean', 'PCK'):
        if key in stats:
            return key
    return sorted(stats)[0]


def compare_stats(name: str, ours: dict, ref: dict) -> Row:
    if name.startswith('mpii'):
        ours = {MPII_KEYS[k]: v for k, v in ours.items()}
    if 'lefthand/AP' in ref:
        # Our COCO-WholeBody "hand" column: the mean of both hands.
        ref = dict(ref)
        for stat in ('AP', 'AR'):
            ref[f'hand/{stat}'] = 0.5 * (
                ref[f'lefthand/{stat}'] + ref[f'righthand/{stat}'])
    key = _headline(ours)
    if set(ours) != set(ref):
        return Row(name, ours.get(key, np.nan), ref.get(key, np.nan), np.inf,
                   f'stats differ: ours only {sorted(set(ours) - set(ref))}'
                   f', reference only {sorted(set(ref) - set(ours))}')
    diff = max(abs(ours[k] - ref[k]) for k in ours)
    return Row(name, ours[key], ref[key], diff, f'{key}, {len(ours)} stats')


def compare_metainfo(name: str, ref: dict) -> Row:
    meta = our_metainfo(name)
    num = meta['num_keypoints']
    ours = dict(
        names=[meta['keypoint_id2name'][i] for i in range(num)],
        flip_indices=list(meta['flip_indices']),
        upper_body_ids=list(meta['upper_body_ids']),
        lower_body_ids=list(meta['lower_body_ids']),
        skeleton_links=[list(link) for link in meta['skeleton_links']])
    unequal = [k for k, v in ours.items() if v != ref[k]]
    diff = max(
        float(np.abs(np.asarray(meta[k], np.float64) - ref[r]).max())
        if len(meta[k]) == len(ref[r]) else np.inf
        for k, r in (('sigmas', 'sigmas'),
                     ('dataset_keypoint_weights', 'joint_weights')))
    detail = ('names, flips, halves, skeleton equal' if not unequal else
              f'differ: {", ".join(unequal)}')
    return Row(f'metainfo {name}', float(num), float(len(ref['names'])),
               diff if not unequal else np.inf,
               f'{detail}; sigmas, joint weights')


def compare_mpii_instances(mpii: dict, ref: List[dict]) -> Row:
    dataset = mpii_dataset(mpii)
    ours = {
        int(info['id']): info
        for info in (dataset.get_data_info(n) for n in range(len(dataset)))
    }
    if sorted(ours) != sorted(r['id'] for r in ref):
        return Row('mpii dataset instances', len(ours), len(ref), np.inf,
                   'instance ids differ')
    diff = max(
        max(np.abs(ours[r['id']][key] - np.asarray(r[key])).max()
            for key in ('keypoints', 'keypoints_visible', 'bbox'))
        for r in ref)
    return Row('mpii dataset instances', len(ours), len(ref), float(diff),
               'count; keypoints (1-based), visibility, boxes')


def compare(reference_python: str, work_dir: str, quick: bool = False,
            seed: int = 0) -> List[Row]:
    """Write the data, evaluate on both sides -> one row per stage."""
    rng = np.random.default_rng(seed)
    files = write_ground_truth(work_dir, quick, seed)
    modes = build_modes(files, work_dir, rng, quick)
    mpii = modes[-1]['mpii']
    batch = make_acc_pose_batch(rng, osp.join(work_dir, 'acc_pose.npz'))
    ref = run_reference(
        reference_python,
        dict(modes=modes, metainfo=list(METAINFO), mpii=mpii,
             acc_pose=batch), work_dir)
    rows = [compare_metainfo(name, ref['metainfo'][name]) for name in METAINFO]
    rows.append(compare_mpii_instances(mpii, ref['mpii_instances']))
    rows += compare_acc_pose(batch, ref['acc_pose'])
    for mode in modes:
        rows.append(
            compare_stats(mode['name'], run_ours(mode),
                          ref['modes'][mode['name']]))
    return rows


def format_row(row: Row, tolerance: float) -> str:
    status = 'OK' if row.ok(tolerance) else 'FAIL'
    return (f'{row.name:<48} ours {row.ours:10.6f}  ref {row.ref:10.6f}  '
            f'max|diff| {row.max_diff:.1e}  {status}  ({row.detail})')


def parse_args(argv: Optional[Sequence[str]] = None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument(
        '--reference-python',
        default=os.environ.get('RTMPOSE_REFERENCE_PYTHON',
                               DEFAULT_REFERENCE_PYTHON),
        help='python of the reference venv (default: '
        '$RTMPOSE_REFERENCE_PYTHON, else %(default)s)')
    parser.add_argument('--work-dir', help='where data and results go '
                        '(default: a temporary directory)')
    parser.add_argument('--quick', action='store_true',
                        help='fewer images and modes (tests)')
    parser.add_argument('--tolerance', type=float, default=1e-4)
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    if not osp.isfile(args.reference_python):
        print(f'reference python not found: {args.reference_python} (set '
              '--reference-python or RTMPOSE_REFERENCE_PYTHON)',
              file=sys.stderr)
        return 2
    os.chdir(ROOT)  # our metainfo files are relative to the repository
    # A quiet current logger: the metrics log their summaries at INFO.
    MMLogger.get_instance('compare_reference_metrics', log_level='WARNING')
    with tempfile.TemporaryDirectory() as tmp:
        work_dir = osp.abspath(args.work_dir or tmp)
        rows = compare(args.reference_python, work_dir, args.quick, args.seed)
    for row in rows:
        print(format_row(row, args.tolerance))
    failed = [row.name for row in rows if not row.ok(args.tolerance)]
    print(f'{len(rows) - len(failed)}/{len(rows)} stages within '
          f'{args.tolerance:g}' + (f'; FAILED: {", ".join(failed)}'
                                   if failed else ''))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
