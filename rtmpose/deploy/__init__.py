"""Deployment runtime: exported ONNX pose models and detectors with
onnxruntime, OpenCV and numpy only. Importing this package never imports
torch or mmengine (``rtmpose.deploy.export`` and
``rtmpose.deploy.export_detector``, the exporters, do and are not imported
here; ``rtmpose.deploy.quantize``, int8 quantization, needs onnx and
onnxruntime's quantization tools but no torch)."""
from .det_postprocess import nms, postprocess_detections
from .metadata import METADATA_KEY, parse_metadata
from .onnx_detector import OnnxDetector
from .onnx_model import OnnxPoseEstimator
from .pipeline import OnnxTopdownPipeline
from .postprocess import decode_outputs
from .preprocess import crop_persons, letterbox, rescale_size

__all__ = [
    'METADATA_KEY', 'OnnxDetector', 'OnnxPoseEstimator',
    'OnnxTopdownPipeline', 'crop_persons', 'decode_outputs', 'letterbox',
    'nms', 'parse_metadata', 'postprocess_detections', 'rescale_size'
]
