"""Export a top-down pose model to ONNX (needs torch and onnx; the runtime in
this package does not).

The graph takes (N, h, w, 3) uint8 BGR crops, normalises them as the model's
data preprocessor does, runs the network and returns SimCC vectors (or
heatmaps), or with ``with_decode`` the argmax-decoded keypoints (N, K, 2)
input pixels and scores (N, K) (no sub-pixel refinement: the runtime's
decoding of raw outputs is the exact one). Flip test is not part of the
graph.

Uses torch's TorchScript-based exporter (``dynamo=False``): it still ships
with torch 2.13, needs no onnxscript, and its graphs match eager PyTorch to
~1e-6 in onnxruntime. (``torch.onnx.export`` defaults to the dynamo exporter
since torch 2.9, which needs the extra ``onnxscript`` package.)
"""
import os
import os.path as osp
import warnings
from typing import List, Optional, Tuple

import numpy as np
import torch
from torch import Tensor, nn

from rtmpose.codecs import BaseKeypointCodec, get_output_kind
from rtmpose.fileio import temp_name_for
from rtmpose.runtime.metadata import (DECODED_OUTPUTS, FORMAT_VERSION,
                                      INPUT_NAME, save_with_metadata)
from .fp16 import to_fp16

MIN_OPSET = 17


class ExportWrapper(nn.Module):
    """uint8 BGR crops (N, h, w, 3) -> model outputs, see module docstring.

    Args:
        model: a top-down estimator in eval mode (from ``init_model``),
            normalising as its ``input_spec`` says.
        decode_kind: None: return the raw outputs; else the output kind
            (``rtmpose.codecs.output_kinds``) whose ``graph_argmax``
            decodes them in the graph, locations multiplied by
            ``decode_scale`` (sx, sy), input pixels per output unit.
    """

    def __init__(self,
                 model: nn.Module,
                 decode_kind: Optional[str] = None,
                 decode_scale: Tuple[float, float] = (1., 1.)):
        super().__init__()
        self.model = model
        spec = model.input_spec
        self.bgr_to_rgb = spec.bgr_to_rgb
        if spec.mean is not None:
            self.register_buffer(
                'mean', torch.tensor(spec.mean).reshape(1, -1, 1, 1))
            self.register_buffer(
                'std', torch.tensor(spec.std).reshape(1, -1, 1, 1))
        else:
            self.mean = self.std = None
        self.argmax = None if decode_kind is None else get_output_kind(
            decode_kind).graph_argmax
        self.decode_scale = decode_scale

    def forward(self, crops: Tensor):
        x = crops.permute(0, 3, 1, 2)
        if self.bgr_to_rgb:
            x = x[:, [2, 1, 0]]
        x = x.float()
        if self.mean is not None:
            x = (x - self.mean) / self.std
        outputs = self.model(x, None, mode='tensor')
        if self.argmax is None:
            return outputs
        if isinstance(outputs, Tensor):
            outputs = (outputs, )
        x_loc, y_loc, scores = self.argmax(*outputs)
        keypoints = torch.stack([x_loc, y_loc], -1).float() * torch.tensor(
            self.decode_scale, dtype=torch.float32)
        # as the codecs: keypoints without a positive response -> -1
        keypoints = torch.where(scores[..., None] > 0, keypoints,
                                torch.full_like(keypoints, -1.0))
        return keypoints, scores


def trace_to_proto(wrapper: nn.Module,
                   dummy: Tensor,
                   output: str,
                   opset: int,
                   input_names: List[str],
                   output_names: List[str],
                   dynamic_axes: Optional[dict] = None):
    """Trace ``wrapper`` on ``dummy`` -> its ``onnx.ModelProto``, for
    ``save_with_metadata`` to write to ``output``. The exporter writes a
    file: a temporary one next to ``output``, removed afterwards."""
    import onnx

    os.makedirs(osp.dirname(osp.abspath(output)), exist_ok=True)
    partial = temp_name_for(output)
    try:
        with warnings.catch_warnings():
            # the TorchScript exporter's deprecation notice and tracer notes
            # on Python shape checks (shapes are fixed apart from the batch)
            warnings.simplefilter('ignore', DeprecationWarning)
            warnings.simplefilter('ignore', torch.jit.TracerWarning)
            torch.onnx.export(wrapper, (dummy, ),
                              partial,
                              dynamo=False,
                              opset_version=opset,
                              input_names=input_names,
                              output_names=output_names,
                              dynamic_axes=dynamic_axes)
        return onnx.load(partial)
    finally:
        if osp.exists(partial):
            os.remove(partial)


def dataset_crops(cfg, split: str = 'train', num: int = 256) -> np.ndarray:
    """``num`` model inputs (N, h, w, 3) uint8 BGR, evenly spaced over the
    ``split`` ('train' or 'val') dataset of ``cfg`` and made by the test
    pipeline (person crops; letterboxed images for a detector):
    calibration data for ``quantize_int8``."""
    from mmengine.registry import init_default_scope

    from rtmpose.registry import DATASETS

    if split not in ('train', 'val'):
        raise ValueError(f"split must be 'train' or 'val', got {split!r}")
    dataset_cfg = cfg[f'{split}_dataloader'].dataset.copy()
    # the model's view of a person: no augmentation, no targets
    dataset_cfg.pipeline = cfg.test_dataloader.dataset.pipeline
    init_default_scope(cfg.get('default_scope', 'rtmpose'))
    dataset = DATASETS.build(dataset_cfg)
    if len(dataset) == 0:
        raise ValueError(f'the {split} dataset of the config is empty')
    picks = np.unique(np.linspace(0, len(dataset) - 1, num).astype(int))
    return np.stack([
        dataset[int(i)]['inputs'].numpy().transpose(1, 2, 0) for i in picks
    ]).astype(np.uint8, copy=False)


def _dataset_meta_json(meta: dict) -> dict:
    names = meta['keypoint_id2name']
    return dict(
        dataset_name=meta['dataset_name'],
        keypoint_names=[names[i] for i in range(len(names))],
        flip_indices=[int(i) for i in meta['flip_indices']],
        skeleton_links=[[int(a), int(b)] for a, b in meta['skeleton_links']],
        keypoint_colors=np.asarray(meta['keypoint_colors']).tolist(),
        skeleton_link_colors=np.asarray(meta['skeleton_link_colors']).tolist(),
        sigmas=np.asarray(meta['sigmas'], np.float64).tolist())


def _output_shapes(model: nn.Module, dummy: Tensor) -> List[tuple]:
    with torch.no_grad():
        outputs = ExportWrapper(model).eval()(dummy)
    outputs = (outputs, ) if isinstance(outputs, Tensor) else outputs
    return [tuple(o.shape) for o in outputs]


def pose_export_settings(model: nn.Module,
                         input_size: Optional[Tuple[int, int]] = None
                         ) -> Tuple[BaseKeypointCodec, dict]:
    """The codec that decodes ``model``'s outputs at ``input_size`` (w, h;
    default the model's) and the metadata every pose export carries but
    ``outputs`` (see :mod:`rtmpose.runtime.metadata`)."""
    spec = getattr(model, 'input_spec', None)
    if spec is None or not isinstance(spec.codec, BaseKeypointCodec):
        raise ValueError('export needs the head to have a codec as '
                         '`decoder` (its settings are stored for decoding)')
    if input_size is None:
        input_size = spec.input_size
    input_size = (int(input_size[0]), int(input_size[1]))
    decoder = spec.codec
    if input_size != spec.input_size:
        # the same codec at the exported sizes
        dummy = torch.zeros(1, input_size[1], input_size[0], 3,
                            dtype=torch.uint8)
        decoder = decoder.at_input_size(
            input_size, lambda: _output_shapes(model.eval(), dummy))
    meta = dict(format_version=FORMAT_VERSION,
                input_size=list(input_size),
                decode=decoder.decode_args(),
                bbox_padding=spec.bbox_padding,
                use_udp=spec.use_udp,
                dataset_meta=_dataset_meta_json(model.dataset_meta))
    return decoder, meta


def export_onnx(model: nn.Module,
                output: str,
                input_size: Optional[Tuple[int, int]] = None,
                dynamic_batch: bool = False,
                with_decode: bool = False,
                opset: int = MIN_OPSET,
                batch_size: int = 1,
                fp16: bool = False) -> dict:
    """Write ``model`` (from ``init_model``) as ONNX with rtmpose metadata.

    Args:
        model: top-down estimator with ``input_spec`` and ``dataset_meta``.
        output: the .onnx file to write.
        input_size: (w, h) of the crops; default (and, for codecs fixed to
            their input size, the only choice) the model's.
        dynamic_batch: leave the batch dim free; else fixed to
            ``batch_size``.
        with_decode: argmax-decode SimCC vectors or heatmaps in the graph.
        opset: ONNX opset, >= 17.
        fp16: float16 weights and activations (same inputs and outputs).

    Returns:
        the metadata dict written into the file.
    """
    if opset < MIN_OPSET:
        raise ValueError(f'opset must be >= {MIN_OPSET}, got {opset}')
    decoder, meta = pose_export_settings(model, input_size)
    input_size = tuple(meta['input_size'])
    model = model.eval()
    dummy = torch.zeros(batch_size,
                        input_size[1],
                        input_size[0],
                        3,
                        dtype=torch.uint8)
    if with_decode:
        kind, names = 'keypoints', DECODED_OUTPUTS
        wrapper = ExportWrapper(model, decoder.kind, decoder.argmax_scale())
        dropped = decoder.refinement()
        if dropped:
            warnings.warn(f'the model decoder refines with {dropped!r}; the '
                          'graph decodes with a plain argmax (export without '
                          '--with-decode to decode exactly in '
                          'rtmpose.runtime)')
    else:
        kind, wrapper = decoder.kind, ExportWrapper(model)
        names = get_output_kind(kind).output_names
    wrapper.eval()
    axes = {n: {0: 'batch'} for n in (INPUT_NAME, ) + names}
    proto = trace_to_proto(wrapper, dummy, output, opset, [INPUT_NAME],
                           list(names), axes if dynamic_batch else None)
    meta['outputs'] = kind
    if fp16:
        proto = to_fp16(proto)
        meta['precision'] = 'fp16'
    save_with_metadata(proto, meta, output)
    return meta
