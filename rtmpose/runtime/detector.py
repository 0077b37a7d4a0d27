"""Run an exported detector with onnxruntime (no torch)."""
from typing import Optional, Tuple

import numpy as np

from .det_postprocess import postprocess_detections, rescale_detections
from .preprocess import letterbox, network_input
from .session import open_session


class OnnxDetector:
    """Image -> boxes of an exported RTMDet (``tools/deploy/export_onnx.py``
    on a detector config).

    Stages: :meth:`preprocess` (letterbox), :meth:`forward` (onnxruntime),
    :meth:`postprocess` (per-level top-k, rescale, NMS, in numpy);
    ``detector(img, frame_id, name)`` runs all three and keeps the boxes
    scored >= ``score_thr``: a detector for :class:`PoseInferencer` and
    :class:`~rtmpose.runtime.OnnxTopdownPipeline`.

    Args:
        onnx_file: the exported detector (``.onnx`` file or mmdeploy SDK
            directory).
        score_thr: boxes scored below it are dropped (after the model's own
            post-processing, whose threshold is in the metadata).
        num_threads: onnxruntime intra-op threads.
        device: onnxruntime device (see ``providers_for``).
    """

    def __init__(self,
                 onnx_file: str,
                 score_thr: float = 0.5,
                 num_threads: Optional[int] = None,
                 device: str = 'cpu'):
        self.session, self.meta = open_session(onnx_file, 'ONNX detector',
                                               num_threads, device)
        if self.meta.get('task') != 'detection':
            raise ValueError(f'{onnx_file} is not an exported detector '
                             f'(task {self.meta.get("task", "pose")!r})')
        self.input_size = tuple(self.meta['input_size'])
        self.score_thr = score_thr
        self.input_name = self.session.get_inputs()[0].name

    def preprocess(self, img: np.ndarray
                   ) -> Tuple[np.ndarray, Tuple[Tuple[float, float], tuple]]:
        """(H, W, 3) BGR image -> (1, h, w, 3) uint8 input and (scale
        factor (w, h), original shape (H, W))."""
        if img.ndim != 3 or img.shape[2] != 3:
            raise ValueError('OnnxDetector: img must be (H, W, 3) BGR, got '
                             f'shape {img.shape}')
        if img.dtype != np.uint8:
            img = np.clip(img, 0, 255).astype(np.uint8)
        padded, factor = letterbox(img, self.input_size,
                                   self.meta['pad_val'])
        return padded[None], (factor, img.shape[:2])

    def forward(self, inputs: np.ndarray) -> list:
        """(1, h, w, 3) uint8 -> the graph outputs: [scores (1, A, C),
        boxes (1, A, 4)], or for an mmdeploy-format export [dets (1, D, 5),
        labels (1, D)]."""
        inputs = network_input(inputs, self.meta.get('input_format'))
        return self.session.run(None, {self.input_name: inputs})

    def postprocess(self, outputs: list, info) -> Tuple[np.ndarray, ...]:
        """-> bboxes (K, 4) xyxy image pixels, scores (K,), labels (K,)."""
        factor, ori_shape = info
        if self.meta.get('outputs') == 'dets':
            return rescale_detections(outputs[0][0], outputs[1][0], factor,
                                      ori_shape)
        return postprocess_detections(outputs[0][0], outputs[1][0],
                                      self.meta['level_sizes'], factor,
                                      ori_shape, self.meta['postprocess'])

    def detect(self, img: np.ndarray) -> Tuple[np.ndarray, ...]:
        """All detections of ``img``: bboxes, scores, labels."""
        inputs, info = self.preprocess(img)
        return self.postprocess(self.forward(inputs), info)

    def __call__(self,
                 img: np.ndarray,
                 frame_id: int = 0,
                 name: Optional[str] = None) -> Tuple[np.ndarray, np.ndarray]:
        bboxes, scores, _ = self.detect(img)
        keep = scores >= self.score_thr
        return bboxes[keep], scores[keep]
