"""Whole-image boxes, COCO JSON detections, torchvision detector errors."""
import json

import numpy as np
import pytest

from rtmpose.apis import (CocoJsonDetector, TorchvisionDetector,
                          WholeImageDetector, build_detector)

IMG = np.zeros((48, 64, 3), np.uint8)


def test_whole_image():
    boxes, scores = WholeImageDetector()(IMG)
    np.testing.assert_array_equal(boxes, [[0, 0, 64, 48]])
    np.testing.assert_array_equal(scores, [1])
    assert isinstance(build_detector(None), WholeImageDetector)


def test_results_list_by_id_and_file_name(tmp_path):
    dets = [
        dict(image_id=397133, category_id=1, bbox=[10, 20, 30, 40], score=0.9),
        dict(image_id=397133, category_id=1, bbox=[0, 0, 5, 5], score=0.1),
        dict(image_id=397133, category_id=3, bbox=[0, 0, 9, 9], score=0.9),
        dict(image_id=7, category_id=1, bbox=[1, 2, 3, 4], score=0.5),
    ]
    path = tmp_path / 'dets.json'
    path.write_text(json.dumps(dets))
    det = CocoJsonDetector(str(path), score_thr=0.3)
    boxes, scores = det(IMG, name='/x/000000397133.jpg')
    np.testing.assert_allclose(boxes, [[10, 20, 40, 60]])
    np.testing.assert_allclose(scores, [0.9])
    boxes, _ = det(IMG, frame_id=7)  # video frames: frame index = image_id
    np.testing.assert_allclose(boxes, [[1, 2, 4, 6]])
    assert det(IMG, frame_id=8)[0].shape == (0, 4)
    assert isinstance(build_detector(str(path)), CocoJsonDetector)


def test_coco_dict_by_file_name(tmp_path):
    coco = dict(
        images=[
            dict(id=5, file_name='a/b.jpg'),
            dict(id=6, file_name='c.jpg')
        ],
        annotations=[dict(image_id=5, category_id=1, bbox=[1, 1, 2, 2])])
    path = tmp_path / 'gt.json'
    path.write_text(json.dumps(coco))
    det = CocoJsonDetector(str(path))
    boxes, scores = det(IMG, frame_id=6, name='b.jpg')
    np.testing.assert_allclose(boxes, [[1, 1, 3, 3]])
    np.testing.assert_allclose(scores, [1])
    assert det(IMG, frame_id=5, name='c.jpg')[0].shape == (0, 4)
    assert det(IMG, name='unknown.jpg')[0].shape == (0, 4)


def test_bad_inputs(tmp_path):
    with pytest.raises(FileNotFoundError, match='missing.json'):
        CocoJsonDetector(str(tmp_path / 'missing.json'))
    path = tmp_path / 'bad.json'
    path.write_text(json.dumps([dict(image_id=1)]))
    with pytest.raises(KeyError, match="detection 0 lacks 'bbox'"):
        CocoJsonDetector(str(path))
    with pytest.raises(ValueError, match='unknown detector'):
        build_detector('yolo')


def test_torchvision_clear_errors(tmp_path):
    """Never downloads: without a usable torchvision the error says so; with
    one, missing weights name the expected path."""
    try:
        import torchvision  # noqa: F401
        usable = True
    except (ImportError, RuntimeError):
        usable = False
    missing = str(tmp_path / 'none.pth')
    if usable:
        with pytest.raises(FileNotFoundError, match='none.pth'):
            TorchvisionDetector('ssdlite320_mobilenet_v3_large', missing)
    else:
        with pytest.raises(RuntimeError, match='torchvision detectors need'):
            TorchvisionDetector('ssdlite320_mobilenet_v3_large', missing)
    with pytest.raises(ValueError, match='unknown torchvision detector'):
        TorchvisionDetector('yolo')


def _scored_detections(tmp_path, scores):
    dets = [dict(image_id=0, category_id=1, bbox=[4 * i, 2, 10, 20],
                 score=float(s)) for i, s in enumerate(scores)]
    path = tmp_path / 'dets.json'
    path.write_text(json.dumps(dets))
    return str(path)


def test_build_detector_applies_the_threshold_to_json(tmp_path):
    """22 boxes scored 0.00, 0.05, ..., 1.05 (the issue's skier image had
    22): the threshold keeps those at or above it."""
    scores = np.round(np.arange(22) * 0.05, 2)
    path = _scored_detections(tmp_path, scores)
    for thr, expected in ((0.0, 22), (0.5, 12), (0.9, 4)):
        boxes, kept = build_detector(path, score_thr=thr)(IMG, 0)
        assert len(boxes) == expected == int((scores >= thr).sum())
        assert kept.min() >= np.float32(thr)


def test_inferencer_det_score_thr_for_every_source(tmp_path):
    from rtmpose.apis import PoseInferencer
    from video_oracle import OracleBackend

    scores = np.round(np.arange(22) * 0.05, 2)
    path = _scored_detections(tmp_path, scores)
    oracle = OracleBackend(np.zeros((1, 22, 17, 2)), np.ones((1, 22, 17)))

    def callable_detector(img, frame_id=0, name=None):
        return CocoJsonDetector(path)(img, frame_id, name)

    img = np.zeros((64, 128, 3), np.uint8)
    for detector in (path, callable_detector):
        for thr, expected in ((0.3, 16), (0.75, 7)):
            result = PoseInferencer(oracle, detector=detector,
                                    det_score_thr=thr,
                                    pose_nms_thr=None).process_frame(img)
            assert len(result.bboxes) == len(result.keypoints) == expected
            assert result.bbox_scores.min() >= np.float32(thr)
