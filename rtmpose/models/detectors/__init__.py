from .onnx_detector import OnnxRTMDet
from .rtmdet import RTMDet

__all__ = ['OnnxRTMDet', 'RTMDet']
