"""Deployment runtime: exported ONNX pose models with onnxruntime, OpenCV and
numpy only. Importing this package never imports torch or mmengine
(``rtmpose.deploy.export``, the exporter, does and is not imported here;
``rtmpose.deploy.quantize``, int8 quantization, needs onnx and
onnxruntime's quantization tools but no torch)."""
from .metadata import METADATA_KEY, parse_metadata
from .onnx_model import OnnxPoseEstimator
from .postprocess import decode_outputs
from .preprocess import crop_persons

__all__ = [
    'METADATA_KEY', 'OnnxPoseEstimator', 'crop_persons', 'decode_outputs',
    'parse_metadata'
]
