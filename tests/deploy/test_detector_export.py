"""RTMDet to ONNX: the numpy runtime reproduces the PyTorch detections; numpy
NMS equals the torch one; detector + pose run without torch."""
import os
import subprocess
import sys

import numpy as np
import pytest
import torch

pytest.importorskip('onnx')
pytest.importorskip('onnxruntime')

from rtmpose.apis import inference_detector, init_model  # noqa: E402
from rtmpose.runtime import OnnxDetector, letterbox, nms  # noqa: E402
from rtmpose.deploy.export import export_onnx  # noqa: E402
from rtmpose.deploy.export_detector import export_detector_onnx  # noqa: E402
from rtmpose.structures import nms as torch_nms  # noqa: E402

DET_CONFIG = 'configs/rtmdet/person/rtmdet_nano_320-8xb32_coco-person.py'
POSE_CONFIG = 'configs/demo/rtmpose-t_demo.py'
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def _scene(seed=0, hw=(240, 400)):
    rng = np.random.default_rng(seed)
    img = rng.integers(0, 255, hw + (3, ), dtype=np.uint8)
    img[40:200, 60:140] = (30, 160, 220)
    return img


@pytest.fixture(scope='module')
def detector(tmp_path_factory):
    """RTMDet-nano with random convs and biases giving scores spread over
    (0.05, 0.9) and boxes a few strides wide."""
    torch.manual_seed(0)
    model = init_model(DET_CONFIG)
    # random init: activations vanish through the untrained BNs; give the
    # BNs the statistics of random images so the features are O(1)
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.momentum = None
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(2, 3, 320, 320), None, 'tensor')
    model.eval()
    with torch.no_grad():
        for conv, bias in zip(model.bbox_head.rtm_cls, (-2.0, 0.0, -1.0)):
            conv.weight.normal_(0, 0.003)
            conv.bias.fill_(bias)
        for conv in model.bbox_head.rtm_reg:
            conv.weight.normal_(0, 0.002)
            conv.bias.fill_(1.5)
    path = str(tmp_path_factory.mktemp('det') / 'rtmdet.onnx')
    meta = export_detector_onnx(model, path)
    return model, path, meta


def test_metadata(detector):
    _, _, meta = detector
    assert meta['task'] == 'detection' and meta['input_size'] == [320, 320]
    assert meta['level_sizes'] == [1600, 400, 100]
    assert meta['postprocess'] == dict(score_thr=0.05, nms_pre=1000,
                                       iou_threshold=0.6, max_per_img=100,
                                       min_bbox_size=0.0)
    assert meta['pad_val'] == 114.0 and meta['classes'] == ['person']


def test_export_leaves_no_temporary_file(detector):
    _, path, _ = detector
    assert os.listdir(os.path.dirname(path)) == [os.path.basename(path)]


@pytest.mark.parametrize('hw', [(240, 400), (500, 300)])
def test_runtime_matches_pytorch(detector, hw):
    model, path, _ = detector
    img = _scene(1, hw)
    ref_boxes, ref_scores = inference_detector(model, img)
    assert 20 < len(ref_boxes) <= 100
    assert ref_scores.max() - ref_scores.min() > 0.05
    boxes, scores, labels = OnnxDetector(path).detect(img)
    assert len(boxes) == len(ref_boxes)
    # onnxruntime's float kernels differ from torch's by ~1e-5 relative,
    # which may swap near-tied scores: match the detections as sets
    dist = np.abs(boxes[:, None] - ref_boxes[None]).max(-1)
    match = dist.argmin(1)
    assert sorted(match) == list(range(len(ref_boxes)))
    np.testing.assert_allclose(boxes, ref_boxes[match], atol=2e-2)
    np.testing.assert_allclose(scores, ref_scores[match], atol=2e-4)
    assert (labels == 0).all()
    kept_boxes, kept_scores = OnnxDetector(path, score_thr=0.3)(img)
    np.testing.assert_allclose(kept_scores, ref_scores[ref_scores >= 0.3],
                               atol=2e-4)
    assert len(kept_boxes) == (ref_scores >= 0.3).sum()


def test_letterbox_matches_the_test_pipeline():
    img = _scene(2, (241, 397))
    padded, factor = letterbox(img, (320, 320), 114)
    assert padded.shape == (320, 320, 3)
    new_h = int(241 * 320 / 397 + 0.5)
    assert factor == (320 / 397, new_h / 241)
    assert (padded[new_h:] == 114).all()


def test_numpy_nms_equals_torch_nms():
    rng = np.random.default_rng(0)
    for trial in range(20):
        n = int(rng.integers(1, 200))
        xy = rng.uniform(0, 100, (n, 2))
        wh = rng.uniform(1, 40, (n, 2))
        boxes = np.concatenate([xy, xy + wh], 1).astype(np.float32)
        scores = rng.uniform(0, 1, n).astype(np.float32)
        labels = rng.integers(0, 3, n)
        for lab in (None, labels):
            mine = nms(boxes, scores, 0.5, lab)
            ref = torch_nms(torch.from_numpy(boxes), torch.from_numpy(scores),
                            0.5, None if lab is None else
                            torch.from_numpy(lab)).numpy()
            np.testing.assert_array_equal(mine, ref)


TORCH_FREE = r'''
import sys, json
import numpy as np
sys.modules['torch'] = None  # any import of torch now fails
sys.modules['mmengine'] = None
from rtmpose.runtime import OnnxTopdownPipeline
img = np.load(sys.argv[3])
pipe = OnnxTopdownPipeline(sys.argv[1], sys.argv[2], det_score_thr=0.3)
boxes, scores, kpts, kpt_scores = pipe(img)
np.savez(sys.argv[4], boxes=boxes, scores=scores, kpts=kpts,
         kpt_scores=kpt_scores)
'''


def test_detector_and_pose_without_torch(detector, tmp_path):
    model, det_path, _ = detector
    torch.manual_seed(0)
    pose = init_model(POSE_CONFIG)
    pose_path = str(tmp_path / 'pose.onnx')
    export_onnx(pose, pose_path, dynamic_batch=True)
    img = _scene(3)
    np.save(tmp_path / 'img.npy', img)
    script = tmp_path / 'run.py'
    script.write_text(TORCH_FREE)
    proc = subprocess.run(
        [sys.executable, str(script), det_path, pose_path,
         str(tmp_path / 'img.npy'), str(tmp_path / 'out.npz')],
        env=dict(os.environ, PYTHONPATH=ROOT), capture_output=True,
        text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = np.load(tmp_path / 'out.npz')
    boxes, scores = OnnxDetector(det_path, score_thr=0.3)(img)
    np.testing.assert_allclose(out['boxes'], boxes, atol=1e-4)
    assert out['kpts'].shape == (len(boxes), 17, 2) and len(boxes) > 0
    # the poses are the PyTorch model's on those boxes (no flip test)
    from rtmpose.apis import inference_topdown
    pose.test_cfg['flip_test'] = False
    ref = np.concatenate([s.pred_instances.keypoints
                          for s in inference_topdown(pose, img, boxes)])
    np.testing.assert_allclose(out['kpts'], ref, atol=1e-2)


def test_onnx_detector_model_matches_pytorch_on_the_test_pipeline(detector):
    from mmengine.dataset import Compose, pseudo_collate

    from rtmpose.runtime.evaluation import OnnxRTMDet
    model, path, _ = detector
    pipeline = Compose(model.cfg.test_dataloader.dataset.pipeline)
    batch = pseudo_collate([pipeline(dict(img=_scene(4, hw), img_path=None,
                                          img_id=i))
                            for i, hw in enumerate([(240, 400), (300, 200)])])
    with torch.no_grad():
        ref = [s.pred_instances for s in model.test_step(batch)]
    batch = pseudo_collate([pipeline(dict(img=_scene(4, hw), img_path=None,
                                          img_id=i))
                            for i, hw in enumerate([(240, 400), (300, 200)])])
    out = [s.pred_instances for s in OnnxRTMDet(path).test_step(batch)]
    for a, b in zip(out, ref):
        assert len(a) == len(b) > 0
        np.testing.assert_allclose(np.sort(a.scores.numpy()),
                                   np.sort(b.scores.numpy()), atol=2e-4)
        dist = np.abs(a.bboxes.numpy()[:, None] -
                      b.bboxes.numpy()[None]).max(-1)
        assert dist.min(1).max() < 2e-2
