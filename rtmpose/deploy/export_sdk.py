"""Export to an mmdeploy 1.3 SDK model directory (needs torch and onnx).

The directory holds ``end2end.onnx`` and the SDK's ``deploy.json``,
``pipeline.json`` and ``detail.json`` (:mod:`rtmpose.deploy.sdk_info`), so
the same export runs in the mmdeploy SDK (``mmdeploy_runtime``, C/C++/C#/
Java), in rtmlib and in :mod:`rtmpose.runtime`:

- pose model: input ``input`` float32 (N, 3, h, w), the crop normalised as
  the model's data preprocessor does (channel order and mean/std: RGB for
  RTMPose and ViTPose); outputs ``simcc_x`` (N, K, Wx) and ``simcc_y``
  (N, K, Wy), or ``output`` heatmaps (N, K, h', w');
- detector: input ``input`` float32 (1, 3, h, w), the letterboxed image
  normalised as the detector expects (RTMDet: BGR); outputs ``dets``
  (1, D, 5) x1, y1, x2, y2 input pixels and score, and ``labels`` (1, D)
  int64, highest score first, after the model's test-time rules in the
  graph: per-level top ``nms_pre``, ``score_thr``, class-aware NMS (the
  standard ``NonMaxSuppression`` op), at most ``max_per_img``.

The ONNX file also carries the rtmpose metadata (``input_format`` says the
input is normalised float NCHW), which the SDK and rtmlib ignore.
"""
import os
import os.path as osp
from typing import Optional, Tuple

import numpy as np
import torch
from torch import Tensor, nn

from rtmpose.runtime.metadata import save_with_metadata
from .export import MIN_OPSET, pose_export_settings, trace_to_proto
from .export_detector import DetExportWrapper, detector_export_settings
from .fp16 import to_fp16
from .onnx_nms import NonMaxSuppression
from .sdk_info import (DET_OUTPUT_NAMES, INPUT_NAME, NET_FILE,
                       POSE_OUTPUT_NAMES, det_transforms, pose_postprocess,
                       pose_transforms, sdk_files, write_sdk_files)

class SdkPoseWrapper(nn.Module):
    """Normalised crops (N, 3, h, w) -> the head's raw outputs."""

    def __init__(self, model: nn.Module):
        super().__init__()
        self.model = model

    def forward(self, x: Tensor):
        return self.model(x, None, mode='tensor')


class SdkDetWrapper(nn.Module):
    """Normalised letterboxed image (1, 3, h, w) -> dets (1, D, 5), labels
    (1, D): the head's test-time rules (see the module docstring)."""

    def __init__(self, decoder: DetExportWrapper, postprocess: dict):
        super().__init__()
        self.decoder = decoder
        self.cfg = postprocess

    def forward(self, x: Tensor) -> Tuple[Tensor, Tensor]:
        cls_scores, bbox_preds = self.decoder.model(x, None, mode='tensor')
        scores, boxes = self.decoder.decode(cls_scores, bbox_preds)
        num_classes = scores.shape[-1]
        cand_scores, cand_labels, cand_boxes = [], [], []
        start = 0
        for level in cls_scores:
            size = level.shape[-2] * level.shape[-1]
            flat = scores[0, start:start + size].reshape(-1)
            k = flat.shape[0]
            if self.cfg['nms_pre'] > 0:
                k = min(k, self.cfg['nms_pre'])
            top, idx = flat.topk(k)
            cand_scores.append(top)
            cand_labels.append(idx % num_classes)
            cand_boxes.append(boxes[0, start + idx // num_classes])
            start += size
        cand_scores = torch.cat(cand_scores)
        cand_labels = torch.cat(cand_labels)
        cand_boxes = torch.cat(cand_boxes)
        if self.cfg['min_bbox_size'] >= 0:
            # input pixels (the image's, times the letterbox scale)
            wh = cand_boxes[:, 2:] - cand_boxes[:, :2]
            big = (wh > self.cfg['min_bbox_size']).all(1)
            cand_scores = cand_scores * big.to(cand_scores.dtype)
        classes = torch.arange(num_classes)[:, None]
        per_class = cand_scores[None] * (cand_labels[None] == classes).to(
            cand_scores.dtype)
        max_per_img = self.cfg['max_per_img']
        selected = NonMaxSuppression.apply(
            cand_boxes[None], per_class[None],
            max_per_img if max_per_img > 0 else cand_scores.shape[0],
            self.cfg['iou_threshold'], self.cfg['score_thr'])
        keep = selected[:, 2]
        order = torch.sort(cand_scores[keep], descending=True).indices
        keep = keep[order]
        if max_per_img > 0:
            keep = keep[:max_per_img]
        dets = torch.cat([cand_boxes[keep], cand_scores[keep, None]], 1)
        return dets[None], cand_labels[keep][None]


def _normalisation(model) -> dict:
    """mean, std (in the model's channel order) and to_rgb of the model's
    input: a pose model's ``input_spec``, a detector's config."""
    spec = getattr(model, 'input_spec', None)
    if spec is not None:
        mean, std, to_rgb = spec.mean, spec.std, spec.bgr_to_rgb
    else:
        pre = model.cfg.model.get('data_preprocessor') or {}
        mean, std = pre.get('mean'), pre.get('std')
        to_rgb = pre.get('bgr_to_rgb', False)
    return dict(mean=[_decimal(v) for v in (mean or (0., 0., 0.))],
                std=[_decimal(v) for v in (std or (1., 1., 1.))],
                to_rgb=bool(to_rgb))


def _decimal(value: float) -> float:
    """The shortest decimal of ``value`` as a float32 (123.675, not the
    123.67500305 a float32 buffer holds): the config's number."""
    return float(str(np.float32(value)))


def export_sdk(model: nn.Module,
               out_dir: str,
               fp16: bool = False,
               dynamic_batch: bool = True,
               opset: int = MIN_OPSET,
               config: str = '',
               checkpoint: Optional[str] = None) -> dict:
    """Write the SDK model directory of ``model`` (a top-down pose model or
    an RTMDet, from ``init_model``) to ``out_dir``.

    Args:
        fp16: float16 weights and activations (float32 inputs/outputs).
        dynamic_batch: leave the pose graph's batch free (detectors: 1).
        config, checkpoint: recorded in ``detail.json``.

    Returns:
        the rtmpose metadata written into ``end2end.onnx``.
    """
    if opset < MIN_OPSET:
        raise ValueError(f'opset must be >= {MIN_OPSET}, got {opset}')
    os.makedirs(out_dir, exist_ok=True)
    norm = _normalisation(model)
    name = model.cfg.model.type.lower()
    if hasattr(model, 'bbox_head'):
        decoder, meta = detector_export_settings(model)
        wrapper = SdkDetWrapper(decoder, meta['postprocess']).eval()
        outputs, kind, batched = DET_OUTPUT_NAMES, 'dets', False
        transforms = det_transforms(
            meta['input_size'], meta['pad_val'],
            model.cfg.model.data_preprocessor.get('pad_size_divisor', 1),
            **norm)
        post = dict(type='ResizeBBox',
                    params=dict(model.bbox_head.test_cfg or {}))
        task = 'ObjectDetection'
    else:
        codec, meta = pose_export_settings(model)
        wrapper = SdkPoseWrapper(model.eval()).eval()
        kind, batched = codec.kind, dynamic_batch
        outputs = POSE_OUTPUT_NAMES[kind]
        transforms = pose_transforms(meta['input_size'],
                                     meta['bbox_padding'], meta['use_udp'],
                                     **norm)
        post = pose_postprocess(kind, dict(model.cfg.model.head.decoder),
                                dict(model.test_cfg or {}), meta['use_udp'])
        task = 'PoseDetection'
    meta.update(outputs=kind, input_format=dict(name=INPUT_NAME, **norm))
    w, h = meta['input_size']
    path = osp.join(out_dir, NET_FILE)
    axes = {n: {0: 'batch'} for n in (INPUT_NAME, ) + tuple(outputs)}
    proto = trace_to_proto(wrapper, torch.zeros(1, 3, h, w), path, opset,
                           [INPUT_NAME], list(outputs),
                           axes if batched else None)
    if fp16:
        proto = to_fp16(proto)
        meta['precision'] = 'fp16'
    save_with_metadata(proto, meta, path)
    write_sdk_files(
        sdk_files(task, name, transforms, post, outputs, batched,
                  'FP16' if fp16 else 'FP32', (w, h), opset, config,
                  checkpoint or ''), out_dir)
    return meta
