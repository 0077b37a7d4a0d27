import numpy as np
import pytest

from rtmpose.evaluation import oks_iou, oks_nms, soft_oks_nms

K = 5
SIGMAS = np.array([.025, .05, .08, .1, .1])
AREA = 50. * 100.


def _instance(xy, score, kpt_score=1.0, area=AREA):
    kpts = np.concatenate([xy, np.full((K, 1), kpt_score)], 1)
    return dict(keypoints=kpts, score=score, area=area)


BASE = np.stack([np.arange(K) * 10. + 100, np.arange(K) * 20. + 50], 1)


def test_oks_iou_matches_hand_value():
    shift = 3.0
    g = _instance(BASE, 1.)['keypoints']
    d = np.stack([_instance(BASE + [shift, 0], 1.)['keypoints'], g])
    oks = oks_iou(g, d, AREA, np.array([AREA, AREA]), SIGMAS)
    expected = np.exp(-shift**2 / (2 * AREA * (2 * SIGMAS)**2)).mean()
    np.testing.assert_allclose(oks, [expected, 1.0], rtol=1e-6)  # float32
    assert 0.5 < expected < 0.99


def test_oks_iou_visibility_threshold():
    g = _instance(BASE, 1.)['keypoints']
    d = _instance(BASE + [3., 0], 1.)['keypoints']
    d[:2, 2] = 0.1  # the two most sensitive keypoints fall below vis_thr
    oks = oks_iou(g, d[None], AREA, np.array([AREA]), SIGMAS, vis_thr=0.2)
    expected = np.exp(-9. / (2 * AREA * (2 * SIGMAS[2:])**2)).mean()
    np.testing.assert_allclose(oks, [expected], rtol=1e-6)
    d[:, 2] = 0.1
    assert oks_iou(
        g, d[None], AREA, np.array([AREA]), SIGMAS, vis_thr=0.2)[0] == 0


def test_oks_nms_removes_duplicate_keeps_distinct():
    kpts_db = [
        _instance(BASE + [1., 1.], 0.8),  # duplicate of the best one
        _instance(BASE, 0.9),
        _instance(BASE + [200., 0.], 0.7),  # another person
    ]
    assert oks_nms(kpts_db, 0.9, SIGMAS) == [1, 2]
    # A threshold above the duplicate's OKS keeps all, best first.
    assert oks_nms(kpts_db, 0.999, SIGMAS) == [1, 0, 2]
    assert oks_nms([], 0.9, SIGMAS) == []


def test_soft_oks_nms_demotes_duplicate():
    kpts_db = [
        _instance(BASE, 0.9),
        _instance(BASE + [1., 1.], 0.85),
        _instance(BASE + [200., 0.], 0.8),
    ]
    # The duplicate's score decays below the distinct person's.
    assert soft_oks_nms(kpts_db, 0.9, SIGMAS) == [0, 2, 1]
    assert soft_oks_nms(kpts_db, 0.9, SIGMAS, max_dets=2) == [0, 2]
    # Scores of the input are untouched.
    assert [k['score'] for k in kpts_db] == pytest.approx([0.9, 0.85, 0.8])


def test_tied_scores_rank_the_later_instance_first():
    # Three instances with one score: 0 and 2 are duplicates, 1 is another
    # person. Ranked as the reference does (argsort reversed: 2, 1, 0), the
    # later duplicate is kept and the earlier suppressed.
    kpts_db = [
        _instance(BASE, 0.9),
        _instance(BASE + [200., 0.], 0.9),
        _instance(BASE + [1., 1.], 0.9),
    ]
    assert oks_nms(kpts_db, 0.9, SIGMAS) == [2, 1]
    # Soft NMS: 2 first; 1 keeps its score, 0 decays below it.
    assert soft_oks_nms(kpts_db, 0.9, SIGMAS) == [2, 1, 0]

