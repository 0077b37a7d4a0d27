"""Exports of the demo-sized models (see ``demo_exports``), made once per
test session: the mmdeploy SDK directories of the pose model and detectors
and the rtmpose-format detector."""
import os.path as osp
import sys

import pytest

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))


@pytest.fixture(scope='session')
def sdk_exports(tmp_path_factory):
    """{'pose', 'det', 'aligned_det'} -> (model, SDK directory)."""
    pytest.importorskip('onnx')
    pytest.importorskip('onnxruntime')
    import demo_exports as demo
    from rtmpose.deploy.export_sdk import export_sdk

    root = tmp_path_factory.mktemp('sdk')
    out = {}
    for name, build in (('pose', demo.pose_model), ('det',
                                                     demo.detector_model),
                        ('aligned_det', demo.aligned_detector_model)):
        model = build()
        export_sdk(model, str(root / name))
        out[name] = (model, str(root / name))
    return out
