"""Track ids across video frames by greedy IoU or OKS matching."""
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from rtmpose.evaluation.functional.nms import oks_iou
from rtmpose.structures.bbox import bbox_iou_matrix


def oks_matrix(kpts_a: np.ndarray,
               area_a: np.ndarray,
               kpts_b: np.ndarray,
               area_b: np.ndarray,
               sigmas: Sequence[float],
               vis_thr: Optional[float] = None) -> np.ndarray:
    """OKS of poses (N, K, 3) x (M, K, 3) ((x, y, score) pixels) with areas
    (N,), (M,) pixels² -> (N, M)."""
    out = np.zeros((len(kpts_a), len(kpts_b)))
    if len(kpts_b):
        for i, (kpts, area) in enumerate(zip(kpts_a, area_a)):
            out[i] = oks_iou(kpts, kpts_b, area, area_b, sigmas, vis_thr)
    return out


def greedy_match(similarity: np.ndarray, thr: float) -> List[Tuple[int, int]]:
    """Pairs (row, col) picked best-first from an (N, M) similarity matrix,
    each row and column at most once, similarity > ``thr``."""
    pairs = []
    if similarity.size == 0:
        return pairs
    order = np.argsort(-similarity, axis=None, kind='stable')
    used_r, used_c = set(), set()
    for flat in order:
        r, c = np.unravel_index(flat, similarity.shape)
        if similarity[r, c] <= thr:
            break
        if r in used_r or c in used_c:
            continue
        pairs.append((int(r), int(c)))
        used_r.add(r)
        used_c.add(c)
    return pairs


class PoseTracker:
    """Assigns track ids to the instances of consecutive frames.

    Each frame's instances are matched greedily to the live tracks by box
    IoU (``mode='iou'``) or keypoint OKS (``mode='oks'``); unmatched
    instances start new tracks; a track unmatched for more than ``max_age``
    frames is dropped.

    Args:
        mode: ``'iou'`` or ``'oks'``.
        thr: minimum similarity for a match.
        sigmas: (K,) OKS sigmas (``mode='oks'``).
        max_age: frames a lost track stays matchable.
    """

    def __init__(self,
                 mode: str = 'iou',
                 thr: float = 0.3,
                 sigmas: Optional[Sequence[float]] = None,
                 max_age: int = 5):
        if mode not in ('iou', 'oks'):
            raise ValueError(f"PoseTracker: mode must be 'iou' or 'oks', got "
                             f'{mode!r}')
        if mode == 'oks' and sigmas is None:
            raise ValueError("PoseTracker: mode='oks' needs sigmas")
        self.mode = mode
        self.thr = thr
        self.sigmas = sigmas
        self.max_age = max_age
        self.reset()

    def reset(self) -> None:
        # id -> dict(bbox (4,), pose (K, 3), age: frames since last match)
        self.tracks: Dict[int, dict] = {}
        self._next_id = 0

    def _similarity(self, bboxes, poses, ids) -> np.ndarray:
        old_boxes = np.array([self.tracks[i]['bbox'] for i in ids])
        if self.mode == 'iou':
            return bbox_iou_matrix(bboxes, old_boxes)
        old_poses = np.array([self.tracks[i]['pose'] for i in ids])
        return oks_matrix(poses, _areas(bboxes), old_poses, _areas(old_boxes),
                          self.sigmas)

    def update(self,
               bboxes: np.ndarray,
               keypoints: np.ndarray,
               scores: np.ndarray,
               known_ids: Optional[np.ndarray] = None) -> np.ndarray:
        """Ids (N,) int64 for a frame's boxes (N, 4) xyxy, keypoints
        (N, K, 2) and scores (N, K).

        ``known_ids`` (N,): an id >= 0 keeps that track (instances propagated
        from it); -1 entries are matched.
        """
        n = len(bboxes)
        poses = np.concatenate([keypoints, scores[..., None]], -1)
        ids = (np.full(n, -1, np.int64) if known_ids is None else np.asarray(
            known_ids, np.int64).copy())
        free = [t for t in self.tracks if t not in set(ids.tolist())]
        todo = np.flatnonzero(ids < 0)
        if len(todo) and free:
            sim = self._similarity(bboxes[todo], poses[todo], free)
            for r, c in greedy_match(sim, self.thr):
                ids[todo[r]] = free[c]
        for i in np.flatnonzero(ids < 0):
            ids[i] = self._next_id
            self._next_id += 1
        for track in self.tracks.values():
            track['age'] += 1
        for i, track_id in enumerate(ids):
            self.tracks[int(track_id)] = dict(bbox=np.asarray(
                bboxes[i], np.float64),
                                              pose=poses[i],
                                              age=0)
        self.tracks = {
            t: v
            for t, v in self.tracks.items() if v['age'] <= self.max_age
        }
        return ids


def _areas(bboxes: np.ndarray) -> np.ndarray:
    bboxes = np.asarray(bboxes, dtype=np.float64).reshape(-1, 4)
    return np.clip(bboxes[:, 2:] - bboxes[:, :2], 0, None).prod(-1)
