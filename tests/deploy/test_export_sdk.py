"""``--format mmdeploy``: the SDK model directory's files, and the
toolbox's own runtime on it (pose SimCC and heatmaps, RTMDet with NMS in
the graph, fp16, devices)."""
import json
import os
import os.path as osp
import shutil
import subprocess
import sys

import cv2
import numpy as np
import pytest

onnx = pytest.importorskip('onnx')
pytest.importorskip('onnxruntime')

import demo_exports as demo  # noqa: E402
from rtmpose.apis import TorchPoseBackend  # noqa: E402
from rtmpose.deploy.export_detector import export_detector_onnx  # noqa: E402
from rtmpose.deploy.export_sdk import export_sdk  # noqa: E402
from rtmpose.runtime import (OnnxDetector, OnnxPoseEstimator,  # noqa: E402
                             providers_for)

BOXES = np.array([[20, 10, 120, 180], [130, 40, 250, 190]], np.float32)


def _read(directory, name):
    with open(osp.join(directory, name)) as f:
        return json.load(f)


def _torch_keypoints(model, img, boxes):
    backend = TorchPoseBackend(model)
    crops, info = backend.preprocess(img, boxes)
    return backend.postprocess(backend.forward(crops), info)


def test_pose_directory_is_what_mmdeploy_writes(sdk_exports):
    _, path = sdk_exports['pose']
    deploy = _read(path, 'deploy.json')
    assert deploy['task'] == 'PoseDetector'
    assert deploy['models'][0]['net'] == 'end2end.onnx'
    assert deploy['models'][0]['name'] == 'topdownposeestimator'
    tasks = _read(path, 'pipeline.json')['pipeline']['tasks']
    assert [t['module'] for t in tasks] == ['Transform', 'Net', 'mmpose']
    steps = {t['type']: t for t in tasks[0]['transforms']}
    assert steps['TopDownGetBboxCenterScale'] == dict(
        type='TopDownGetBboxCenterScale', padding=1.25, image_size=[96, 128])
    assert steps['Normalize'] == dict(type='Normalize',
                                      mean=[123.675, 116.28, 103.53],
                                      std=[58.395, 57.12, 57.375],
                                      to_rgb=True)
    assert tasks[1]['input_map'] == {'img': 'input'}
    assert tasks[2]['component'] == 'SimCCLabelDecode'
    params = tasks[2]['params']
    assert params['simcc_split_ratio'] == 2.0
    assert params['input_size'] == [96, 128]
    assert params['export_postprocess'] is False
    detail = _read(path, 'detail.json')
    assert detail['codebase']['task'] == 'PoseDetection'
    assert detail['onnx_config']['output_names'] == ['simcc_x', 'simcc_y']
    graph = onnx.load(osp.join(path, 'end2end.onnx')).graph
    (inp, ) = graph.input
    assert inp.name == 'input'
    assert inp.type.tensor_type.elem_type == onnx.TensorProto.FLOAT
    assert [d.dim_param or d.dim_value
            for d in inp.type.tensor_type.shape.dim] == ['batch', 3, 128, 96]


def test_runtime_runs_the_directory_as_pytorch(sdk_exports):
    model, path = sdk_exports['pose']
    img = demo.test_image()
    ref_kpts, ref_scores = _torch_keypoints(model, img, BOXES)
    kpts, scores = OnnxPoseEstimator(path, num_threads=1)(img, BOXES)
    np.testing.assert_allclose(kpts, ref_kpts, atol=1e-3)
    np.testing.assert_allclose(scores, ref_scores, rtol=1e-4, atol=1e-6)


def test_heatmap_model_exports_output_and_udp_decode(tmp_path):
    """ViTPose (UDP heatmaps): output ``output``, the SDK's heatmap decoder
    with use_udp, and the runtime decoding as PyTorch."""
    model = demo.pose_model(demo.VITPOSE_CONFIG)
    path = str(tmp_path / 'vitpose')
    meta = export_sdk(model, path)
    assert meta['outputs'] == 'heatmaps'
    post = _read(path, 'pipeline.json')['pipeline']['tasks'][2]
    assert post['component'] == 'TopdownHeatmapSimpleHeadDecode'
    assert post['params']['use_udp'] is True
    assert post['params']['type'] == 'UDPHeatmap'
    names = [o.name for o in onnx.load(osp.join(path,
                                                'end2end.onnx')).graph.output]
    assert names == ['output']
    img = demo.test_image()
    ref_kpts, _ = _torch_keypoints(model, img, BOXES)
    kpts, _ = OnnxPoseEstimator(path, num_threads=1)(img, BOXES)
    np.testing.assert_allclose(kpts, ref_kpts, atol=1e-3)


def test_detector_graph_post_processes_as_the_numpy_runtime(
        sdk_exports, tmp_path):
    """dets/labels with top-k, score threshold and NMS in the graph (the
    standard NonMaxSuppression op) = the rtmpose-format export's numpy
    post-processing, on a textured image with ~100 overlapping boxes."""
    model, path = sdk_exports['det']
    graph = onnx.load(osp.join(path, 'end2end.onnx')).graph
    ops = {n.op_type for n in graph.node}
    assert 'NonMaxSuppression' in ops
    assert {n.domain for n in graph.node} <= {''}
    assert [o.name for o in graph.output] == ['dets', 'labels']
    assert _read(path, 'deploy.json')['task'] == 'Detector'
    post = _read(path, 'pipeline.json')['pipeline']['tasks'][2]
    assert post['component'] == 'ResizeBBox'
    steps = [t['type'] for t in _read(
        path, 'pipeline.json')['pipeline']['tasks'][0]['transforms']]
    assert steps == ['LoadImageFromFile', 'Resize', 'Pad', 'Normalize',
                     'Pad', 'DefaultFormatBundle', 'Collect']

    plain = str(tmp_path / 'det.onnx')
    export_detector_onnx(model, plain)
    # letterboxes: the identity, an upscale, a downscale with padding
    for size in ((256, 192), (200, 150), (300, 230)):
        img = cv2.resize(demo.test_image(), size)
        want = OnnxDetector(plain, 0.).detect(img)
        got = OnnxDetector(path, 0.).detect(img)
        assert len(want[0]) > 20
        assert len(got[0]) == len(want[0])
        for g, w in zip(got, want):
            np.testing.assert_allclose(g, w, atol=1e-3)


def test_fp16_directory(sdk_exports, tmp_path):
    model, fp32 = sdk_exports['pose']
    path = str(tmp_path / 'fp16')
    export_sdk(model, path, fp16=True)
    assert _read(path, 'deploy.json')['models'][0]['precision'] == 'FP16'
    graph = onnx.load(osp.join(path, 'end2end.onnx')).graph
    assert graph.input[0].type.tensor_type.elem_type == onnx.TensorProto.FLOAT
    assert any(t.data_type == onnx.TensorProto.FLOAT16
               for t in graph.initializer)
    crops, _ = OnnxPoseEstimator(fp32).preprocess(demo.test_image(), BOXES)
    want = OnnxPoseEstimator(fp32).forward(crops)
    got = OnnxPoseEstimator(path).forward(crops)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, atol=5e-4)


def test_devices_name_the_installed_providers(sdk_exports):
    import onnxruntime as ort

    assert providers_for('cpu') == ['CPUExecutionProvider']
    with pytest.raises(ValueError, match='unknown device'):
        providers_for('tpu')
    if 'OpenVINOExecutionProvider' not in ort.get_available_providers():
        with pytest.raises(ValueError,
                           match=r'OpenVINOExecutionProvider.*installed: .*'
                           'CPUExecutionProvider'):
            OnnxPoseEstimator(sdk_exports['pose'][1], device='openvino')


def test_predict_from_the_exported_directories_alone(sdk_exports, tmp_path):
    """``rtmpose predict --onnx DIR --det-onnx DIR`` in a folder with only
    the exports and an image: no config, no checkpoint."""
    for name in ('pose', 'det'):
        shutil.copytree(sdk_exports[name][1], tmp_path / name)
    cv2.imwrite(str(tmp_path / 'frame.jpg'), demo.test_image())
    env = dict(os.environ, PYTHONPATH=demo.ROOT, OMP_NUM_THREADS='1')
    proc = subprocess.run([
        sys.executable, '-m', 'rtmpose.cli', 'predict', '--onnx', 'pose',
        '--det-onnx', 'det', '--input', 'frame.jpg', '--output', 'out.jpg'
    ], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert cv2.imread(str(tmp_path / 'out.jpg')).shape == (192, 256, 3)
    with open(tmp_path / 'out.json') as f:
        (frame, ) = json.load(f)['frames']
    assert len(frame['instances']) >= 1
