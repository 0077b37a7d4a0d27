"""An exported ONNX model evaluated like a PyTorch one: ``tools/test.py
CONFIG model.onnx`` runs the config's test data through onnxruntime and its
metric, to check an export (fp32 or int8) against the checkpoint's AP."""
from typing import List, Optional

import numpy as np
from mmengine.model import BaseModel
from mmengine.structures import InstanceData

from rtmpose.deploy import OnnxPoseEstimator, decode_outputs
from rtmpose.registry import MODELS
from .topdown import TopdownPoseEstimator


@MODELS.register_module()
class OnnxTopdownEstimator(BaseModel):
    """Test-only estimator on an ONNX file from ``export_onnx``.

    Takes the batches of the test pipeline (uint8 BGR crops (3, h, w) from
    ``TopdownAffine``, no flip test) and returns data samples with
    ``pred_instances`` in image pixels, as
    :class:`TopdownPoseEstimator` does.

    Args:
        onnx_file: the exported model.
        num_threads: onnxruntime intra-op threads (default: its choice).
    """

    def __init__(self,
                 onnx_file: str,
                 num_threads: Optional[int] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        self.runtime = OnnxPoseEstimator(onnx_file, num_threads=num_threads)
        self.onnx_file = onnx_file

    def forward(self, inputs, data_samples=None, mode: str = 'predict'):
        if mode != 'predict':
            raise ValueError(f'OnnxTopdownEstimator ({self.onnx_file}) only '
                             f"predicts; mode {mode!r} needs the PyTorch "
                             'model and its checkpoint')
        crops = np.stack([np.asarray(t).transpose(1, 2, 0) for t in inputs
                          ]).astype(np.uint8, copy=False)
        size = tuple(self.runtime.input_size)
        if crops.shape[1:3] != size[::-1]:
            raise ValueError(f'test pipeline crops are {crops.shape[1:3]} '
                             f'(h, w); {self.onnx_file} takes {size[::-1]}')
        keypoints, scores = decode_outputs(
            self.runtime.forward(np.ascontiguousarray(crops)),
            self.runtime.meta)
        preds: List[InstanceData] = [
            InstanceData(keypoints=k[None], keypoint_scores=s[None])
            for k, s in zip(keypoints, scores)
        ]
        return TopdownPoseEstimator.add_pred_to_datasample(
            preds, data_samples)

    def test_step(self, data: dict) -> list:
        return self.forward(data['inputs'], data['data_samples'])

    val_step = test_step
