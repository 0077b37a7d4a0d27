"""Exporters: PyTorch models to ONNX (torch, onnx), and int8 quantization of
an export (onnx, onnxruntime). What they write runs in the torch-free
:mod:`rtmpose.runtime`.

- :mod:`rtmpose.deploy.export`: top-down pose models;
- :mod:`rtmpose.deploy.export_detector`: RTMDet;
- :mod:`rtmpose.deploy.quantize`: static int8 quantization.

The submodules are imported on use (``from rtmpose.deploy.export import
export_onnx``): importing this package imports nothing heavy.
"""
