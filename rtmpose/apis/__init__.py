from .det_inference import inference_detector
from .detectors import (CocoJsonDetector, RTMDetDetector,
                        TorchvisionDetector, WholeImageDetector,
                        build_detector)
from .frame_source import Frame, FrameSource
from .inference import inference_topdown, init_model
from .inferencer import (STAGES, PoseInferencer, PoseResult,
                         bboxes_from_keypoints)
from .one_euro import OneEuroFilter
from .pose_backend import TorchPoseBackend
from .tracking import PoseTracker, bbox_iou_matrix, greedy_match

__all__ = [
    'init_model', 'inference_topdown', 'inference_detector',
    'CocoJsonDetector', 'RTMDetDetector', 'TorchvisionDetector',
    'WholeImageDetector', 'build_detector', 'Frame', 'FrameSource', 'STAGES',
    'PoseInferencer', 'PoseResult', 'bboxes_from_keypoints', 'OneEuroFilter',
    'TorchPoseBackend', 'PoseTracker', 'bbox_iou_matrix',
    'greedy_match'
]
