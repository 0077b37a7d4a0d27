"""Fixtures for the video pipeline tests: a synthetic panning video and an
oracle pose backend.

The oracle stands in for a trained network so that the tests measure the
pipeline (boxes, skip-frame propagation, NMS, tracking, smoothing), not a
model: it returns the ground-truth keypoints of the person its box covers,
plus Gaussian noise, and only what the crop actually shows. Keypoints outside
the crop region (the box padded by 1.25 and fixed to the 192x256 aspect, as a
real top-down model sees it) are clamped to the crop border and scored 0, so
a box that lags behind or misses the person degrades the result as it would
with a real model.
"""
import numpy as np

from rtmpose.datasets import parse_pose_metainfo
from rtmpose.structures import (DEFAULT_BBOX_PADDING, bbox_xyxy2cs,
                                fix_aspect_ratio)

ASPECT = 192 / 256


class OracleBackend:
    """Pose backend (preprocess / forward / postprocess) answering with the
    ground truth of frame ``frame_index`` (set by the test before each
    frame) plus ``noise`` px Gaussian noise."""

    def __init__(self, keypoints, visible, noise=1.0, seed=0):
        self.keypoints = np.asarray(keypoints, np.float32)  # (T, N, K, 2)
        self.visible = np.asarray(visible, bool)  # (T, N, K)
        self.noise = noise
        self.rng = np.random.default_rng(seed)
        self.frame_index = 0
        self.dataset_meta = parse_pose_metainfo(
            dict(from_file='configs/_base_/datasets/coco.py'))

    def preprocess(self, img, bboxes):
        bboxes = np.asarray(bboxes, np.float32).reshape(-1, 4)
        centers, scales = bbox_xyxy2cs(bboxes, DEFAULT_BBOX_PADDING)
        scales = fix_aspect_ratio(scales, ASPECT)
        return (centers, scales), None

    def forward(self, batch):
        return batch

    def postprocess(self, outputs, crop_info):
        centers, scales = outputs
        gt = self.keypoints[self.frame_index]
        vis = self.visible[self.frame_index]
        kpts, scores = [], []
        for center, scale in zip(centers, scales):
            lo, hi = center - scale / 2, center + scale / 2
            # the person whose visible keypoints the crop shows most of
            inside = ((gt >= lo) & (gt <= hi)).all(-1) & vis
            person = int(np.argmax(inside.sum(-1)))
            noisy = gt[person] + self.rng.normal(
                0, self.noise, gt[person].shape).astype(np.float32)
            seen = inside[person]
            kpts.append(np.clip(noisy, lo, hi))
            scores.append(np.where(seen, 0.9, 0.0).astype(np.float32))
        return np.stack(kpts), np.stack(scores)


class CountingDetector:
    """Wraps a detector and counts its calls."""

    def __init__(self, detector):
        self.detector = detector
        self.calls = []

    def __call__(self, img, frame_id=0, name=None):
        self.calls.append(frame_id)
        return self.detector(img, frame_id, name)
