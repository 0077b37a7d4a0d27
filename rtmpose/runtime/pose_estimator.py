"""Run an exported top-down pose model with onnxruntime (no torch)."""
from typing import Optional, Tuple

import numpy as np

from rtmpose.structures.bbox import input_to_image
from .postprocess import decode_outputs
from .preprocess import crop_persons, network_input
from .session import open_session


class OnnxPoseEstimator:
    """Person boxes of an image -> keypoints in image pixels.

    Stages (timed separately by the video pipeline): :meth:`preprocess`
    (affine crops), :meth:`forward` (onnxruntime), :meth:`postprocess`
    (decode and map back); :meth:`__call__` runs all three.

    Args:
        onnx_file: a model written by ``tools/deploy/export_onnx.py``: an
            ``.onnx`` file or an mmdeploy SDK directory (``--format
            mmdeploy``).
        num_threads: onnxruntime intra-op threads (default: its own choice).
        device: 'cpu', 'cuda[:N]', 'openvino', 'coreml', ... (the
            onnxruntime execution provider, see ``providers_for``).
    """

    def __init__(self,
                 onnx_file: str,
                 num_threads: Optional[int] = None,
                 device: str = 'cpu'):
        self.session, self.meta = open_session(onnx_file, 'ONNX model',
                                               num_threads, device)
        self.input_name = self.session.get_inputs()[0].name
        self.input_format = self.meta.get('input_format')
        self.input_size = tuple(self.meta['input_size'])
        shape = self.session.get_inputs()[0].shape
        # a fixed batch dim (int) means one forward per crop
        self.fixed_batch = shape[0] if isinstance(shape[0], int) else None
        self.dataset_meta = self.meta['dataset_meta']

    def preprocess(
        self, img: np.ndarray, bboxes: np.ndarray
    ) -> Tuple[np.ndarray, Tuple[np.ndarray, np.ndarray]]:
        """(H, W, 3) uint8 BGR image, (N, 4) xyxy boxes -> crops
        (N, h, w, 3) uint8 and the crops' (centers, scales)."""
        crops, centers, scales = crop_persons(img, bboxes, self.input_size,
                                              self.meta['bbox_padding'],
                                              self.meta['use_udp'])
        return crops, (centers, scales)

    def forward(self, crops: np.ndarray) -> list:
        """Crops (N, h, w, 3) uint8, N >= 1 -> the graph's outputs (numpy)."""
        if len(crops) == 0:
            raise ValueError('OnnxPoseEstimator.forward: no crops')
        inputs = network_input(crops, self.input_format)
        if self.fixed_batch is None:
            return self.session.run(None, {self.input_name: inputs})
        if self.fixed_batch != 1:
            raise ValueError(f'model has a fixed batch of {self.fixed_batch};'
                             ' export with --dynamic-batch or batch 1')
        runs = [
            self.session.run(None, {self.input_name: x[None]})
            for x in inputs
        ]
        return [np.concatenate(parts) for parts in zip(*runs)]

    def postprocess(
        self, outputs: list,
        crop_info: Tuple[np.ndarray,
                         np.ndarray]) -> Tuple[np.ndarray, np.ndarray]:
        """Graph outputs -> keypoints (N, K, 2) image pixels, scores (N, K)."""
        keypoints, scores = decode_outputs(outputs, self.meta)
        centers, scales = crop_info
        keypoints = input_to_image(keypoints, centers[:, None],
                                   scales[:, None], self.input_size,
                                   self.meta['use_udp'])
        return keypoints.astype(np.float32), scores.astype(np.float32)

    def __call__(self, img: np.ndarray,
                 bboxes: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Keypoints (N, K, 2) image pixels and scores (N, K) of the boxes
        (N, 4) xyxy of ``img`` (H, W, 3) uint8 BGR."""
        if len(bboxes) == 0:
            k = len(self.dataset_meta['keypoint_names'])
            return np.zeros((0, k, 2), np.float32), np.zeros((0, k),
                                                             np.float32)
        crops, info = self.preprocess(img, bboxes)
        return self.postprocess(self.forward(crops), info)
