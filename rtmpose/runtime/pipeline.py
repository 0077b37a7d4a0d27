"""Detector + pose model on one image with onnxruntime, OpenCV and numpy
(no torch): the paper's RTMDet -> RTMPose pipeline in a deployment.

For videos with skip-frame detection, tracking and smoothing use
``rtmpose.apis.PoseInferencer`` with the two ``.onnx`` files (it imports
torch for its other backends).
"""
from typing import Optional, Tuple

import numpy as np

from .detector import OnnxDetector
from .pose_estimator import OnnxPoseEstimator


class OnnxTopdownPipeline:
    """``pipeline(img)`` -> person boxes (N, 4) xyxy image pixels, their
    scores (N,), keypoints (N, K, 2) image pixels and keypoint scores
    (N, K); all person crops go through the pose model in one batch (when
    it was exported with a dynamic batch).

    Args:
        det_file: exported detector (``OnnxDetector``).
        pose_file: exported pose model (``OnnxPoseEstimator``).
        det_score_thr: detections scored below it are not posed.
        num_threads: onnxruntime threads of each session.
    """

    def __init__(self,
                 det_file: str,
                 pose_file: str,
                 det_score_thr: float = 0.5,
                 num_threads: Optional[int] = None):
        self.detector = OnnxDetector(det_file, det_score_thr, num_threads)
        self.pose = OnnxPoseEstimator(pose_file, num_threads)
        self.dataset_meta = self.pose.dataset_meta

    def __call__(self, img: np.ndarray) -> Tuple[np.ndarray, ...]:
        bboxes, scores = self.detector(img)
        keypoints, keypoint_scores = self.pose(img, bboxes)
        return bboxes, scores, keypoints, keypoint_scores
