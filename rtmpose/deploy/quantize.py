"""Static int8 quantization of an exported model (onnx and onnxruntime
only; no torch).

The backbone's convolutions and matrix products (nearly all the FLOPs) get
int8 weights (per output channel) and uint8 activations whose ranges come
from calibration crops; everything else stays float: activations,
normalisation and the head, whose output layers need a finer resolution
than 8 bits (quantizing RTMPose's SimCC classifiers too costs ~0.02 AP
on the demo model, the backbone alone ~0.003). The result
is a QDQ graph that onnxruntime fuses into integer kernels (VNNI on x86).
"""
import os.path as osp
import tempfile
from typing import Iterator, Optional

import numpy as np

from rtmpose.runtime.metadata import (METADATA_KEY, parse_metadata,
                                      save_with_metadata)
from rtmpose.runtime.preprocess import network_input

QUANTIZED_OPS = ('Conv', 'MatMul', 'Gemm')
# node names of the TorchScript exporter carry the module path
BACKBONE_SCOPE = '/backbone/'
CALIBRATION_METHODS = ('minmax', 'percentile', 'entropy')


def quantize_int8(fp32_file: str,
                  int8_file: str,
                  calibration_crops: np.ndarray,
                  method: str = 'minmax') -> dict:
    """Write an int8 version of ``fp32_file`` (from ``export_onnx``, or a
    detector from ``export_detector_onnx``).

    Args:
        fp32_file: exported fp32 model with rtmpose metadata.
        int8_file: the .onnx file to write.
        calibration_crops: (N, h, w, 3) uint8 BGR inputs as the model sees
            them before normalisation (the test pipeline's person crops,
            or letterboxed images for a detector); a few hundred typical
            ones.
        method: activation range estimation: ``'minmax'``,
            ``'percentile'`` (99.999th) or ``'entropy'``.

    Returns:
        the metadata written: the fp32 model's plus ``quantization``.
    """
    import onnx
    from onnxruntime.quantization import (CalibrationDataReader,
                                          CalibrationMethod, QuantFormat,
                                          QuantType, quantize_static)
    from onnxruntime.quantization.shape_inference import quant_pre_process

    if method not in CALIBRATION_METHODS:
        raise ValueError(f'calibration method must be one of '
                         f'{CALIBRATION_METHODS}, got {method!r}')
    proto = onnx.load(fp32_file)
    props = {p.key: p.value for p in proto.metadata_props}
    if METADATA_KEY not in props:
        raise KeyError(f'{fp32_file} has no {METADATA_KEY!r} metadata; '
                       'export it with tools/deploy/export_onnx.py')
    meta = parse_metadata(props[METADATA_KEY], fp32_file)
    if 'quantization' in meta:
        raise ValueError(f'{fp32_file} is already quantized')
    if meta.get('precision') == 'fp16':
        raise ValueError(f'{fp32_file} is a float16 model; quantize the '
                         'float32 export')
    crops = np.asarray(calibration_crops)
    w, h = meta['input_size']
    if crops.dtype != np.uint8 or crops.shape[1:] != (h, w, 3) \
            or len(crops) == 0:
        raise ValueError(f'calibration crops must be (N, {h}, {w}, 3) uint8 '
                         f'with N >= 1, got {crops.shape} {crops.dtype}')
    input_name = proto.graph.input[0].name
    input_format = meta.get('input_format')
    batch = proto.graph.input[0].type.tensor_type.shape.dim[0]
    batch = batch.dim_value if batch.HasField('dim_value') else None
    if batch is not None and len(crops) < batch:
        raise ValueError(f'{fp32_file} has a fixed batch of {batch}; give at '
                         f'least {batch} calibration crops')

    class Crops(CalibrationDataReader):

        def __init__(self):
            step = batch or 16
            usable = len(crops) - len(crops) % step if batch else len(crops)
            self.batches: Iterator = iter(
                [crops[i:i + step] for i in range(0, usable, step)])

        def get_next(self) -> Optional[dict]:
            chunk = next(self.batches, None)
            if chunk is None:
                return None
            return {input_name: network_input(chunk, input_format)}

    with tempfile.TemporaryDirectory(prefix='rtmpose-int8-') as tmp:
        # shape inference and graph clean-up give the quantizer the
        # tensor shapes and a graph without redundant nodes
        prepared = osp.join(tmp, 'prepared.onnx')
        quant_pre_process(fp32_file, prepared)
        nodes = [
            n.name for n in onnx.load(prepared).graph.node
            if n.op_type in QUANTIZED_OPS and BACKBONE_SCOPE in n.name
        ]
        if not nodes:
            raise ValueError(f'{fp32_file}: no {QUANTIZED_OPS} nodes in '
                             f'scope {BACKBONE_SCOPE!r} to quantize')
        quantized = osp.join(tmp, 'int8.onnx')
        quantize_static(
            prepared,
            quantized,
            Crops(),
            quant_format=QuantFormat.QDQ,
            op_types_to_quantize=list(QUANTIZED_OPS),
            nodes_to_quantize=nodes,
            per_channel=True,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            calibrate_method={
                'minmax': CalibrationMethod.MinMax,
                'percentile': CalibrationMethod.Percentile,
                'entropy': CalibrationMethod.Entropy
            }[method])
        out = onnx.load(quantized)
    meta['quantization'] = dict(dtype='int8',
                                ops=list(QUANTIZED_OPS),
                                quantized_nodes=len(nodes),
                                calibration=method,
                                calibration_crops=int(len(crops)))
    save_with_metadata(out, meta, int8_file)
    return meta
