"""Deployment runtime: exported ONNX pose models and detectors with
onnxruntime, OpenCV and numpy only. Importing this package never imports
torch or mmengine; the exporters that write the models are
:mod:`rtmpose.deploy` (torch). The one exception here,
``rtmpose.runtime.evaluation`` (exports in the MMEngine test loop), is not
imported by the package."""
from .det_postprocess import nms, postprocess_detections
from .detector import OnnxDetector
from .metadata import METADATA_KEY, parse_metadata
from .pipeline import OnnxTopdownPipeline
from .pose_estimator import OnnxPoseEstimator
from .postprocess import decode_outputs
from .preprocess import crop_persons, letterbox, rescale_size
from .session import is_export, providers_for

__all__ = [
    'METADATA_KEY', 'OnnxDetector', 'OnnxPoseEstimator',
    'OnnxTopdownPipeline', 'crop_persons', 'decode_outputs', 'letterbox',
    'is_export', 'nms', 'parse_metadata', 'postprocess_detections',
    'providers_for', 'rescale_size'
]
