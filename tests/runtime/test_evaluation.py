"""OnnxTopdownEstimator: an exported model in the test loop."""
import os.path as osp

import numpy as np
import pytest
import torch

pytest.importorskip('onnxruntime')
pytest.importorskip('onnx')

from rtmpose.apis import init_model  # noqa: E402
from rtmpose.deploy.export import export_onnx  # noqa: E402
from rtmpose.deploy.export_sdk import export_sdk  # noqa: E402
from rtmpose.runtime.evaluation import OnnxTopdownEstimator  # noqa: E402
from rtmpose.structures import PoseDataSample  # noqa: E402

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


@pytest.mark.parametrize('fmt', ['rtmpose', 'mmdeploy'])
def test_predicts_as_pytorch_and_refuses_training(tmp_path, fmt):
    """Either export format: an .onnx file or an SDK directory."""
    torch.manual_seed(0)
    model = init_model(osp.join(ROOT, 'configs/demo/rtmpose-t_demo.py'))
    model.head.init_weights()
    model.test_cfg['flip_test'] = False
    if fmt == 'rtmpose':
        path = str(tmp_path / 'demo.onnx')
        export_onnx(model, path, dynamic_batch=True)
    else:
        path = str(tmp_path / 'demo-sdk')
        export_sdk(model, path)
    onnx_model = OnnxTopdownEstimator(path, num_threads=1)

    crops = torch.randint(0, 256, (2, 3, 128, 96), dtype=torch.uint8)

    def samples():
        out = []
        for i in range(2):
            sample = PoseDataSample()
            sample.set_metainfo(
                dict(input_center=np.array([100. + i, 80.]),
                     input_scale=np.array([120., 160.]),
                     input_size=(96, 128)))
            out.append(sample)
        return out

    got = onnx_model.test_step(dict(inputs=list(crops),
                                    data_samples=samples()))
    with torch.no_grad():
        ref = model.test_step(dict(inputs=list(crops),
                                   data_samples=samples()))
    for g, r in zip(got, ref):
        np.testing.assert_allclose(g.pred_instances.keypoints,
                                   r.pred_instances.keypoints,
                                   atol=1e-3)
    with pytest.raises(ValueError, match='only predicts'):
        onnx_model(crops, samples(), mode='loss')
    with pytest.raises(ValueError, match=r'takes \(128, 96\)'):
        onnx_model.test_step(
            dict(inputs=list(torch.zeros(1, 3, 64, 48, dtype=torch.uint8)),
                 data_samples=samples()[:1]))
