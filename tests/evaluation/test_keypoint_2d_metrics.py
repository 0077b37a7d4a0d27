"""PCKh (MPII), PCK, AUC and EPE on hand-computable cases."""
import numpy as np
import pytest

from rtmpose.datasets import parse_pose_metainfo
from rtmpose.evaluation.functional import (keypoint_auc, keypoint_epe,
                                           keypoint_pck_accuracy, mpii_pckh)
from rtmpose.registry import METRICS

MPII = parse_pose_metainfo(dict(from_file='configs/_base_/datasets/mpii.py'))
IDX = MPII['keypoint_name2id']
rng = np.random.default_rng(0)


def _sample(gt, errors, visible=None, head_size=None, bbox=None,
            one_based=False):
    """A packed prediction: gt (K, 2) plus an x-offset of errors (K,).
    one_based: gt in MPII's 1-based pixels, the prediction in image pixels
    (1 less)."""
    gt = np.asarray(gt, np.float32)
    visible = np.ones(len(gt)) if visible is None else visible
    pred = gt + np.stack([errors, np.zeros(len(gt))], 1) - int(one_based)
    raw = dict(keypoints=np.concatenate(
        [gt, np.asarray(visible, np.float32)[:, None]], 1).reshape(-1)
        .tolist())
    if head_size is not None:
        raw['head_size'] = head_size
    sample = dict(id=0, img_id=0, raw_ann_info=raw,
                  pred_instances=dict(keypoints=pred[None].astype(np.float32),
                                      keypoint_scores=np.ones((1, len(gt)))))
    if bbox is not None:
        sample['gt_instances'] = dict(bboxes=np.asarray([bbox], np.float32))
    return sample


def _evaluate(cfg, samples, meta=MPII):
    metric = METRICS.build(cfg)
    metric.dataset_meta = meta
    metric.process({}, samples)
    return metric.evaluate(len(samples))


def test_mpii_pckh_table12_groups():
    # Person A: head size 10 -> PCKh@0.5 radius 0.5 x 0.6 x 10 = 3 px.
    # Person B: head size 20 -> radius 6 px. Errors of 1 px are hits.
    err_a, err_b = np.ones(16), np.ones(16)
    vis_a = np.ones(16)
    err_a[IDX['left_shoulder']] = 4.   # miss (> 3)
    vis_a[IDX['left_wrist']] = 0       # unlabelled: not counted
    err_a[IDX['pelvis']] = 50.         # miss, but pelvis is not in the mean
    err_b[IDX['head_top']] = 7.        # miss (> 6)
    err_b[IDX['left_shoulder']] = 5.9  # hit (< 6)
    samples = [
        _sample(rng.uniform(0, 100, (16, 2)), err_a, vis_a, head_size=10.,
                one_based=True),
        _sample(rng.uniform(0, 100, (16, 2)), err_b, head_size=20.,
                one_based=True),
    ]
    result = _evaluate(dict(type='MpiiPCKAccuracy'), samples)
    assert list(result) == [
        'mpii/Head', 'mpii/Shoulder', 'mpii/Elbow', 'mpii/Wrist', 'mpii/Hip',
        'mpii/Knee', 'mpii/Ankle', 'mpii/Mean', 'mpii/Mean@0.1'
    ]
    assert result['mpii/Head'] == pytest.approx(50.)
    # left shoulder 1 of 2, right shoulder 2 of 2 -> (50 + 100) / 2
    assert result['mpii/Shoulder'] == pytest.approx(75.)
    assert result['mpii/Wrist'] == pytest.approx(100.)  # 1 of 1, 2 of 2
    for group in ('Elbow', 'Hip', 'Knee', 'Ankle'):
        assert result[f'mpii/{group}'] == pytest.approx(100.)
    # Mean over labelled keypoints except pelvis / thorax: 15 + 16 - 4 = 27,
    # 2 misses -> 25 / 27.
    assert result['mpii/Mean'] == pytest.approx(100. * 25 / 27)
    # @0.1: radii 0.6 and 1.2 px -> only B's 1 px errors hit: its 14 kept
    # keypoints minus head top and left shoulder.
    assert result['mpii/Mean@0.1'] == pytest.approx(100. * 12 / 27)


def test_mpii_pckh_needs_head_sizes():
    sample = _sample(rng.uniform(0, 100, (16, 2)), np.ones(16))
    with pytest.raises(ValueError, match='head_size'):
        _evaluate(dict(type='MpiiPCKAccuracy'), [sample])


def test_pckh_functional_is_strict():
    # Head size 10 -> radius 0.5 x 0.6 x 10 = 3 px; correct below it, as the
    # reference counts.
    gt = np.zeros((1, 3, 2), np.float32)
    pred = gt + np.array([[[2.99, 0.], [3., 0.], [0., 3.01]]], np.float32)
    pckh, hits, counts = mpii_pckh(pred, gt, np.ones((1, 3), bool), [10.])
    np.testing.assert_array_equal(hits, [1, 0, 0])
    np.testing.assert_array_equal(counts, [1, 1, 1])
    np.testing.assert_allclose(pckh, [100., 0., 0.])


def test_mpii_pckh_compares_one_based_ground_truth():
    # Head size 1 -> radius 0.3 px: only a prediction 1 px left of and above
    # the 1-based ground truth (the same point in image pixels) is correct.
    gt = rng.uniform(10, 100, (16, 2))
    right = _sample(gt, np.zeros(16), head_size=1., one_based=True)
    off = _sample(gt, np.zeros(16), head_size=1.)
    assert _evaluate(dict(type='MpiiPCKAccuracy'),
                     [right])['mpii/Mean'] == pytest.approx(100.)
    assert _evaluate(dict(type='MpiiPCKAccuracy'),
                     [off])['mpii/Mean'] == pytest.approx(0.)


def test_pck_bbox_and_head():
    # box 100 x 80 -> norm 100 px, thr 0.05 -> 5 px
    errors = np.array([1., 4.9, 5.1, 10., 0.])
    samples = [_sample(rng.uniform(0, 50, (5, 2)), errors,
                       visible=[1, 1, 1, 1, 0], head_size=20.,
                       bbox=[10, 10, 110, 90])]
    meta = dict(dataset_name='toy', num_keypoints=5)
    result = _evaluate(dict(type='PCKAccuracy', thr=0.05), samples, meta)
    # per keypoint 1, 1, 0, 0 (the 5th is unlabelled) -> 0.5
    assert result == {'PCK': pytest.approx(0.5)}
    # head: 0.6 x 20 = 12 px, thr 0.5 -> 6 px: hits 1, 4.9, 5.1
    result = _evaluate(dict(type='PCKAccuracy', thr=0.5, norm_item='head'),
                       samples, meta)
    assert result == {'PCK': pytest.approx(0.75)}
    with pytest.raises(ValueError, match='norm_item'):
        METRICS.build(dict(type='PCKAccuracy', norm_item='torso'))


def test_auc_and_epe():
    # 3-4-5 triangles: every error is 5 px.
    gt = rng.uniform(0, 100, (4, 6, 2))
    pred = gt + np.array([3., 4.])
    mask = np.ones((4, 6), bool)
    mask[0, 0] = False
    pred[0, 0] += 1000.  # unlabelled: ignored
    assert keypoint_epe(pred, gt, mask) == pytest.approx(5.)
    # norm 40 px: normalised error 0.125, correct for thresholds i / 20 >
    # 0.125, i.e. 17 of the 20 thresholds 0, 0.05, ..., 0.95.
    assert keypoint_auc(pred, gt, mask, 40., 20) == pytest.approx(0.85)
    samples = [_sample(g, np.full(6, 5.)) for g in gt]
    meta = dict(dataset_name='toy', num_keypoints=6)
    assert _evaluate(dict(type='AUC', norm_factor=40.), samples,
                     meta) == {'AUC': pytest.approx(0.85)}
    assert _evaluate(dict(type='EPE'), samples, meta) == {
        'EPE': pytest.approx(5.)
    }


def test_pck_functional_per_keypoint():
    gt = np.zeros((2, 3, 2))
    pred = gt.copy()
    pred[:, 1, 0] = [1., 3.]  # normalised 0.1 and 0.3
    mask = np.array([[1, 1, 0], [1, 1, 0]], bool)
    acc, avg, cnt = keypoint_pck_accuracy(pred, gt, mask, 0.2,
                                          np.full((2, 2), 10.))
    np.testing.assert_allclose(acc, [1., 0.5, -1.])
    assert avg == pytest.approx(0.75) and cnt == 2
