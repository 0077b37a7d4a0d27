"""PyTorch pose backend of the video pipeline: crop, forward, decode.

A pose backend has ``dataset_meta`` (dict, see ``parse_pose_metainfo``) and
three stages, timed separately by :class:`~rtmpose.apis.PoseInferencer`:

- ``preprocess(img, bboxes) -> (batch, crop_info)``: affine person crops;
- ``forward(batch) -> outputs``: the network;
- ``postprocess(outputs, crop_info) -> (keypoints (N, K, 2) image pixels,
  scores (N, K))``: decoding.

:class:`TorchPoseBackend` (eager PyTorch) and
:class:`rtmpose.runtime.OnnxPoseEstimator` (onnxruntime) implement it with the
same crops and decoding, so the two give the same keypoints.
"""
from typing import Tuple

import numpy as np
import torch
from torch import nn

from rtmpose.runtime.preprocess import crop_persons
from rtmpose.structures.bbox import input_to_image


class TorchPoseBackend:
    """Eager PyTorch backend for a model from :func:`init_model`.

    One pass per crop batch, no flip test (as the exported ONNX models; use
    :func:`inference_topdown` for the config's test-time settings).
    """

    def __init__(self, model: nn.Module):
        if not hasattr(model, 'dataset_meta'):
            raise AttributeError('TorchPoseBackend: model has no '
                                 "'dataset_meta'; build it with "
                                 'rtmpose.apis.init_model')
        spec = getattr(model, 'input_spec', None)
        if spec is None:
            raise ValueError('TorchPoseBackend: the model has no input_spec '
                             '(a top-down estimator with a head codec)')
        self.model = model
        self.decoder = spec.codec
        self.dataset_meta = model.dataset_meta
        self.input_size = spec.input_size
        self.padding = spec.bbox_padding
        self.use_udp = spec.use_udp
        self.device = next(model.parameters()).device

    def preprocess(
        self, img: np.ndarray, bboxes: np.ndarray
    ) -> Tuple[np.ndarray, Tuple[np.ndarray, np.ndarray]]:
        """(H, W, 3) uint8 BGR, (N, 4) xyxy -> crops (N, h, w, 3) uint8 and
        their (centers, scales)."""
        crops, centers, scales = crop_persons(img, bboxes, self.input_size,
                                              self.padding, self.use_udp)
        return crops, (centers, scales)

    def forward(self, crops: np.ndarray) -> Tuple[np.ndarray, ...]:
        """Crops (N, h, w, 3) uint8 -> head outputs as numpy arrays."""
        inputs = torch.from_numpy(crops).to(self.device).permute(0, 3, 1, 2)
        with torch.inference_mode():
            data = self.model.data_preprocessor(dict(inputs=inputs))
            outputs = self.model(data['inputs'], None, mode='tensor')
        if isinstance(outputs, torch.Tensor):
            outputs = (outputs, )
        return tuple(o.float().cpu().numpy() for o in outputs)

    def postprocess(
        self, outputs: Tuple[np.ndarray, ...],
        crop_info: Tuple[np.ndarray,
                         np.ndarray]) -> Tuple[np.ndarray, np.ndarray]:
        """Head outputs -> keypoints (N, K, 2) image pixels, scores (N, K)."""
        keypoints, scores = self.decoder.decode(*outputs)
        centers, scales = crop_info
        keypoints = input_to_image(keypoints, centers[:, None],
                                   scales[:, None], self.input_size,
                                   self.use_udp)
        return keypoints.astype(np.float32), np.asarray(scores, np.float32)
