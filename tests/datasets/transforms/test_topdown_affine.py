import os
import subprocess

import cv2
import numpy as np
import pytest

from rtmpose.datasets.transforms import RandomFlip, TopdownAffine

FLIP_INDICES = [0, 2, 1]


def _blob_image(points, shape=(480, 640), sigma=2.0):
    """uint8 BGR image with a Gaussian blob centred at each (x, y)."""
    ys, xs = np.mgrid[:shape[0], :shape[1]].astype(np.float32)
    canvas = np.zeros(shape, np.float32)
    for x, y in points:
        canvas += np.exp(-((xs - x)**2 + (ys - y)**2) / (2 * sigma**2))
    gray = np.clip(canvas * 255, 0, 255).astype(np.uint8)
    return cv2.merge([gray, gray, gray])


def _blob_centre(img, near, radius=6):
    """Intensity-weighted centroid (x, y) of the blob closest to ``near``."""
    gray = img[..., 0].astype(np.float64)
    x0, y0 = np.round(near).astype(int)
    y1, y2 = max(y0 - radius, 0), y0 + radius + 1
    x1, x2 = max(x0 - radius, 0), x0 + radius + 1
    patch = gray[y1:y2, x1:x2]
    ys, xs = np.mgrid[y1:y2, x1:x2]
    return np.array([(xs * patch).sum(), (ys * patch).sum()]) / patch.sum()


def _results(points, img=None):
    kpts = np.array([points], np.float32)
    return dict(
        img=_blob_image(points) if img is None else img,
        bbox=np.array([[200, 100, 440, 400]], np.float32),
        bbox_center=np.array([[320, 250]], np.float32),
        bbox_scale=np.array([[300, 375]], np.float32),
        keypoints=kpts,
        keypoints_visible=np.ones(kpts.shape[:2], np.float32),
        flip_indices=FLIP_INDICES)


POINTS = [(300.0, 200.0), (250.0, 330.0), (390.0, 150.0)]


@pytest.mark.parametrize('use_udp', [False, True])
@pytest.mark.parametrize('rotation', [0.0, 37.0, -75.0])
def test_keypoints_follow_image(use_udp, rotation):
    results = _results(POINTS)
    results['bbox_rotation'] = np.array([rotation], np.float32)
    out = TopdownAffine((192, 256), use_udp=use_udp)(results)
    assert out['img'].shape == (256, 192, 3)
    assert out['img'].dtype == np.uint8
    assert out['input_size'] == (192, 256) and out['input_udp'] is use_udp
    for kpt in out['transformed_keypoints'][0]:
        centre = _blob_centre(out['img'], kpt)
        assert np.abs(centre - kpt).max() < 1.0, (kpt, centre)


def test_aspect_ratio_fixed_and_meta():
    results = _results(POINTS)
    out = TopdownAffine((192, 256))(results)
    scale = out['bbox_scale'][0]
    # (300, 375) is too wide for 192:256 = 0.75, so the height grows.
    np.testing.assert_allclose(scale, [300, 300 / 0.75], rtol=1e-6)
    np.testing.assert_allclose(out['input_scale'], scale)
    np.testing.assert_allclose(out['input_center'], [320, 250])
    # The box center lands on the input center.
    kpt_at_center = TopdownAffine((192, 256))(
        dict(_results([(320.0, 250.0)]), bbox_center=np.array(
            [[320, 250]], np.float32)))['transformed_keypoints'][0, 0]
    np.testing.assert_allclose(kpt_at_center, [96, 128], atol=1e-4)


def test_rejects_multiple_instances():
    results = _results(POINTS)
    results['bbox_center'] = np.zeros((2, 2), np.float32)
    with pytest.raises(ValueError, match='one instance'):
        TopdownAffine((192, 256))(results)


def test_flip_then_affine_keeps_keypoints_on_image():
    results = _results(POINTS)
    results = RandomFlip(prob=1.0)(results)
    results['bbox_rotation'] = np.array([20.0], np.float32)
    out = TopdownAffine((192, 256))(results)
    for kpt in out['transformed_keypoints'][0]:
        centre = _blob_centre(out['img'], kpt)
        assert np.abs(centre - kpt).max() < 1.0


REF_PYTHON = '/tmp/mmpose-ref/bin/python'  # mmpose 1.3.2, see the team brief
# (center, scale (w, h), rotation degrees, input_size, use_udp): off-aspect
# boxes, rotations of both signs, boxes over the image border
REF_BOXES = [((320., 250.), (300., 375.), 0., (192, 256), False),
             ((301.3, 177.8), (120.5, 333.), 37.5, (192, 256), False),
             ((40., 420.), (210., 90.), -75.25, (288, 384), False),
             ((320., 250.), (300., 375.), 0., (192, 256), True),
             ((301.3, 177.8), (120.5, 333.), 37.5, (192, 256), True),
             ((600., 30.), (95.3, 140.7), -121., (48, 64), True)]

_REF_SCRIPT = '''
import sys
import numpy as np
from mmpose.datasets.transforms import TopdownAffine
data = np.load(sys.argv[1], allow_pickle=True)
img, kpts, boxes = data['img'], data['kpts'], data['boxes']
out = {}
for i, (c, s, r, size, udp) in enumerate(boxes):
    res = TopdownAffine(input_size=tuple(size), use_udp=bool(udp))(dict(
        img=img.copy(), bbox_center=np.array([c], np.float32),
        bbox_scale=np.array([s], np.float32),
        bbox_rotation=np.array([r], np.float32), keypoints=kpts.copy(),
        keypoints_visible=np.ones(kpts.shape[:2], np.float32)))
    out[f'img{i}'] = res['img']
    out[f'kpts{i}'] = res['transformed_keypoints']
np.savez(sys.argv[2], **out)
'''


@pytest.mark.skipif(not os.path.exists(REF_PYTHON),
                    reason='reference mmpose venv absent')
def test_crops_equal_the_reference_pixel_for_pixel(tmp_path):
    """TopdownAffine crops (with rotation, off-aspect scales, UDP or not)
    are the reference mmpose 1.3.2 crops, every pixel."""
    rng = np.random.default_rng(0)
    img = rng.integers(0, 256, (480, 640, 3), dtype=np.uint8)
    kpts = rng.uniform(0, 480, (1, 5, 2)).astype(np.float32)
    boxes = np.array(REF_BOXES, dtype=object)
    np.savez(tmp_path / 'in.npz', img=img, kpts=kpts, boxes=boxes)
    (tmp_path / 'ref.py').write_text(_REF_SCRIPT)
    subprocess.run([REF_PYTHON, str(tmp_path / 'ref.py'),
                    str(tmp_path / 'in.npz'), str(tmp_path / 'ref.npz')],
                   check=True, cwd=str(tmp_path), capture_output=True)
    ref = np.load(tmp_path / 'ref.npz')
    for i, (center, scale, rot, size, udp) in enumerate(REF_BOXES):
        res = TopdownAffine(input_size=size, use_udp=udp)(dict(
            img=img.copy(), bbox_center=np.array([center], np.float32),
            bbox_scale=np.array([scale], np.float32),
            bbox_rotation=np.array([rot], np.float32), keypoints=kpts.copy(),
            keypoints_visible=np.ones(kpts.shape[:2], np.float32)))
        assert res['img'].shape == ref[f'img{i}'].shape
        differ = (res['img'] != ref[f'img{i}']).any(-1).sum()
        assert differ == 0, f'box {i}: {differ} pixels differ'
        np.testing.assert_allclose(res['transformed_keypoints'],
                                   ref[f'kpts{i}'], atol=1e-3)
