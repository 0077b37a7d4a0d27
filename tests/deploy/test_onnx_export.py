"""ONNX export of RTMPose-t and the torch-free onnxruntime path."""
import json
import os
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
import torch

onnx = pytest.importorskip('onnx')
ort = pytest.importorskip('onnxruntime')

from rtmpose.apis import TorchPoseBackend, init_model  # noqa: E402
from rtmpose.runtime import OnnxPoseEstimator  # noqa: E402
from rtmpose.deploy.export import export_onnx  # noqa: E402

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(
    ROOT, 'configs/rtmpose/coco/rtmpose-t_8xb256-420e_coco-256x192.py')

DEMO_CONFIG = osp.join(ROOT, 'configs/demo/rtmpose-t_demo.py')


def _model(config):
    torch.manual_seed(0)
    model = init_model(config)
    model.head.init_weights()  # std 0.01 like a trained model's scale
    model.test_cfg['flip_test'] = False  # as the exported graphs
    return model


@pytest.fixture(scope='module')
def exported(tmp_path_factory):
    """RTMPose-t (random weights) exported with a dynamic batch."""
    model = _model(CONFIG)
    path = str(tmp_path_factory.mktemp('onnx') / 'rtmpose-t.onnx')
    export_onnx(model, path, dynamic_batch=True)
    return model, path


@pytest.fixture(scope='module')
def exported_decode(tmp_path_factory):
    """The 128x96 demo model with a static batch of 1 and decoding in the
    graph (smaller: a faster export)."""
    model = _model(DEMO_CONFIG)
    path = str(tmp_path_factory.mktemp('onnx') / 'demo-decode.onnx')
    export_onnx(model, path, with_decode=True)
    return model, path


def _torch_outputs(model, crops):
    inputs = [torch.from_numpy(c).permute(2, 0, 1) for c in crops]
    with torch.no_grad():
        x = model.data_preprocessor(dict(inputs=inputs))['inputs']
        outputs = model(x, None, mode='tensor')
    if isinstance(outputs, torch.Tensor):  # heatmaps
        outputs = (outputs, )
    return [o.numpy() for o in outputs]


def test_onnxruntime_matches_pytorch(exported):
    model, dynamic = exported
    crops = np.random.default_rng(0).integers(0,
                                              256, (3, 256, 192, 3),
                                              dtype=np.uint8)
    ref = _torch_outputs(model, crops)
    session = ort.InferenceSession(dynamic, providers=['CPUExecutionProvider'])
    assert [o.name for o in session.get_outputs()] == ['simcc_x', 'simcc_y']
    out = session.run(None, {'crops': crops})
    for r, o, bins in zip(ref, out, (384, 512)):
        assert o.shape == r.shape == (3, 17, bins)
        err = np.abs(r - o).max() / (r.max() - r.min())
        assert err < 1e-4, err


def test_decode_in_graph_and_static_batch(exported_decode):
    model, decoded = exported_decode
    crops = np.random.default_rng(1).integers(0,
                                              256, (1, 128, 96, 3),
                                              dtype=np.uint8)
    session = ort.InferenceSession(decoded, providers=['CPUExecutionProvider'])
    assert session.get_inputs()[0].shape == [1, 128, 96, 3]
    assert [o.name for o in session.get_outputs()] == ['keypoints', 'scores']
    kpts, scores = session.run(None, {'crops': crops})
    ref_kpts, ref_scores = model.head.decoder.decode(
        *_torch_outputs(model, crops))
    np.testing.assert_array_equal(kpts, ref_kpts)
    np.testing.assert_allclose(scores, ref_scores, rtol=1e-4, atol=1e-6)


def _torch_estimate(model, img, boxes):
    backend = TorchPoseBackend(model)
    crops, info = backend.preprocess(img, boxes)
    return backend.postprocess(backend.forward(crops), info)


@pytest.mark.parametrize('which', ['exported', 'exported_decode'])
def test_estimators_agree_on_an_image(which, request):
    """End to end in image pixels: onnxruntime (dynamic batch; static batch
    with decoding in the graph) vs the eager PyTorch backend."""
    model, path = request.getfixturevalue(which)
    img = np.random.default_rng(2).integers(0,
                                            256, (240, 320, 3),
                                            dtype=np.uint8)
    boxes = np.array([[10, 20, 110, 220], [150, 30, 300, 230]], np.float32)
    ref_kpts, ref_scores = _torch_estimate(model, img, boxes)
    est = OnnxPoseEstimator(path, num_threads=1)
    kpts, scores = est(img, boxes)
    np.testing.assert_allclose(kpts, ref_kpts, atol=1e-3)
    np.testing.assert_allclose(scores, ref_scores, rtol=1e-4, atol=1e-5)
    empty_kpts, _ = est(img, np.zeros((0, 4)))
    assert empty_kpts.shape == (0, 17, 2)


def test_runtime_imports_neither_torch_nor_mmengine(exported):
    _, dynamic = exported
    code = ('import sys, numpy as np\n'
            'from rtmpose.runtime import OnnxPoseEstimator\n'
            f'est = OnnxPoseEstimator({dynamic!r})\n'
            'img = np.zeros((120, 160, 3), np.uint8)\n'
            'kpts, scores = est(img, np.array([[10, 10, 90, 110.]]))\n'
            'assert kpts.shape == (1, 17, 2), kpts.shape\n'
            "bad = [m for m in ('torch', 'mmengine', 'mmcv')\n"
            '       if m in sys.modules]\n'
            'assert not bad, bad\n'
            "print('ok')\n")
    env = dict(os.environ, PYTHONPATH=ROOT)
    proc = subprocess.run([sys.executable, '-c', code],
                          cwd=ROOT,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=120)
    assert proc.returncode == 0 and 'ok' in proc.stdout, proc.stderr[-2000:]


def test_metadata_and_errors(exported, tmp_path):
    model, dynamic = exported
    meta = json.loads(
        {p.key: p.value
         for p in onnx.load(dynamic).metadata_props}['rtmpose'])
    assert meta['input_size'] == [192, 256] and meta['outputs'] == 'simcc'
    assert meta['bbox_padding'] == 1.25 and meta['use_udp'] is False
    assert len(meta['dataset_meta']['keypoint_names']) == 17
    assert onnx.load(dynamic).opset_import[0].version >= 17
    with pytest.raises(ValueError, match='opset'):
        export_onnx(model, str(tmp_path / 'x.onnx'), opset=16)
    with pytest.raises(ValueError, match='SimCCLabel is fixed to its input_size'):
        export_onnx(model, str(tmp_path / 'x.onnx'), input_size=(288, 384))
    # an ONNX file without rtmpose metadata
    proto = onnx.load(dynamic)
    del proto.metadata_props[:]
    bare = str(tmp_path / 'bare.onnx')
    onnx.save(proto, bare)
    with pytest.raises(KeyError, match='metadata'):
        OnnxPoseEstimator(bare)
    # metadata of an older format names the fix
    old = dict(meta, format_version=1)
    proto.metadata_props.add(key='rtmpose', value=json.dumps(old))
    onnx.save(proto, bare)
    with pytest.raises(ValueError, match='re-export'):
        OnnxPoseEstimator(bare)


@pytest.fixture(scope='module')
def exported_heatmaps(tmp_path_factory):
    """The ViTPose demo model (UDP heatmaps, DARK-UDP decoding)."""
    model = _model(osp.join(ROOT, 'configs/demo/vitpose-tiny_demo.py'))
    path = str(tmp_path_factory.mktemp('onnx') / 'vit.onnx')
    meta = export_onnx(model, path, dynamic_batch=True)
    return model, path, meta


def test_heatmap_head_exports_heatmaps(exported_heatmaps):
    """ViTPose: the graph's heatmaps equal PyTorch's, and the runtime decodes
    them as the model's codec does (DARK-UDP), end to end in image
    pixels."""
    model, path, meta = exported_heatmaps
    assert meta['outputs'] == 'heatmaps' and meta['use_udp'] is True
    assert meta['decode'] == model.head.decoder.decode_args()
    assert meta['decode']['refine'] == 'dark_udp'
    crops = np.random.default_rng(3).integers(0,
                                              256, (2, 128, 96, 3),
                                              dtype=np.uint8)
    session = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
    (out, ) = session.run(None, {'crops': crops})
    (ref, ) = _torch_outputs(model, crops)
    assert out.shape == (2, 17, 32, 24)
    assert np.abs(out - ref).max() / (ref.max() - ref.min()) < 1e-4

    img = np.random.default_rng(4).integers(0,
                                            256, (240, 320, 3),
                                            dtype=np.uint8)
    boxes = np.array([[10, 20, 110, 220], [150, 30, 300, 230]], np.float32)
    ref_kpts, ref_scores = _torch_estimate(model, img, boxes)
    kpts, scores = OnnxPoseEstimator(path, num_threads=1)(img, boxes)
    # DARK refines sub-pixel: agreement to 0.05 image pixels, not bitwise
    assert np.abs(kpts - ref_kpts).max() < 0.05
    np.testing.assert_allclose(scores, ref_scores, rtol=1e-4, atol=1e-5)


def test_heatmap_decode_in_graph(exported_heatmaps, tmp_path):
    """--with-decode on heatmaps: the plain argmax scaled to input pixels
    (UDP: (w - 1) / (W - 1) per heatmap pixel)."""
    model = exported_heatmaps[0]
    path = str(tmp_path / 'vit-decode.onnx')
    with pytest.warns(UserWarning, match='dark_udp'):
        meta = export_onnx(model, path, with_decode=True, batch_size=2)
    assert meta['outputs'] == 'keypoints'
    crops = np.random.default_rng(5).integers(0,
                                              256, (2, 128, 96, 3),
                                              dtype=np.uint8)
    session = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
    kpts, scores = session.run(None, {'crops': crops})
    (heatmaps, ) = _torch_outputs(model, crops)
    flat = heatmaps.reshape(2, 17, -1)
    idx = flat.argmax(-1)
    expected = np.stack([idx % 24, idx // 24], -1) * np.float32(
        [95 / 23, 127 / 31])
    expected[flat.max(-1) <= 0] = -1
    np.testing.assert_allclose(kpts, expected, rtol=1e-6)
    np.testing.assert_allclose(scores, flat.max(-1), rtol=1e-4, atol=1e-6)


def test_heatmap_export_at_another_input_size(exported_heatmaps, tmp_path):
    """The stored decoding follows the exported sizes: UDP's scale is
    (w - 1) / (W - 1) of the new input and heatmaps, not the config's."""
    model = exported_heatmaps[0]
    meta = export_onnx(model, str(tmp_path / 'big.onnx'),
                       input_size=(192, 256))
    assert meta['input_size'] == [192, 256]
    np.testing.assert_allclose(meta['decode']['scale_factor'],
                               [191 / 47, 255 / 63], rtol=1e-6)
    assert model.head.decoder.decode_args()['scale_factor'] == pytest.approx(
        [95 / 23, 127 / 31])


def test_failed_export_keeps_the_previous_file(exported, tmp_path,
                                                monkeypatch):
    model, _ = exported
    path = tmp_path / 'model.onnx'
    path.write_bytes(b'previous model')

    def broken(proto):
        raise RuntimeError('checker failed')

    monkeypatch.setattr(onnx.checker, 'check_model', broken)
    with pytest.raises(RuntimeError, match='checker failed'):
        export_onnx(model, str(path))
    assert path.read_bytes() == b'previous model'
