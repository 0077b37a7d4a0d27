"""Greedy IoU / OKS matching and track ids."""
import numpy as np
import pytest

from rtmpose.apis import PoseTracker, bbox_iou_matrix, greedy_match


def test_bbox_iou_matrix():
    a = np.array([[0, 0, 10, 10], [0, 0, 0, 0]], np.float32)
    b = np.array([[5, 0, 15, 10], [0, 0, 10, 10], [20, 20, 30, 30]])
    iou = bbox_iou_matrix(a, b)
    np.testing.assert_allclose(iou, [[50 / 150, 1, 0], [0, 0, 0]])


def test_greedy_match_best_first():
    sim = np.array([[0.9, 0.8], [0.85, 0.1], [0.2, 0.25]])
    # (0, 0) first; row 1 then has only col 1 left, below the threshold
    assert greedy_match(sim, 0.3) == [(0, 0)]
    assert greedy_match(sim, 0.05) == [(0, 0), (2, 1)]
    assert greedy_match(np.zeros((0, 3)), 0.1) == []


def _pose(x, y, person=0, k=17):
    """A fixed random pose of ``person``, 40 px wide, moved to (x, y)."""
    rng = np.random.default_rng(person)
    kpts = np.array([x, y]) + rng.uniform(0, 40, (k, 2))
    return kpts.astype(np.float32)


@pytest.mark.parametrize('mode', ['iou', 'oks'])
def test_tracker_keeps_ids_of_moving_people(mode):
    sigmas = np.full(17, 0.05)
    tracker = PoseTracker(mode, thr=0.3, sigmas=sigmas, max_age=1)
    scores = np.ones((2, 17), np.float32)
    ids_seen = []
    for t in range(5):
        # two people moving in opposite directions, listed in swapped order
        # every other frame
        kpts = np.stack([_pose(10 + 3 * t, 10, 0), _pose(80 - 3 * t, 10, 1)])
        boxes = np.concatenate([kpts.min(1), kpts.max(1)], -1)
        order = [0, 1] if t % 2 == 0 else [1, 0]
        ids = tracker.update(boxes[order], kpts[order], scores)
        ids_seen.append(dict(zip(order, ids.tolist())))
    assert all(d == ids_seen[0] for d in ids_seen)
    assert sorted(ids_seen[0].values()) == [0, 1]
    # a new person far away gets a new id; lost tracks expire after max_age
    far = _pose(500, 500, 2)[None]
    box = np.concatenate([far.min(1), far.max(1)], -1)
    assert tracker.update(box, far, scores[:1]).tolist() == [2]
    tracker.update(box, far, scores[:1])
    assert sorted(tracker.tracks) == [2]


def test_tracker_known_ids():
    tracker = PoseTracker('iou')
    kpts = np.stack([_pose(0, 0, 0), _pose(100, 0, 1)])
    boxes = np.concatenate([kpts.min(1), kpts.max(1)], -1)
    scores = np.ones((2, 17), np.float32)
    assert tracker.update(boxes, kpts, scores).tolist() == [0, 1]
    # person 1 propagated under its id; person 0 matched by IoU
    ids = tracker.update(boxes[::-1],
                         kpts[::-1],
                         scores,
                         known_ids=np.array([1, -1]))
    assert ids.tolist() == [1, 0]
    # a known id takes the track even where IoU would say otherwise
    ids = tracker.update(boxes, kpts, scores, known_ids=np.array([1, -1]))
    assert ids.tolist() == [1, 2]
    with pytest.raises(ValueError, match='sigmas'):
        PoseTracker('oks')
