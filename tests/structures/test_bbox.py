import subprocess
import sys

import numpy as np
import pytest

from rtmpose.structures import (bbox_cs2xyxy, bbox_xywh2xyxy, bbox_xyxy2cs,
                                bbox_xyxy2xywh, fix_aspect_ratio, flip_bbox,
                                get_warp_matrix, input_to_image)


def _apply(mat, pts):
    return pts @ mat[:, :2].T + mat[:, 2]


def test_box_conversions_round_trip():
    xywh = np.array([[10., 20., 30., 40.]])
    xyxy = bbox_xywh2xyxy(xywh)
    np.testing.assert_allclose(xyxy, [[10, 20, 40, 60]])
    np.testing.assert_allclose(bbox_xyxy2xywh(xyxy), xywh)
    center, scale = bbox_xyxy2cs(xyxy, padding=1.25)
    np.testing.assert_allclose(center, [[25, 40]])
    np.testing.assert_allclose(scale, [[37.5, 50]])
    np.testing.assert_allclose(bbox_cs2xyxy(center, scale / 1.25), xyxy)


def test_fix_aspect_ratio_only_enlarges():
    scale = fix_aspect_ratio(np.array([[30., 100.], [100., 30.]]), 0.75)
    np.testing.assert_allclose(scale, [[75, 100], [100, 133.33333]],
                               rtol=1e-5)


def test_flip_bbox_matches_keypoint_convention():
    box = np.array([[10., 5., 30., 25.]])
    flipped = flip_bbox(box, image_width=100)
    np.testing.assert_allclose(flipped, [[69, 5, 89, 25]])
    # the box center flips like a keypoint: x -> W - 1 - x
    assert (flipped[0, 0] + flipped[0, 2]) / 2 == 100 - 1 - 20
    np.testing.assert_allclose(flip_bbox(flipped, 100), box)


@pytest.mark.parametrize('use_udp', [False, True])
@pytest.mark.parametrize('rot', [0., 30., -90.])
def test_warp_matrix_center_scale_and_inverse(use_udp, rot):
    center, scale, size = np.array([120., 80.]), np.array([60., 80.]), (
        192, 256)
    mat = get_warp_matrix(center, scale, rot, size, use_udp=use_udp)
    out_center = ((size[0] - 1) / 2, (size[1] - 1) / 2) if use_udp else (
        size[0] / 2, size[1] / 2)
    np.testing.assert_allclose(_apply(mat, center), out_center, atol=1e-4)
    pts = np.random.default_rng(0).uniform(0, 200, (10, 2))
    inv = get_warp_matrix(center, scale, rot, size, use_udp=use_udp, inv=True)
    np.testing.assert_allclose(_apply(inv, _apply(mat, pts)), pts, atol=1e-3)
    # lengths scale by output / box size (UDP measures pixel intervals, so
    # its x and y ratios differ slightly and only rot=0 keeps them apart)
    if use_udp and rot != 0:
        return
    ratio = (size[0] - 1) / scale[0] if use_udp else size[0] / scale[0]
    step = _apply(mat, center + [1., 0.]) - _apply(mat, center)
    assert np.linalg.norm(step) == pytest.approx(ratio, rel=1e-5)


def test_warp_matrix_by_hand():
    """Box center (10, 20), (w, h) (8, 16), turned by 90 degrees.

    Non-UDP, output (4, 8): scale 4 / 8 = 0.5 and the content turns by -90
    degrees, so x_out = 0.5 * y - 8, y_out = -0.5 * x + 9 (the center goes
    to (2, 4), the left edge middle (10, 16) to (0, 4)). UDP, output (5, 9):
    scale (5 - 1) / 8 = (9 - 1) / 16 = 0.5 and the content turns by +90
    degrees: x_out = -0.5 * y + 12, y_out = 0.5 * x - 1 (center -> (2, 4)).
    """
    center, scale = np.array([10., 20.]), np.array([8., 16.])
    np.testing.assert_allclose(
        get_warp_matrix(center, scale, 90., (4, 8)),
        [[0., 0.5, -8.], [-0.5, 0., 9.]], atol=1e-6)
    np.testing.assert_allclose(
        get_warp_matrix(center, scale, 90., (5, 9), use_udp=True),
        [[0., -0.5, 12.], [0.5, 0., -1.]], atol=1e-6)
    # unrotated: x_out = 0.5 * x - 3, y_out = 0.5 * y - 6
    np.testing.assert_allclose(get_warp_matrix(center, scale, 0., (4, 8)),
                               [[0.5, 0., -3.], [0., 0.5, -6.]], atol=1e-6)


@pytest.mark.parametrize('use_udp', [False, True])
def test_input_to_image_inverts_the_unrotated_warp(use_udp):
    center, scale, size = np.array([[120., 80.], [30., 40.]]), np.array(
        [[60., 80.], [12., 16.]]), (48, 64)
    img_pts = np.random.default_rng(1).uniform(0, 200, (2, 7, 2))
    input_pts = np.stack([
        _apply(get_warp_matrix(c, s, 0., size, use_udp=use_udp), p)
        for c, s, p in zip(center, scale, img_pts)])
    np.testing.assert_allclose(
        input_to_image(input_pts, center[:, None], scale[:, None], size,
                       use_udp), img_pts, atol=1e-3)


def test_geometry_imports_without_torch():
    code = ('import sys; import rtmpose.structures as s; '
            's.get_warp_matrix; import rtmpose.runtime; '
            'print(any(m in sys.modules for m in ("torch", "mmengine")))')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == 'False'


def test_numpy_iou_equals_torch_bbox_overlaps():
    """The torch-free IoU (ONNX runtime NMS, tracking) is the torch one's
    arithmetic, empty boxes included."""
    import torch
    from rtmpose.structures import bbox_iou_matrix, bbox_overlaps
    rng = np.random.default_rng(0)
    xy = rng.uniform(0, 50, (12, 2)).astype(np.float32)
    boxes = np.concatenate([xy, xy + rng.uniform(0, 30, (12, 2))],
                           1).astype(np.float32)
    boxes[3, 2:] = boxes[3, :2]  # empty
    ours = bbox_iou_matrix(boxes[:5], boxes)
    assert ours.dtype == np.float32 and ours.shape == (5, 12)
    np.testing.assert_array_equal(
        ours, bbox_overlaps(torch.from_numpy(boxes[:5]),
                            torch.from_numpy(boxes)).numpy())
    assert ours[3].max() == 0 and ours[0, 0] == 1
