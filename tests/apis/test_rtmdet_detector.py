"""RTMDet as the inferencer's person detector: (config, checkpoint) specs,
det_score_thr honoured, boxes handed to the pose stage, skip-frame
detection."""
import numpy as np
import pytest
import torch

from rtmpose.apis import (PoseInferencer, RTMDetDetector, build_detector,
                          inference_detector, init_model)

DET_CONFIG = 'configs/rtmdet/person/rtmdet_nano_320-8xb32_coco-person.py'
POSE_CONFIG = 'configs/demo/rtmpose-t_demo.py'
# per-level classification biases: scores ~ sigmoid(b) = 0.18 / 0.62 / 0.38
# at strides 8 / 16 / 32 (the random convs add little)
LEVEL_BIASES = (-1.5, 0.5, -0.5)


@pytest.fixture(scope='module')
def det_ckpt(tmp_path_factory):
    torch.manual_seed(0)
    model = init_model(DET_CONFIG)
    with torch.no_grad():
        for conv, bias in zip(model.bbox_head.rtm_cls, LEVEL_BIASES):
            conv.bias.fill_(bias)
        for conv in model.bbox_head.rtm_reg:  # boxes 2 strides wide
            conv.bias.fill_(1.0)
    path = str(tmp_path_factory.mktemp('det') / 'rtmdet.pth')
    torch.save(dict(state_dict=model.state_dict()), path)
    return path


def test_score_threshold_is_honoured(det_ckpt, synthetic_video):
    img = synthetic_video['frames'][0]
    model = init_model(DET_CONFIG, det_ckpt)
    all_boxes, all_scores = inference_detector(model, img)
    assert len(all_boxes) == 100  # max_per_img, the 0.62 level first
    assert all_scores.min() > 0.55
    for thr, expected in ((0.5, 100), (0.7, 0)):
        det = RTMDetDetector(DET_CONFIG, det_ckpt, score_thr=thr)
        boxes, scores = det(img)
        assert len(boxes) == expected
        keep = all_scores >= thr
        np.testing.assert_allclose(boxes, all_boxes[keep], atol=1e-4)
        np.testing.assert_allclose(scores, all_scores[keep], atol=1e-6)
    # boxes are in image pixels of the 640 x 240 frame
    assert (all_boxes[:, 2] <= 640).all() and (all_boxes[:, 3] <= 240).all()


def test_build_detector_specs(det_ckpt):
    assert isinstance(build_detector((DET_CONFIG, det_ckpt)), RTMDetDetector)
    det = build_detector(DET_CONFIG, weights=det_ckpt, score_thr=0.25)
    assert isinstance(det, RTMDetDetector) and det.score_thr == 0.25
    with pytest.raises(TypeError, match='does not build a detector'):
        RTMDetDetector(POSE_CONFIG)
    with pytest.raises(ValueError, match='config, checkpoint'):
        build_detector((DET_CONFIG, ))


def test_inferencer_runs_detector_then_pose(det_ckpt, synthetic_video):
    torch.manual_seed(0)
    pose = init_model(POSE_CONFIG)
    det = RTMDetDetector(DET_CONFIG, det_ckpt, score_thr=0.5)
    img = synthetic_video['frames'][0]
    boxes, scores = det(img)
    inferencer = PoseInferencer(pose, detector=(DET_CONFIG, det_ckpt),
                                det_score_thr=0.5, pose_nms_thr=None)
    res = inferencer.process_frame(img, sequence=False)
    np.testing.assert_allclose(res.bboxes, boxes, atol=1e-4)
    np.testing.assert_allclose(res.bbox_scores, scores, atol=1e-6)
    assert res.keypoints.shape == (len(boxes), 17, 2)
    # skip-frame detection on a video: the detector on frames 0 and 5
    inferencer = PoseInferencer(pose, detector=(DET_CONFIG, det_ckpt),
                                det_score_thr=0.5, det_interval=5)
    detected = [r.detected for _, r in inferencer.iter_frames(
        synthetic_video['video'], max_frames=7)]
    assert detected == [True, False, False, False, False, True, False]
    assert inferencer.detector_calls == 2
