"""CrowdPose AP split by crowd index, and COCO-WholeBody AP per part."""
import json

import numpy as np
import pytest

from rtmpose.datasets import parse_pose_metainfo
from rtmpose.registry import METRICS

CROWD = parse_pose_metainfo(
    dict(from_file='configs/_base_/datasets/crowdpose.py'))
WHOLEBODY = parse_pose_metainfo(
    dict(from_file='configs/_base_/datasets/coco_wholebody.py'))
rng = np.random.default_rng(0)
BOX = [20., 30., 100., 200.]  # x, y, w, h: a "large" person


def _kpts(num):
    return np.array(BOX[:2]) + rng.uniform(0, BOX[2:], (num, 2))


def _flat(kpts, flag=2.):
    return np.concatenate([kpts, np.full((len(kpts), 1), flag)],
                          1).reshape(-1).tolist()


def _sample(ann, img_id, pred, crowd_index=None):
    sample = dict(
        id=ann['id'], img_id=img_id, category_id=1, ori_shape=(480, 640),
        raw_ann_info=ann,
        gt_instances=dict(bbox_scores=np.ones(1),
                          bbox_scales=np.array([BOX[2:]]) * 1.25),
        pred_instances=dict(
            keypoints=np.asarray(pred, np.float32)[None],
            keypoint_scores=np.ones((1, len(pred)), np.float32)))
    if crowd_index is not None:
        sample['crowd_index'] = crowd_index
    return sample


def _evaluate(cfg, meta, samples):
    metric = METRICS.build(cfg)
    metric.dataset_meta = meta
    metric.process({}, samples)
    return metric.evaluate(len(samples))


# ----------------------------------------------------------- CrowdPose --
def _crowdpose(tmp_path):
    """Three images of crowd index 0.1 (easy), 0.5 (medium), 0.9 (hard),
    one person each; the hard one is predicted 300 px off."""
    gts = [_kpts(14) for _ in range(3)]
    anns = [dict(id=i + 1, image_id=i + 1, category_id=1, bbox=BOX,
                 iscrowd=0, num_keypoints=14, keypoints=_flat(g))
            for i, g in enumerate(gts)]
    images = [dict(id=i + 1, width=640, height=480, crowdIndex=c)
              for i, c in enumerate([0.1, 0.5, 0.9])]
    path = tmp_path / 'crowdpose_test.json'
    path.write_text(json.dumps(dict(images=images, annotations=anns,
                                    categories=[dict(id=1,
                                                     name='person')])))
    preds = [gts[0], gts[1], gts[2] + 300.]
    samples = [_sample(a, a['image_id'], p, crowd_index=c)
               for a, p, c in zip(anns, preds, [0.1, 0.5, 0.9])]
    return str(path), samples


@pytest.mark.parametrize('from_samples', [False, True])
def test_crowdpose_ap_by_crowd_index(tmp_path, from_samples):
    ann_file, samples = _crowdpose(tmp_path)
    cfg = dict(type='CocoMetric', iou_type='keypoints_crowd', use_area=False,
               prefix='crowdpose', ann_file=None if from_samples else ann_file)
    result = _evaluate(cfg, CROWD, samples)
    assert list(result) == [
        f'crowdpose/{k}' for k in ('AP', 'AP .5', 'AP .75', 'AR', 'AR .5',
                                   'AR .75', 'AP(E)', 'AP(M)', 'AP(H)')
    ]
    assert result['crowdpose/AP(E)'] == pytest.approx(1.)
    assert result['crowdpose/AP(M)'] == pytest.approx(1.)
    assert result['crowdpose/AP(H)'] == pytest.approx(0.)
    # 2 of 3 persons found (all scores equal): recall 2/3 at precision 2/3
    assert result['crowdpose/AR'] == pytest.approx(2 / 3)
    assert 0.4 < result['crowdpose/AP'] < 0.7


def test_crowdpose_needs_crowd_index(tmp_path):
    _, samples = _crowdpose(tmp_path)
    for sample in samples:
        del sample['crowd_index']
    with pytest.raises(ValueError, match='have no crowdIndex'):
        _evaluate(dict(type='CocoMetric', iou_type='keypoints_crowd',
                       use_area=False), CROWD, samples)
    with pytest.raises(ValueError, match='iou_type must be one of'):
        METRICS.build(dict(type='CocoMetric', iou_type='keypoints_body'))


# ------------------------------------------------------ COCO-WholeBody --
PARTS = (('keypoints', 17), ('foot_kpts', 6), ('face_kpts', 68),
         ('lefthand_kpts', 21), ('righthand_kpts', 21))


def _wholebody_ann(ann_id, img_id, kpts):
    ann = dict(id=ann_id, image_id=img_id, category_id=1, bbox=BOX,
               area=BOX[2] * BOX[3], iscrowd=0, num_keypoints=17)
    start = 0
    for field, num in PARTS:
        ann[field] = _flat(kpts[start:start + num])
        start += num
    return ann


def _wholebody(tmp_path, shift_righthand=0.):
    gts = [_kpts(133) for _ in range(2)]
    anns = [_wholebody_ann(i + 1, i + 1, g) for i, g in enumerate(gts)]
    path = tmp_path / 'wholebody_val.json'
    path.write_text(json.dumps(dict(
        images=[dict(id=i + 1, width=640, height=480) for i in range(2)],
        annotations=anns, categories=[dict(id=1, name='person')])))
    preds = [g.copy() for g in gts]
    for pred in preds:
        pred[112:133] += shift_righthand
    return str(path), [_sample(a, a['image_id'], p)
                       for a, p in zip(anns, preds)]


@pytest.mark.parametrize('from_samples', [False, True])
def test_wholebody_perfect_predictions(tmp_path, from_samples):
    ann_file, samples = _wholebody(tmp_path)
    result = _evaluate(
        dict(type='CocoWholeBodyMetric',
             ann_file=None if from_samples else ann_file), WHOLEBODY, samples)
    for key in ('AP', 'AR', 'body/AP', 'foot/AP', 'face/AP', 'lefthand/AP',
                'righthand/AP', 'hand/AP', 'hand/AR', 'face/AR'):
        assert result[f'coco-wholebody/{key}'] == pytest.approx(1.), key


def test_wholebody_one_part_perturbed(tmp_path):
    ann_file, samples = _wholebody(tmp_path, shift_righthand=300.)
    result = _evaluate(dict(type='CocoWholeBodyMetric', ann_file=ann_file),
                       WHOLEBODY, samples)
    result = {k.split('/', 1)[1]: v for k, v in result.items()}
    assert result['righthand/AP'] == pytest.approx(0.)
    for part in ('body', 'foot', 'face', 'lefthand'):
        assert result[f'{part}/AP'] == pytest.approx(1.), part
    assert result['hand/AP'] == pytest.approx(0.5)
    # Whole-body OKS = 112 / 133 = 0.842: a match at the 7 OKS thresholds
    # 0.50 ... 0.80 of the 10, none at 0.85 ... 0.95.
    assert result['AP'] == pytest.approx(0.7)
    assert result['AR'] == pytest.approx(0.7)


def test_wholebody_needs_133_keypoints(tmp_path):
    ann_file, samples = _wholebody(tmp_path)
    for sample in samples:
        sample['pred_instances']['keypoints'] = \
            sample['pred_instances']['keypoints'][:, :17]
        sample['pred_instances']['keypoint_scores'] = \
            sample['pred_instances']['keypoint_scores'][:, :17]
    meta = parse_pose_metainfo(
        dict(from_file='configs/_base_/datasets/coco.py'))
    with pytest.raises(ValueError, match='17 keypoints, expected 133'):
        _evaluate(dict(type='CocoWholeBodyMetric', ann_file=ann_file), meta,
                  samples)
