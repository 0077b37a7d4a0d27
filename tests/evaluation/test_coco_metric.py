import json

import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData

from rtmpose.datasets import parse_pose_metainfo
from rtmpose.registry import METRICS
from rtmpose.structures import PoseDataSample

META = parse_pose_metainfo(dict(from_file='configs/_base_/datasets/coco.py'))
SIGMAS = META['sigmas'].astype(np.float64)
K = 17
OKS_THRS = np.linspace(.5, .95, 10)
AREA = 100. * 200.  # "large" (> 96²) persons
rng = np.random.default_rng(0)

# Three persons on two images, far apart so that they never match each other.
PERSONS = [
    dict(id=11, img=1, origin=(20., 30.)),
    dict(id=12, img=1, origin=(400., 30.)),
    dict(id=21, img=2, origin=(50., 60.)),
]
GT_KPTS = {
    p['id']: np.asarray(p['origin']) + rng.uniform(0, [100, 200], (K, 2))
    for p in PERSONS
}


def _gt_ann(person):
    kpts = np.concatenate([GT_KPTS[person['id']], np.full((K, 1), 2.)], 1)
    x, y = person['origin']
    return dict(
        id=person['id'],
        image_id=person['img'],
        category_id=1,
        bbox=[x, y, 100., 200.],
        area=AREA,
        iscrowd=0,
        num_keypoints=K,
        keypoints=kpts.reshape(-1).tolist())


def _write_gt(path):
    data = dict(
        images=[
            dict(id=1, file_name='1.jpg', width=640, height=480),
            dict(id=2, file_name='2.jpg', width=640, height=480)
        ],
        annotations=[_gt_ann(p) for p in PERSONS],
        categories=[dict(id=1, name='person')])
    path.write_text(json.dumps(data))
    return str(path)


def _sample(person,
            keypoints,
            kpt_scores=None,
            bbox_score=1.0,
            sample_id=None):
    """A packed top-down prediction of one person, as a dict."""
    kpt_scores = np.ones(K) if kpt_scores is None else kpt_scores
    return dict(
        id=person['id'] if sample_id is None else sample_id,
        img_id=person['img'],
        category_id=1,
        ori_shape=(480, 640),
        raw_ann_info=_gt_ann(person),
        gt_instances=dict(
            bbox_scores=np.array([bbox_score]),
            bbox_scales=np.array([[125., 250.]])),
        pred_instances=dict(
            keypoints=np.asarray(keypoints, np.float32)[None],
            keypoint_scores=np.asarray(kpt_scores, np.float32)[None]))


def _evaluate(samples, **kwargs):
    metric = METRICS.build(dict(type='CocoMetric', **kwargs))
    metric.dataset_meta = META
    metric.process({}, samples)
    return metric.evaluate(size=len(samples))


@pytest.mark.parametrize('use_file', [True, False])
def test_perfect_predictions(tmp_path, use_file):
    ann_file = _write_gt(tmp_path / 'gt.json') if use_file else None
    samples = [_sample(p, GT_KPTS[p['id']]) for p in PERSONS]
    results = _evaluate(samples, ann_file=ann_file)
    assert list(results) == [
        'coco/AP', 'coco/AP .5', 'coco/AP .75', 'coco/AP (M)', 'coco/AP (L)',
        'coco/AR', 'coco/AR .5', 'coco/AR .75', 'coco/AR (M)', 'coco/AR (L)'
    ]
    for key in ('AP', 'AP .5', 'AP .75', 'AP (L)', 'AR', 'AR (L)'):
        assert results[f'coco/{key}'] == pytest.approx(1.0), key
    # No medium-sized ground truth: COCOeval reports -1.
    assert results['coco/AP (M)'] == -1


def test_pose_data_samples_with_tensors(tmp_path):
    ann_file = _write_gt(tmp_path / 'gt.json')
    samples = []
    for p in PERSONS:
        sample = PoseDataSample(metainfo=dict(id=p['id'], img_id=p['img']))
        sample.gt_instances = InstanceData(bbox_scores=torch.ones(1))
        sample.pred_instances = InstanceData(
            keypoints=torch.from_numpy(GT_KPTS[p['id']][None]).float(),
            keypoint_scores=torch.ones(1, K))
        samples.append(sample)
    results = _evaluate(samples, ann_file=ann_file)
    assert results['coco/AP'] == pytest.approx(1.0)


def test_known_shift_gives_expected_ap(tmp_path):
    """Shift every keypoint by c·sqrt(area) along x.

    COCO OKS per keypoint: exp(-d²/(2·area·(2σ)²)) = exp(-c²/(8σ²)).
    A prediction counts as correct at threshold t when OKS >= t; all persons
    share the same OKS, so AP = AR = fraction of thresholds <= OKS.
    """
    c = 0.08
    oks = np.exp(-c**2 / (8 * SIGMAS**2)).mean()
    assert oks == pytest.approx(0.7337, abs=1e-3)
    assert np.abs(OKS_THRS - oks).min() > 0.01  # not on a threshold
    expected = float((OKS_THRS <= oks).mean())
    assert expected == pytest.approx(0.5)  # thresholds .50 ... .70

    shift = np.array([c * np.sqrt(AREA), 0.])
    samples = [_sample(p, GT_KPTS[p['id']] + shift) for p in PERSONS]
    results = _evaluate(samples, ann_file=_write_gt(tmp_path / 'gt.json'))
    assert results['coco/AP'] == pytest.approx(expected)
    assert results['coco/AR'] == pytest.approx(expected)
    assert results['coco/AP .5'] == pytest.approx(1.0)
    assert results['coco/AP .75'] == pytest.approx(0.0)


def test_one_wrong_person_lowers_ap(tmp_path):
    """Two exact persons and one far off: recall 2/3 at every threshold."""
    samples = [_sample(p, GT_KPTS[p['id']]) for p in PERSONS[:2]]
    samples.append(_sample(PERSONS[2], GT_KPTS[21] + 80., bbox_score=0.5))
    results = _evaluate(samples, ann_file=_write_gt(tmp_path / 'gt.json'))
    assert results['coco/AR'] == pytest.approx(2 / 3)
    # The wrong one has the lowest score, so precision stays 1 up to 2/3
    # recall: AP = 101-point average of the interpolated precision.
    assert results['coco/AP'] == pytest.approx(67 / 101, abs=1e-6)


def test_dump_scores_and_nms(tmp_path):
    kpt_scores = np.full(K, 0.9)
    kpt_scores[:5] = 0.1  # below keypoint_score_thr: not in the mean
    samples = [
        _sample(p, GT_KPTS[p['id']], kpt_scores, bbox_score=0.8)
        for p in PERSONS
    ]
    # A near-duplicate of person 11 (another detector box), lower score.
    samples.append(
        _sample(PERSONS[0], GT_KPTS[11] + 1., bbox_score=0.5, sample_id=99))
    prefix = tmp_path / 'out' / 'preds'
    results = _evaluate(
        samples,
        ann_file=_write_gt(tmp_path / 'gt.json'),
        outfile_prefix=str(prefix))
    assert results['coco/AP'] == pytest.approx(1.0)

    dets = json.loads((tmp_path / 'out' / 'preds.keypoints.json').read_text())
    assert len(dets) == 3  # the duplicate was suppressed
    by_image = sorted((d['image_id'], d['score']) for d in dets)
    assert [i for i, _ in by_image] == [1, 1, 2]
    for det in dets:
        assert set(det) >= {'image_id', 'category_id', 'keypoints', 'score'}
        assert len(det['keypoints']) == 3 * K
        assert det['score'] == pytest.approx(0.8 * 0.9)
    first = next(d for d in dets if d['image_id'] == 2)
    np.testing.assert_allclose(
        np.reshape(first['keypoints'], (K, 3))[:, :2], GT_KPTS[21], rtol=1e-6)

    # Without NMS the duplicate stays.
    _evaluate(
        samples,
        ann_file=str(tmp_path / 'gt.json'),
        outfile_prefix=str(prefix),
        nms_mode='none')
    dets = json.loads((tmp_path / 'out' / 'preds.keypoints.json').read_text())
    assert len(dets) == 4


def _dumped(tmp_path, samples, **kwargs):
    """The results file written for ``samples`` -> list of entries."""
    prefix = tmp_path / 'scores'
    _evaluate(samples, ann_file=_write_gt(tmp_path / 'gt.json'),
              outfile_prefix=str(prefix), **kwargs)
    return json.loads((tmp_path / 'scores.keypoints.json').read_text())


def test_score_modes(tmp_path):
    kpt_scores = np.full(K, 0.9, np.float32)
    kpt_scores[:5] = 0.1
    # float32(0.2) is above 0.2 in float64: it enters the thresholded mean.
    kpt_scores[5] = 0.2
    samples = [_sample(PERSONS[2], GT_KPTS[21], kpt_scores, bbox_score=0.5)]
    mean_all = (5 * 0.1 + 0.2 + 11 * 0.9) / 17
    mean_above = (np.float32(0.2) + 11 * 0.9) / 12
    expected = dict(
        bbox=0.5,
        keypoint=mean_all,
        bbox_keypoint=0.5 * mean_above,
        bbox_rle=0.5 + mean_all + 0.9)
    for mode, score in expected.items():
        (det, ) = _dumped(tmp_path, samples, score_mode=mode)
        assert det['score'] == pytest.approx(score, rel=1e-6), mode
    # No keypoint above the threshold: bbox_keypoint gives 0.
    samples = [_sample(PERSONS[2], GT_KPTS[21], np.full(K, 0.1), 0.5)]
    (det, ) = _dumped(tmp_path, samples, score_mode='bbox_keypoint')
    assert det['score'] == 0


def test_tied_scores_keep_the_later_sample_id(tmp_path):
    # Two predictions of person 21 with one score: the exact one has sample
    # id 5, a shifted duplicate id 7. The image's instances are listed by
    # id and tied scores ranked later-first, so NMS keeps id 7, whatever the
    # order of processing.
    shifted = GT_KPTS[21] + [2., 0.]
    for order in ((5, 7), (7, 5)):
        samples = [
            _sample(PERSONS[2], GT_KPTS[21] if i == 5 else shifted,
                    sample_id=i) for i in order
        ]
        (det, ) = _dumped(tmp_path, samples)
        np.testing.assert_allclose(
            np.reshape(det['keypoints'], (K, 3))[:, :2], shifted, rtol=1e-6)


def test_format_only(tmp_path):
    samples = [_sample(p, GT_KPTS[p['id']]) for p in PERSONS]
    results = _evaluate(
        samples,
        ann_file=_write_gt(tmp_path / 'gt.json'),
        format_only=True,
        outfile_prefix=str(tmp_path / 'sub'))
    assert results == {}
    assert len(json.loads((tmp_path / 'sub.keypoints.json').read_text())) == 3
    with pytest.raises(ValueError, match='outfile_prefix'):
        METRICS.build(dict(type='CocoMetric', format_only=True))


def test_ann_file_read_lazily(tmp_path):
    ann_file = tmp_path / 'later.json'
    metric = METRICS.build(dict(type='CocoMetric', ann_file=str(ann_file)))
    metric.dataset_meta = META
    samples = [_sample(p, GT_KPTS[p['id']]) for p in PERSONS]
    metric.process({}, samples)
    _write_gt(ann_file)
    assert metric.evaluate(size=3)['coco/AP'] == pytest.approx(1.0)


def test_missing_ann_file_named(tmp_path):
    missing = tmp_path / 'absent.json'
    samples = [_sample(p, GT_KPTS[p['id']]) for p in PERSONS]
    with pytest.raises(FileNotFoundError, match=str(missing)):
        _evaluate(samples, ann_file=str(missing))


def test_keypoint_count_mismatch(tmp_path):
    samples = [_sample(p, GT_KPTS[p['id']]) for p in PERSONS]
    samples[0]['pred_instances']['keypoints'] = np.zeros((1, 16, 2))
    with pytest.raises(ValueError, match=r'sample id 11.*17 keypoints'):
        _evaluate(samples, ann_file=_write_gt(tmp_path / 'gt.json'))


def test_bad_options():
    with pytest.raises(ValueError, match='score_mode'):
        METRICS.build(dict(type='CocoMetric', score_mode='mean'))
    with pytest.raises(ValueError, match='nms_mode'):
        METRICS.build(dict(type='CocoMetric', nms_mode='nms'))
