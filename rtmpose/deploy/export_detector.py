"""Export an RTMDet detector to ONNX (needs torch and onnx; the runtime,
:class:`rtmpose.runtime.OnnxDetector`, does not).

The graph takes one (1, h, w, 3) uint8 BGR letterboxed image, normalises it
as ``DetDataPreprocessor`` does (BGR kept), runs the network and decodes
every prior: ``scores`` (1, A, C) sigmoid and ``boxes`` (1, A, 4) xyxy input
pixels clamped to the input (the head's distance decoding). The data-
dependent rest (per-level score threshold and top-k, rescale, NMS, at most
``max_per_img``) runs in numpy (``rtmpose.runtime.det_postprocess``) with the
test_cfg stored in the metadata.
"""
from typing import List, Tuple

import torch
from torch import Tensor, nn

from rtmpose.runtime.metadata import (DET_INPUT_NAME, DET_OUTPUTS,
                                      FORMAT_VERSION, save_with_metadata)
from .export import MIN_OPSET, trace_to_proto
from .fp16 import to_fp16


class DetExportWrapper(nn.Module):
    """(1, h, w, 3) uint8 BGR -> (scores (1, A, C), boxes (1, A, 4))."""

    def __init__(self, model: nn.Module, input_size):
        super().__init__()
        self.model = model
        pre = model.data_preprocessor
        if getattr(pre, '_channel_conversion', False):
            raise NotImplementedError('export: detectors that swap BGR to '
                                      'RGB are not supported')
        self.register_buffer('mean', pre.mean.reshape(1, -1, 1, 1).float())
        self.register_buffer('std', pre.std.reshape(1, -1, 1, 1).float())
        self.input_hw = (int(input_size[1]), int(input_size[0]))

    def level_sizes(self) -> List[int]:
        dummy = torch.zeros((1, ) + self.input_hw + (3, ), dtype=torch.uint8)
        with torch.no_grad():
            cls_scores, _ = self._head_outputs(dummy)
        return [int(s.shape[-2] * s.shape[-1]) for s in cls_scores]

    def _head_outputs(self, images: Tensor):
        x = (images.permute(0, 3, 1, 2).float() - self.mean) / self.std
        return self.model(x, None, mode='tensor')

    def forward(self, images: Tensor):
        return self.decode(*self._head_outputs(images))

    def decode(self, cls_scores, bbox_preds):
        """Head outputs -> (scores (1, A, C), boxes (1, A, 4))."""
        head = self.model.bbox_head
        priors = head.prior_generator.grid_priors(
            [s.shape[-2:] for s in cls_scores], dtype=cls_scores[0].dtype)
        num_classes = cls_scores[0].shape[1]
        scores = torch.cat([
            s.permute(0, 2, 3, 1).reshape(1, -1, num_classes)
            for s in cls_scores
        ], 1).sigmoid()
        dists = torch.cat(
            [b.permute(0, 2, 3, 1).reshape(1, -1, 4) for b in bbox_preds], 1)
        boxes = head.bbox_coder.decode(torch.cat(priors), dists,
                                       max_shape=self.input_hw)
        return scores, boxes


def detector_export_settings(model: nn.Module
                             ) -> Tuple[DetExportWrapper, dict]:
    """The decoding wrapper of the detector ``model`` (from ``init_model``)
    at its test pipeline's input size, and the metadata of its export
    (``task='detection'``, see ``rtmpose.runtime.metadata``)."""
    input_size, pad_val = _letterbox_settings(model.cfg)
    wrapper = DetExportWrapper(model.eval(), input_size).eval()
    test_cfg = dict(model.bbox_head.test_cfg or {})
    if 'nms' not in test_cfg:
        raise ValueError('export: the detector test_cfg has no nms')
    meta = dict(
        format_version=FORMAT_VERSION,
        task='detection',
        input_size=list(input_size),
        pad_val=pad_val,
        level_sizes=wrapper.level_sizes(),
        postprocess=dict(
            score_thr=float(test_cfg.get('score_thr', 0)),
            nms_pre=int(test_cfg.get('nms_pre', -1)),
            iou_threshold=float(test_cfg['nms']['iou_threshold']),
            max_per_img=int(test_cfg.get('max_per_img', -1)),
            min_bbox_size=float(test_cfg.get('min_bbox_size', -1))),
        classes=list(model.dataset_meta.get('classes', ('person', ))))
    return wrapper, meta


def export_detector_onnx(model: nn.Module,
                         output: str,
                         opset: int = MIN_OPSET,
                         fp16: bool = False) -> dict:
    """Write the detector ``model`` (from ``init_model``) as ONNX with
    rtmpose metadata at its test pipeline's input size (``fp16``: float16
    weights and activations). Returns the metadata."""
    if opset < MIN_OPSET:
        raise ValueError(f'opset must be >= {MIN_OPSET}, got {opset}')
    wrapper, meta = detector_export_settings(model)
    w, h = meta['input_size']
    dummy = torch.zeros((1, h, w, 3), dtype=torch.uint8)
    proto = trace_to_proto(wrapper, dummy, output, opset, [DET_INPUT_NAME],
                           list(DET_OUTPUTS))
    if fp16:
        proto = to_fp16(proto)
        meta['precision'] = 'fp16'
    save_with_metadata(proto, meta, output)
    return meta


def _letterbox_settings(cfg):
    """(w, h) and pad value of the test pipeline's Resize + Pad."""
    steps = {t['type']: t for t in cfg.test_dataloader.dataset.pipeline}
    if 'Resize' not in steps or not steps['Resize'].get('keep_ratio'):
        raise ValueError('export: the detector test pipeline needs a '
                         'keep-ratio Resize')
    scale = steps['Resize']['scale']
    size = (scale, scale) if isinstance(scale, int) else tuple(scale)
    pad = steps.get('Pad', {})
    if tuple(pad.get('size', size)) != size:
        raise ValueError(f'export: Pad size {pad.get("size")} differs from '
                         f'the Resize scale {size}')
    value = pad.get('pad_val', 0)
    value = value.get('img', 0) if isinstance(value, dict) else value
    if not isinstance(value, (int, float)):
        if len(set(value)) != 1:
            raise ValueError('export: per-channel pad values differ')
        value = value[0]
    return (int(size[0]), int(size[1])), float(value)
