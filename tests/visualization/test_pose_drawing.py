"""Skeleton drawing with the dataset colours; codec target drawing."""
import numpy as np

from rtmpose.datasets import parse_pose_metainfo
from rtmpose.visualization import (draw_heatmaps, draw_poses,
                                   draw_simcc_targets, track_color)

META = parse_pose_metainfo(dict(from_file='configs/_base_/datasets/coco.py'))


def _pose():
    kpts = np.zeros((1, 17, 2), np.float32)
    kpts[0, :, 0] = np.linspace(20, 180, 17)
    kpts[0, :, 1] = 100
    return kpts


def test_keypoint_colors_and_threshold():
    img = np.zeros((200, 200, 3), np.uint8)
    kpts = _pose()
    scores = np.ones((1, 17), np.float32)
    scores[0, 3] = 0.1  # below the threshold: not drawn
    out = draw_poses(img, kpts, scores, META, kpt_thr=0.3, radius=3)
    assert out is not img and img.max() == 0
    for k in (0, 5, 6):
        x, y = kpts[0, k].astype(int)
        # metainfo colours are RGB; the image is BGR
        np.testing.assert_array_equal(out[y, x],
                                      META['keypoint_colors'][k][::-1])
    # alone, a keypoint under the threshold leaves the image untouched
    scores[:] = 0.1
    assert draw_poses(img, kpts, scores, META, kpt_thr=0.3).max() == 0


def test_links_boxes_and_ids():
    img = np.zeros((200, 200, 3), np.uint8)
    kpts = np.array([[[40, 40]] * 17], np.float32)
    kpts[0, 5] = (40, 40)
    kpts[0, 6] = (160, 40)  # left-right shoulder link (5, 6)
    scores = np.zeros((1, 17), np.float32)
    scores[0, [5, 6]] = 1
    link = META['skeleton_links'].index((5, 6))
    out = draw_poses(img, kpts, scores, META, radius=2, thickness=2)
    np.testing.assert_array_equal(out[40, 100],
                                  META['skeleton_link_colors'][link][::-1])
    boxed = draw_poses(img,
                       kpts,
                       scores,
                       META,
                       bboxes=np.array([[20, 20, 180, 180]]),
                       track_ids=np.array([3]))
    assert tuple(boxed[180, 100]) == track_color(3)
    assert track_color(3) != track_color(4)
    empty = draw_poses(img, np.zeros((0, 17, 2)), np.zeros((0, 17)), META)
    assert empty.max() == 0


def test_target_drawing():
    img = np.zeros((64, 48, 3), np.uint8)
    x_labels = np.zeros((17, 96), np.float32)
    y_labels = np.zeros((17, 128), np.float32)
    x_labels[0, 40] = y_labels[0, 60] = 1
    weights = np.zeros(17)
    weights[0] = 1
    out = draw_simcc_targets(img, x_labels, y_labels, 2.0,
                             META['keypoint_colors'], weights)
    # the x curve peaks at pixel 20, a quarter of the height above the bottom
    assert out[63 - 12, 20].any() and not out[63 - 12, 30].any()
    heat = np.zeros((17, 16, 12), np.float32)
    heat[2, 8, 6] = 1
    blended = draw_heatmaps(img, heat)
    assert blended[32, 24].sum() > blended[2, 2].sum()
