"""PoseInferencer with a PyTorch model: same keypoints as inference_topdown,
model from (config, checkpoint), folders of images."""
import cv2
import numpy as np
import pytest
import torch

from rtmpose.apis import PoseInferencer, inference_topdown, init_model

CONFIG = 'configs/demo/rtmpose-t_demo.py'


@pytest.fixture(scope='module')
def model():
    torch.manual_seed(0)
    model = init_model(CONFIG)
    model.test_cfg['flip_test'] = False  # the inferencer runs one pass
    return model


def test_matches_inference_topdown(model, synthetic_video, tmp_path):
    img = synthetic_video['frames'][0]
    boxes = synthetic_video['bboxes'][0]
    expected = np.concatenate([
        s.pred_instances.keypoints
        for s in inference_topdown(model, img, boxes)
    ])
    scores = np.concatenate([
        s.pred_instances.keypoint_scores
        for s in inference_topdown(model, img, boxes)
    ])

    def detector(img, frame_id=0, name=None):
        return boxes, np.ones(len(boxes), np.float32)

    inferencer = PoseInferencer(model, detector=detector, pose_nms_thr=None)
    res = inferencer.process_frame(img)
    np.testing.assert_allclose(res.keypoints, expected, atol=1e-3)
    # the same frame index again: detected again, not propagated
    assert inferencer.process_frame(img).detected
    assert inferencer.detector_calls == 2
    np.testing.assert_allclose(res.keypoint_scores, scores, atol=1e-4)
    np.testing.assert_array_equal(res.bboxes, boxes)

    # the same weights through (config, checkpoint)
    ckpt = str(tmp_path / 'model.pth')
    torch.save(dict(state_dict=model.state_dict()), ckpt)
    res2 = PoseInferencer((CONFIG, ckpt), detector=detector,
                          pose_nms_thr=None).process_frame(img)
    np.testing.assert_allclose(res2.keypoints, res.keypoints, atol=1e-4)


def test_folder_of_images(model, synthetic_video, tmp_path):
    for i in (0, 5):
        cv2.imwrite(str(tmp_path / f'{i:03d}.png'),
                    synthetic_video['frames'][i])
    inferencer = PoseInferencer(model, det_interval=5)
    results = list(inferencer(str(tmp_path)))
    assert [r.name for r in results] == ['000.png', '005.png']
    # independent images: the detector runs on each, ids restart
    assert inferencer.detector_calls == 2
    for r in results:
        assert r.keypoints.shape == (1, 17, 2)
        assert r.track_ids.tolist() == [0] and r.detected
    json_ready = results[0].to_dict()
    assert len(json_ready['instances'][0]['keypoints']) == 17
    with pytest.raises(TypeError, match='model must be'):
        PoseInferencer(42)


def test_result_plot_draws_on_its_frame(model, synthetic_video):
    """``result.plot()``: the frame with the skeletons, as draw_poses makes
    it; the frame itself is left as it was."""
    from rtmpose.visualization import draw_poses
    img = synthetic_video['frames'][0]
    before = img.copy()
    boxes = synthetic_video['bboxes'][0]
    result = PoseInferencer(
        model, detector=lambda *a, **k: (boxes, np.ones(len(boxes)))
    ).process_frame(img)
    assert result.keypoints.shape == (2, 17, 2)
    drawn = result.plot(kpt_thr=0.0)
    np.testing.assert_array_equal(
        drawn, draw_poses(img, result.keypoints, result.keypoint_scores,
                          result.dataset_meta, 0.0, bboxes=result.bboxes))
    assert drawn.shape == img.shape and (drawn != img).any()
    np.testing.assert_array_equal(img, before)
    assert 'image' not in repr(result)
    coco = result.to_coco(image_id=7)
    assert [c['image_id'] for c in coco] == [7, 7]
    np.testing.assert_allclose(
        np.array(coco[1]['keypoints']).reshape(17, 3)[:, :2],
        result.keypoints[1], atol=1e-3)
