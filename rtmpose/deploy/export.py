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

from rtmpose.codecs import BaseKeypointCodec
from rtmpose.datasets.transforms.crop_settings import crop_settings
from rtmpose.fileio import temp_name_for
from rtmpose.registry import KEYPOINT_CODECS
from rtmpose.runtime.metadata import (FORMAT_VERSION, INPUT_NAME,
                                      OUTPUT_NAMES, save_with_metadata)

MIN_OPSET = 17


def _simcc_argmax(simcc_x: Tensor, simcc_y: Tensor):
    """Bins (N, K) of each axis' maximum; score: the smaller maximum."""
    (x_max, x_loc), (y_max, y_loc) = simcc_x.max(-1), simcc_y.max(-1)
    return x_loc, y_loc, torch.minimum(x_max, y_max)


def _heatmap_argmax(heatmaps: Tensor):
    """Pixel (N, K) of each map's maximum and that maximum."""
    width = heatmaps.shape[-1]
    scores, idx = heatmaps.flatten(2).max(-1)
    return idx % width, torch.div(idx, width, rounding_mode='floor'), scores


# codec kind (``BaseKeypointCodec.kind``) -> plain argmax of its outputs in
# the graph; the exact decoding is ``rtmpose.codecs.DECODERS``
GRAPH_ARGMAX = {'simcc': _simcc_argmax, 'heatmaps': _heatmap_argmax}


class ExportWrapper(nn.Module):
    """uint8 BGR crops (N, h, w, 3) -> model outputs, see module docstring.

    Args:
        model: a top-down estimator in eval mode (from ``init_model``).
        decode_kind: None: return the raw outputs; else the codec kind whose
            outputs the graph decodes by a plain argmax (SimCC: both axes;
            heatmaps: over the map), locations multiplied by
            ``decode_scale`` (sx, sy), input pixels per bin or heatmap
            pixel.
    """

    def __init__(self,
                 model: nn.Module,
                 decode_kind: Optional[str] = None,
                 decode_scale: Tuple[float, float] = (1., 1.)):
        super().__init__()
        self.model = model
        pre = model.data_preprocessor
        self.bgr_to_rgb = bool(getattr(pre, '_channel_conversion', False))
        if getattr(pre, '_enable_normalize', False):
            self.register_buffer('mean', pre.mean.reshape(1, -1, 1, 1).float())
            self.register_buffer('std', pre.std.reshape(1, -1, 1, 1).float())
        else:
            self.mean = self.std = None
        self.argmax = None if decode_kind is None else GRAPH_ARGMAX[
            decode_kind]
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


def export_onnx(model: nn.Module,
                output: str,
                input_size: Optional[Tuple[int, int]] = None,
                dynamic_batch: bool = False,
                with_decode: bool = False,
                opset: int = MIN_OPSET,
                batch_size: int = 1) -> dict:
    """Write ``model`` (from ``init_model``) as ONNX with rtmpose metadata.

    Args:
        model: top-down estimator with ``cfg`` and ``dataset_meta``.
        output: the .onnx file to write.
        input_size: (w, h) of the crops; default (and, for heads with a
            fixed input size, the only choice) the config's.
        dynamic_batch: leave the batch dim free; else fixed to
            ``batch_size``.
        with_decode: argmax-decode SimCC vectors or heatmaps in the graph.
        opset: ONNX opset, >= 17.

    Returns:
        the metadata dict written into the file.
    """
    if opset < MIN_OPSET:
        raise ValueError(f'opset must be >= {MIN_OPSET}, got {opset}')
    settings = crop_settings(model.cfg)
    head_size = getattr(model.head, 'input_size', None)
    if input_size is None:
        input_size = settings['input_size']
    input_size = (int(input_size[0]), int(input_size[1]))
    if head_size is not None and tuple(head_size) != input_size:
        raise ValueError(f'input_size {input_size} (w, h) differs from the '
                         f'head input_size {tuple(head_size)}, which fixes '
                         'the SimCC bins; export at the config size')
    decoder = getattr(model.head, 'decoder', None)
    if not isinstance(decoder, BaseKeypointCodec):
        raise ValueError('export needs the head to have a codec as '
                         '`decoder` (its settings are stored for decoding), '
                         f'got {type(decoder).__name__}')
    model = model.eval()
    dummy = torch.zeros(batch_size,
                        input_size[1],
                        input_size[0],
                        3,
                        dtype=torch.uint8)
    if decoder.kind == 'heatmaps':
        with torch.no_grad():
            outputs = ExportWrapper(model).eval()(dummy)
        heatmap_size = (int(outputs.shape[-1]), int(outputs.shape[-2]))
        if heatmap_size != tuple(decoder.heatmap_size):
            # another input size: the same codec at the exported sizes
            decoder = KEYPOINT_CODECS.build(
                dict(model.cfg.model.head.decoder,
                     input_size=input_size,
                     heatmap_size=heatmap_size))
    if with_decode:
        kind = 'keypoints'
        wrapper = ExportWrapper(model, decoder.kind, decoder.argmax_scale())
        dropped = decoder.refinement()
        if dropped:
            warnings.warn(f'the model decoder refines with {dropped!r}; the '
                          'graph decodes with a plain argmax (export without '
                          '--with-decode to decode exactly in rtmpose.runtime)')
    else:
        kind, wrapper = decoder.kind, ExportWrapper(model)
    wrapper.eval()
    names = OUTPUT_NAMES[kind]
    axes = {n: {0: 'batch'} for n in (INPUT_NAME, ) + names}
    proto = trace_to_proto(wrapper, dummy, output, opset, [INPUT_NAME],
                           list(names), axes if dynamic_batch else None)
    meta = dict(format_version=FORMAT_VERSION,
                input_size=list(input_size),
                outputs=kind,
                decode=decoder.decode_args(),
                bbox_padding=settings['padding'],
                use_udp=settings['use_udp'],
                dataset_meta=_dataset_meta_json(model.dataset_meta))
    save_with_metadata(proto, meta, output)
    return meta
