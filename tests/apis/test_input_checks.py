"""inference_topdown and PoseInferencer check images and boxes: (N, 5)
boxes keep their scores, garbage is refused with a message saying what to
pass, an empty box array gives no poses."""
import numpy as np
import pytest
import torch

from rtmpose.apis import PoseInferencer, inference_topdown, init_model
from rtmpose.apis.input_checks import check_boxes, check_image

CONFIG = 'configs/demo/rtmpose-t_demo.py'
IMG = np.random.default_rng(0).integers(0, 255, (128, 160, 3), np.uint8)
BOXES = np.array([[10, 20, 70, 120], [80, 10, 150, 110]], np.float32)


@pytest.fixture(scope='module')
def model():
    torch.manual_seed(0)
    return init_model(CONFIG)


@pytest.mark.parametrize('img, match', [
    (IMG.astype(np.float32) / 255, r'uint8 .*\[0, 1\]: pass \(img \* 255\)'),
    (IMG.astype(np.float64), 'uint8.*astype'),
    (IMG.transpose(2, 0, 1).copy(), r'channel first.*transpose\(1, 2, 0\)'),
    (np.zeros((8, 8, 4), np.uint8), 'COLOR_BGRA2BGR'),
    ([[0, 1]], 'image path or an'),
])
def test_bad_images_are_refused(img, match):
    with pytest.raises((ValueError, TypeError), match=match):
        check_image(img)


def test_grey_images_become_bgr():
    grey = IMG[..., 0]
    assert check_image(grey).shape == (128, 160, 3)
    assert check_image(grey[..., None]).shape == (128, 160, 3)
    assert check_image(IMG) is IMG


@pytest.mark.parametrize('boxes, match', [
    (np.array([[0, 0, np.nan, 10]]), r'bboxes\[0\].*not finite'),
    (np.array([[0, 0, 10, 10], [5, 5, 5, 20]]), r'bboxes\[1\].*no area'),
    (np.zeros((2, 6)), r'\(N, 4\) xyxy or \(N, 5\)'),
    (np.zeros((2, 2, 4)), r'got shape \(2, 2, 4\)'),
])
def test_bad_boxes_are_refused(boxes, match):
    with pytest.raises(ValueError, match=match):
        check_boxes(boxes, (100, 100))


def test_box_forms():
    boxes, scores = check_boxes(np.c_[BOXES, [0.9, 0.4]], (128, 160))
    np.testing.assert_array_equal(boxes, BOXES)
    np.testing.assert_allclose(scores, [0.9, 0.4])
    boxes, scores = check_boxes([1, 2, 3, 4], (128, 160), 'xywh')
    np.testing.assert_array_equal(boxes, [[1, 2, 4, 6]])
    assert scores is None
    boxes, _ = check_boxes(None, (128, 160))
    np.testing.assert_array_equal(boxes, [[0, 0, 160, 128]])
    assert check_boxes(np.zeros((0, 4)), (1, 1))[0].shape == (0, 4)


def test_inference_topdown_boxes_with_scores(model):
    plain = inference_topdown(model, IMG, BOXES)
    scored = inference_topdown(model, IMG, np.c_[BOXES, [0.9, 0.4]])
    assert len(scored) == 2  # not re-cut into 2.5 boxes by reshape(-1, 4)
    for a, b, score in zip(plain, scored, (0.9, 0.4)):
        np.testing.assert_allclose(a.pred_instances.keypoints,
                                   b.pred_instances.keypoints)
        np.testing.assert_allclose(b.pred_instances.bbox_scores, [score])
    assert inference_topdown(model, IMG, np.zeros((0, 4))) == []
    with pytest.raises(ValueError, match='not finite'):
        inference_topdown(model, IMG, np.array([[0, 0, np.nan, 5]]))
    with pytest.raises(ValueError, match=r'\[0, 1\]'):
        inference_topdown(model, IMG / 255.0, BOXES)


def test_inferencer_checks_frames_and_detector_boxes(model):
    boxes = np.concatenate([BOXES, [[np.nan, 0, 5, 5], [9, 9, 9, 30]]])

    def detector(img, frame_id=0, name=None):
        return boxes, np.ones(len(boxes), np.float32)

    inferencer = PoseInferencer(model, detector=detector, pose_nms_thr=None)
    with pytest.warns(UserWarning, match='2 box.*not finite or have no area'):
        result = inferencer.process_frame(IMG)
    np.testing.assert_array_equal(result.bboxes, BOXES)
    assert np.isfinite(result.keypoints).all()
    with pytest.raises(ValueError, match='channel first'):
        inferencer.process_frame(IMG.transpose(2, 0, 1).copy())
