"""Skip-frame detection, pose NMS and tracking of PoseInferencer, with the
oracle backend of conftest.py on a synthetic panning video."""
import numpy as np

from rtmpose.apis import CocoJsonDetector, FrameSource, PoseInferencer
from video_oracle import CountingDetector, OracleBackend


def _run(video, det_interval, **kwargs):
    oracle = OracleBackend(video['keypoints'], video['visible'], seed=1)
    detector = CountingDetector(CocoJsonDetector(video['det_json']))
    inferencer = PoseInferencer(oracle,
                                detector=detector,
                                det_interval=det_interval,
                                **kwargs)
    results = []
    source = FrameSource(video['video'])
    assert source.is_stream and source.num_frames == 40
    inferencer.reset()
    for frame in source:
        oracle.frame_index = frame.index
        results.append(
            inferencer.process_frame(frame.image, frame.index, None,
                                     frame.index / video['fps']))
    return results, detector.calls, inferencer


def _mean_error(results, video):
    """Mean distance (px) of visible keypoints to the nearest GT person."""
    errors = []
    for res in results:
        gt = video['keypoints'][res.frame_index]
        vis = video['visible'][res.frame_index]
        assert len(res.keypoints) == len(gt), res.frame_index
        for kpts in res.keypoints:
            dist = np.linalg.norm(kpts[None] - gt, axis=-1)  # (N, K)
            person = np.argmin((dist * vis).sum(-1) / vis.sum(-1))
            errors.append(dist[person][vis[person]])
    return float(np.concatenate(errors).mean())


def test_skip_frame_detection(synthetic_video):
    every, calls_1, _ = _run(synthetic_video, 1)
    skip, calls_5, inferencer = _run(synthetic_video, 5)
    assert calls_1 == list(range(40))
    assert calls_5 == list(range(0, 40, 5))  # 1/5 of the frames
    assert inferencer.detector_calls == 8
    assert [r.detected for r in skip] == [i % 5 == 0 for i in range(40)]
    err_every = _mean_error(every, synthetic_video)
    err_skip = _mean_error(skip, synthetic_video)
    assert err_every < 2.0  # the oracle's noise (1 px std) dominates
    assert abs(err_skip - err_every) <= 2.0, (err_skip, err_every)
    # two people, each keeping one id through the clip
    ids = np.array([sorted(r.track_ids.tolist()) for r in skip])
    assert (ids == ids[0]).all() and len(set(ids[0])) == 2


def test_skip_frame_needs_box_propagation(synthetic_video):
    """Control: with K=5 but boxes left at the last detection (no boxes from
    the previous poses) the error grows far beyond the 2 px bound, so the
    skip-frame test above can fail."""
    oracle = OracleBackend(synthetic_video['keypoints'],
                           synthetic_video['visible'],
                           seed=1)
    errors = []
    for i in range(40):
        oracle.frame_index = i
        stale = synthetic_video['bboxes'][i - i % 5]
        crop_info, _ = oracle.preprocess(None, stale)
        kpts, _ = oracle.postprocess(oracle.forward(crop_info), None)
        gt, vis = synthetic_video['keypoints'][i], synthetic_video['visible'][
            i]
        errors.append(np.linalg.norm(kpts - gt, axis=-1)[vis])
    every, _, _ = _run(synthetic_video, 1)
    assert np.concatenate(errors).mean() > _mean_error(every,
                                                       synthetic_video) + 2.0


def test_pose_nms_removes_duplicates(synthetic_video):
    gt_boxes = synthetic_video['bboxes'][0]
    # person 0, person 0 shifted by 2 px (duplicate), person 1
    boxes = np.stack([gt_boxes[0], gt_boxes[0] + 2, gt_boxes[1]])

    def detector(img, frame_id=0, name=None):
        return boxes, np.array([0.9, 0.8, 0.7], np.float32)

    oracle = OracleBackend(synthetic_video['keypoints'],
                           synthetic_video['visible'],
                           noise=0.5)
    img = synthetic_video['frames'][0]
    res = PoseInferencer(oracle, detector=detector).process_frame(img)
    assert len(res.keypoints) == 2
    np.testing.assert_allclose(res.bboxes, boxes[[0, 2]])
    res = PoseInferencer(oracle, detector=detector,
                         pose_nms_thr=None).process_frame(img)
    assert len(res.keypoints) == 3


def test_smoothing_in_the_pipeline(synthetic_video):
    """One-Euro per track: less jitter; on this fast pan (16 px/frame =
    320 px/s, where the filter's cutoff rises to ~17 Hz) the lag costs ~3
    px."""
    raw, _, _ = _run(synthetic_video, 5)
    smooth, _, _ = _run(synthetic_video, 5, smooth=True)

    def jitter(results):
        # second differences cancel the constant-speed pan, leaving noise
        track = np.stack(
            [r.keypoints[np.argsort(r.track_ids)] for r in results])
        return np.abs(np.diff(track, 2, axis=0)).mean()

    assert jitter(smooth) < 0.8 * jitter(raw)
    err_raw = _mean_error(raw, synthetic_video)
    assert _mean_error(smooth, synthetic_video) < err_raw + 4.0
