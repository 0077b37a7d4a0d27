"""An exported detector evaluated like the PyTorch one: ``tools/test.py
DET_CONFIG det.onnx`` runs the config's test data through onnxruntime and
``CocoDetMetric``, to check an export (fp32 or int8) against the
checkpoint's box AP."""
from typing import Optional

import numpy as np
import torch
from mmengine.model import BaseModel
from mmengine.structures import InstanceData

from rtmpose.deploy import OnnxDetector
from rtmpose.registry import MODELS


@MODELS.register_module()
class OnnxRTMDet(BaseModel):
    """Test-only detector on an ONNX file from ``export_detector_onnx``.

    Takes the batches of the test pipeline (uint8 BGR (3, h, w) images,
    resized keeping the ratio and padded to the exported input size) and
    returns the data samples with ``pred_instances`` (``bboxes`` xyxy
    original-image pixels, ``scores``, ``labels``), post-processed by the
    numpy runtime as :class:`~rtmpose.deploy.OnnxDetector` does.

    Args:
        onnx_file: the exported detector.
        num_threads: onnxruntime intra-op threads.
    """

    def __init__(self,
                 onnx_file: str,
                 num_threads: Optional[int] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        self.runtime = OnnxDetector(onnx_file, num_threads=num_threads)
        self.onnx_file = onnx_file

    def forward(self, inputs, data_samples=None, mode: str = 'predict'):
        if mode != 'predict':
            raise ValueError(f'OnnxRTMDet ({self.onnx_file}) only predicts; '
                             f'mode {mode!r} needs the PyTorch model')
        size = tuple(self.runtime.input_size)
        for img, sample in zip(inputs, data_samples):
            image = np.asarray(img).transpose(1, 2, 0).astype(np.uint8)
            if image.shape[:2] != size[::-1]:
                raise ValueError(f'test pipeline images are '
                                 f'{image.shape[:2]} (h, w); '
                                 f'{self.onnx_file} takes {size[::-1]}')
            outputs = self.runtime.forward(np.ascontiguousarray(image[None]))
            meta = sample.metainfo
            bboxes, scores, labels = self.runtime.postprocess(
                outputs, (meta['scale_factor'], meta['ori_shape']))
            sample.pred_instances = InstanceData(
                bboxes=torch.from_numpy(bboxes),
                scores=torch.from_numpy(scores),
                labels=torch.from_numpy(labels))
        return list(data_samples)

    def test_step(self, data: dict) -> list:
        return self.forward(data['inputs'], data['data_samples'])

    val_step = test_step
