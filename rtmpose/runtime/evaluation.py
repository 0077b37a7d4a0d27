"""Exported models evaluated like PyTorch ones: ``tools/test.py CONFIG
model.onnx`` runs the config's test data through onnxruntime and its metric,
to check an export (fp32, fp16 or int8) against the checkpoint's AP.

These two adapters are MMEngine models (torch, mmengine): the only module of
``rtmpose.runtime`` that needs them, and not imported by the package; the
registry finds them by name (``OnnxTopdownEstimator``, ``OnnxRTMDet``).
"""
from typing import List, Optional

import numpy as np
import torch
from mmengine.model import BaseModel
from mmengine.structures import InstanceData

from rtmpose.models.pose_estimators import TopdownPoseEstimator
from rtmpose.registry import MODELS
from .detector import OnnxDetector
from .pose_estimator import OnnxPoseEstimator
from .postprocess import decode_outputs


class _OnnxTestModel(BaseModel):
    """Test-only model on an exported file: ``test_step`` = ``val_step`` =
    ``forward(mode='predict')``; other modes need the PyTorch model."""

    def __init__(self, onnx_file: str, init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        self.onnx_file = onnx_file

    def forward(self, inputs, data_samples=None, mode: str = 'predict'):
        if mode != 'predict':
            raise ValueError(f'{type(self).__name__} ({self.onnx_file}) only '
                             f"predicts; mode {mode!r} needs the PyTorch "
                             'model and its checkpoint')
        return self.predict(inputs, data_samples)

    def _check_size(self, hw: tuple, what: str) -> None:
        size = tuple(self.runtime.input_size)
        if tuple(hw) != size[::-1]:
            raise ValueError(f'test pipeline {what} are {tuple(hw)} (h, w); '
                             f'{self.onnx_file} takes {size[::-1]}')

    def test_step(self, data: dict) -> list:
        return self.forward(data['inputs'], data['data_samples'])

    val_step = test_step


@MODELS.register_module()
class OnnxTopdownEstimator(_OnnxTestModel):
    """A pose model exported by ``rtmpose.deploy``.

    Takes the batches of the test pipeline (uint8 BGR crops (3, h, w) of
    the affine crop, no flip test) and returns data samples with
    ``pred_instances`` in image pixels, as :class:`TopdownPoseEstimator`
    does.

    Args:
        onnx_file: the exported model (file or mmdeploy directory).
        num_threads: onnxruntime intra-op threads (default: its choice).
    """

    def __init__(self,
                 onnx_file: str,
                 num_threads: Optional[int] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(onnx_file, init_cfg)
        self.runtime = OnnxPoseEstimator(onnx_file, num_threads=num_threads)

    def predict(self, inputs, data_samples) -> list:
        crops = np.stack([np.asarray(t).transpose(1, 2, 0) for t in inputs
                          ]).astype(np.uint8, copy=False)
        self._check_size(crops.shape[1:3], 'crops')
        keypoints, scores = decode_outputs(
            self.runtime.forward(np.ascontiguousarray(crops)),
            self.runtime.meta)
        preds: List[InstanceData] = [
            InstanceData(keypoints=k[None], keypoint_scores=s[None])
            for k, s in zip(keypoints, scores)
        ]
        return TopdownPoseEstimator.add_pred_to_datasample(
            preds, data_samples)


@MODELS.register_module()
class OnnxRTMDet(_OnnxTestModel):
    """A detector exported by ``rtmpose.deploy``.

    Takes the batches of the test pipeline (uint8 BGR (3, h, w) images,
    resized keeping the ratio and padded to the exported input size) and
    returns the data samples with ``pred_instances`` (``bboxes`` xyxy
    original-image pixels, ``scores``, ``labels``), post-processed as
    :class:`~rtmpose.runtime.OnnxDetector` does.

    Args:
        onnx_file: the exported detector.
        num_threads: onnxruntime intra-op threads.
    """

    def __init__(self,
                 onnx_file: str,
                 num_threads: Optional[int] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(onnx_file, init_cfg)
        self.runtime = OnnxDetector(onnx_file, num_threads=num_threads)

    def predict(self, inputs, data_samples) -> list:
        for img, sample in zip(inputs, data_samples):
            image = np.asarray(img).transpose(1, 2, 0).astype(np.uint8)
            self._check_size(image.shape[:2], 'images')
            outputs = self.runtime.forward(np.ascontiguousarray(image[None]))
            meta = sample.metainfo
            bboxes, scores, labels = self.runtime.postprocess(
                outputs, (meta['scale_factor'], meta['ori_shape']))
            sample.pred_instances = InstanceData(
                bboxes=torch.from_numpy(bboxes),
                scores=torch.from_numpy(scores),
                labels=torch.from_numpy(labels))
        return list(data_samples)
