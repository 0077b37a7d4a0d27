"""Our mmdeploy-format exports in the clients people already run RTMPose
with: rtmlib 0.0.16 (``RTMPose``, ``RTMDet``, ``Custom``) and the mmdeploy
SDK, mmdeploy-runtime 1.3.1 (``PoseDetector``, ``Detector``,
``PoseTracker``). Each gives keypoints (and boxes) within 0.5 px of this
toolbox's own runtime on the same image and boxes.

The clients pin other numpy/OpenCV/onnxruntime versions than the toolbox,
so they live in their own virtual environment, created on first use and
cached under ``$RTMPOSE_TEST_CACHE`` (default ``~/.cache/rtmpose-tests``)
keyed by the pins; the test is skipped, saying why, when no package index
can be reached (or no wheel fits this Python). The client side runs as a
script in that venv (``CLIENT`` below) and hands back an ``.npz``.

The mmdeploy SDK's ``PoseDetector`` reads a box's right and bottom as
inclusive pixels (mmpose 0.x: width = right - left + 1): it is given
``[x1, y1, x2 - 1, y2 - 1]``. Its ``Detector`` clips boxes to the last
pixel (W - 1, H - 1) where mmdet 3 and this toolbox clip to W, H.

rtmlib feeds the array it is given to the pose model after ``(x - mean) /
std`` with the model's RGB mean/std and no channel swap: give its
``RTMPose`` an RGB image. Its ``RTMDet`` (BGR mean/std, as RTMDet was
trained) takes BGR, and ``Custom`` hands one array to both: with a BGR
frame its pose model sees BGR where it was trained on RGB. The test feeds
``Custom`` BGR and compares with our pose model on the channel-swapped
frame, i.e. what rtmlib really computes.
"""
import fcntl
import hashlib
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import numpy as np
import pytest

import demo_exports as demo
from rtmpose.runtime import OnnxDetector, OnnxPoseEstimator

PINS = ('rtmlib==0.0.16', 'mmdeploy-runtime==1.3.1')
CACHE = Path(os.environ.get('RTMPOSE_TEST_CACHE',
                            Path.home() / '.cache' / 'rtmpose-tests'))
# pip's messages when no package index (or no fitting wheel) is there
OFFLINE = ('No matching distribution', 'Could not find a version',
           'NewConnectionError', 'Network is unreachable',
           'Temporary failure in name resolution')
TOL = 0.5  # px
# rtmlib RTMDet's score threshold (its default)
RTMLIB_DET_THR = 0.3

pytestmark = pytest.mark.clients

CLIENT = r'''
import json, sys
import numpy as np

cfg = json.load(open(sys.argv[1]))
img = np.load(cfg['image'])
rgb = np.ascontiguousarray(img[..., ::-1])
pose_onnx = cfg['pose'] + '/end2end.onnx'
det_onnx = cfg['det'] + '/end2end.onnx'
out = {}

from rtmlib import RTMPose, RTMDet, Custom
pose = RTMPose(pose_onnx, model_input_size=tuple(cfg['pose_wh']),
               backend='onnxruntime', device='cpu')
out['rtmlib_pose'] = pose(rgb, bboxes=cfg['aligned_boxes'])[0]
# RTMDet's model_input_size is (h, w), RTMPose's (w, h)
det = RTMDet(det_onnx, model_input_size=tuple(cfg['det_wh'][::-1]),
             backend='onnxruntime', device='cpu')
out['rtmlib_det'] = np.asarray(det(img), np.float32).reshape(-1, 4)
aligned_onnx = cfg['aligned_det'] + '/end2end.onnx'
out['rtmlib_aligned_det'] = np.asarray(
    RTMDet(aligned_onnx, model_input_size=tuple(cfg['det_wh'][::-1]),
           backend='onnxruntime', device='cpu')(img), np.float32)
custom = Custom(det_class='RTMDet', det=aligned_onnx,
                det_input_size=tuple(cfg['det_wh'][::-1]),
                pose_class='RTMPose', pose=pose_onnx,
                pose_input_size=tuple(cfg['pose_wh']),
                backend='onnxruntime', device='cpu')
out['rtmlib_custom'] = custom(img)[0]

from mmdeploy_runtime import Detector, PoseDetector, PoseTracker
bboxes, labels, _ = Detector(cfg['det'], 'cpu', 0)(img)
out['sdk_det'] = bboxes
# the SDK's PoseDetector reads right/bottom as inclusive pixels (box width
# right - left + 1): give it x2 - 1, y2 - 1
sdk_boxes = [[x1, y1, x2 - 1, y2 - 1]
             for x1, y1, x2, y2 in cfg['aligned_boxes']]
out['sdk_pose'] = PoseDetector(cfg['pose'], 'cpu', 0)(img, sdk_boxes)
tracker = PoseTracker(cfg['aligned_det'], cfg['pose'], 'cpu')
state = tracker.create_state(det_interval=1, det_thr=0.5, pose_kpt_thr=0.,
                             pose_min_keypoints=0)
keypoints, boxes, ids = tracker(state, img, detect=-1)
out['tracker'] = keypoints
np.savez(cfg['out'], **out)
'''


def _pip(python, args):
    done = subprocess.run([str(python), '-m', 'pip', *args],
                          capture_output=True, text=True, timeout=1800)
    out = done.stdout[-3000:] + done.stderr[-3000:]
    if done.returncode and any(m in out for m in OFFLINE):
        pytest.skip(f'rtmlib/mmdeploy-runtime not installable here (no '
                    f'package index or no wheel for Python '
                    f'{sys.version_info[0]}.{sys.version_info[1]}): '
                    f'pip {" ".join(args)}')
    assert done.returncode == 0, out


@pytest.fixture(scope='module')
def clients_python():
    """The python of a venv with the pinned clients (cached)."""
    key = hashlib.sha256(' '.join(PINS + (sys.version, )).encode()).hexdigest()
    env_dir = CACHE / f'clients-venv-{key[:16]}'
    python = env_dir / 'bin' / 'python'
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / 'clients-lock', 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (env_dir / 'done').is_file():
            venv.create(env_dir, with_pip=True, clear=True)
            _pip(python, ['install', *PINS])
            (env_dir / 'done').write_text('\n'.join(PINS))
    return python


def _aligned_boxes(det_dir: str, img: np.ndarray) -> np.ndarray:
    """The aligned detector's boxes that lie inside the image (unclipped,
    so crop-aligned: see ``demo_exports.aligned_detector_model``)."""
    boxes, _, _ = OnnxDetector(det_dir, 0.5).detect(img)
    w, h = (v / 1.25 for v in (96, 128))
    full = (np.abs(boxes[:, 2] - boxes[:, 0] - w) < 1e-3) & (
        np.abs(boxes[:, 3] - boxes[:, 1] - h) < 1e-3)
    return boxes[full]


@pytest.fixture(scope='module')
def client_results(clients_python, sdk_exports, tmp_path_factory):
    tmp = tmp_path_factory.mktemp('clients')
    img = demo.test_image()
    np.save(tmp / 'image.npy', img)
    aligned = _aligned_boxes(sdk_exports['aligned_det'][1], img)
    assert len(aligned) >= 4
    cfg = dict(image=str(tmp / 'image.npy'),
               pose=sdk_exports['pose'][1],
               det=sdk_exports['det'][1],
               aligned_det=sdk_exports['aligned_det'][1],
               pose_wh=[96, 128],
               det_wh=[256, 192],
               aligned_boxes=aligned.tolist(),
               out=str(tmp / 'out.npz'))
    (tmp / 'cfg.json').write_text(json.dumps(cfg))
    (tmp / 'client.py').write_text(CLIENT)
    done = subprocess.run(
        [str(clients_python), str(tmp / 'client.py'),
         str(tmp / 'cfg.json')], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return cfg, img, dict(np.load(tmp / 'out.npz'))


def _ours(cfg, img, boxes):
    return OnnxPoseEstimator(cfg['pose'])(img, np.asarray(boxes,
                                                          np.float32))[0]


def _assert_same_rows(got: np.ndarray, want: np.ndarray, tol: float):
    """The same rows (boxes, or keypoint sets flattened) up to order:
    near-equal scores from another onnxruntime build may swap places."""
    got, want = got.reshape(len(got), -1), want.reshape(len(want), -1)
    assert len(got) == len(want)
    for row in want:
        assert np.abs(got - row).max(1).min() <= tol, row


def test_rtmlib_rtmpose(client_results):
    """On RGB input (see the module docstring)."""
    cfg, img, got = client_results
    np.testing.assert_allclose(got['rtmlib_pose'],
                               _ours(cfg, img, cfg['aligned_boxes']),
                               atol=TOL)


def test_rtmlib_rtmdet(client_results):
    cfg, img, got = client_results
    for det, key in (('det', 'rtmlib_det'),
                     ('aligned_det', 'rtmlib_aligned_det')):
        boxes, scores, _ = OnnxDetector(cfg[det], 0.).detect(img)
        ours = boxes[scores > RTMLIB_DET_THR]
        assert len(ours) >= 5
        _assert_same_rows(got[key], ours, TOL)


def test_rtmlib_custom(client_results):
    """On BGR input, its detector right and its pose model on swapped
    channels (see the module docstring); compared on the crop-aligned
    boxes (the clipped ones at the border crop with a sub-pixel offset)."""
    cfg, img, got = client_results
    boxes = got['rtmlib_aligned_det']
    want = _ours(cfg, np.ascontiguousarray(img[..., ::-1]), boxes)
    full = np.isin(boxes, np.asarray(cfg['aligned_boxes'])).all(1)
    assert full.sum() == len(cfg['aligned_boxes'])
    np.testing.assert_allclose(got['rtmlib_custom'][full], want[full],
                               atol=TOL)


def test_sdk_detector(client_results):
    """The SDK clips boxes to the last pixel (W - 1, H - 1), we to the
    image border (W, H), as mmdet 3."""
    cfg, img, got = client_results
    boxes, scores, _ = OnnxDetector(cfg['det'], 0.).detect(img)
    h, w = img.shape[:2]
    boxes = np.minimum(boxes, [w - 1, h - 1, w - 1, h - 1])
    sdk = got['sdk_det']
    assert len(boxes) > 5
    _assert_same_rows(sdk, np.concatenate([boxes, scores[:, None]], 1), TOL)


def test_sdk_pose_detector(client_results):
    cfg, img, got = client_results
    want = _ours(cfg, img, cfg['aligned_boxes'])
    np.testing.assert_allclose(got['sdk_pose'][..., :2], want, atol=TOL)


def test_sdk_pose_tracker(client_results):
    """First frame: the tracker poses the detector's boxes; each crop-aligned
    box's keypoints are among its results."""
    cfg, img, got = client_results
    results = got['tracker'][..., :2]
    want = _ours(cfg, img, cfg['aligned_boxes'])
    for kpts in want:
        err = np.abs(results - kpts[None]).max(axis=(1, 2))
        assert err.min() <= TOL, err.min()
