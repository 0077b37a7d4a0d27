"""rtmpose predict (rtmpose/cli/predict.py) on a few frames of a synthetic video and a folder."""
import json
import os.path as osp

import cv2
import numpy as np
import pytest
import torch

from rtmpose.apis import init_model
from rtmpose.datasets.synthetic import make_synthetic_video

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(ROOT, 'configs/demo/rtmpose-t_demo.py')


def _load_demo():
    from rtmpose.cli import predict
    return predict


@pytest.fixture(scope='module')
def checkpoint(tmp_path_factory):
    torch.manual_seed(0)
    path = str(tmp_path_factory.mktemp('ckpt') / 'demo.pth')
    torch.save(dict(state_dict=init_model(CONFIG).state_dict()), path)
    return path


def test_video(checkpoint, tmp_path):
    video = make_synthetic_video(tmp_path / 'src', num_frames=6)
    out = str(tmp_path / 'out' / 'demo.mp4')
    pred = _load_demo().main([
        CONFIG, checkpoint, '--input', video['video'], '--output', out,
        '--det-json', video['det_json'], '--det-interval', '3', '--smooth',
        '--max-frames', '4'
    ])
    assert pred == str(tmp_path / 'out' / 'demo.json')
    cap = cv2.VideoCapture(out)
    frames = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(frame)
    assert len(frames) == 4 and frames[0].shape == (240, 640, 3)
    # the drawing changed the frames
    assert np.abs(frames[0].astype(int) - video['frames'][0]).mean() > 0.5
    with open(pred) as f:
        data = json.load(f)
    assert len(data['keypoint_names']) == 17
    detected = [fr['detected'] for fr in data['frames']]
    assert detected == [True, False, False, True]
    for fr in data['frames']:
        assert len(fr['instances']) == 2
        inst = fr['instances'][0]
        assert np.array(inst['keypoints']).shape == (17, 2)
        assert len(inst['bbox']) == 4 and isinstance(inst['track_id'], int)


def test_folder(checkpoint, tmp_path):
    src = tmp_path / 'imgs'
    src.mkdir()
    img = np.full((64, 48, 3), 128, np.uint8)
    for name in ('a.jpg', 'b.jpg'):
        cv2.imwrite(str(src / name), img)
    out = tmp_path / 'vis'
    pred = _load_demo().main(
        [CONFIG, checkpoint, '--input',
         str(src), '--output',
         str(out)])
    assert sorted(p.name for p in out.iterdir()) == [
        'a.jpg', 'b.jpg', 'predictions.json'
    ]
    with open(pred) as f:
        frames = json.load(f)['frames']
    assert [fr['name'] for fr in frames] == ['a.jpg', 'b.jpg']
    assert all(len(fr['instances']) == 1 for fr in frames)


def test_make_sample_then_the_readme_commands(checkpoint, tmp_path, capsys):
    """--make-sample writes what the README's video and image examples
    read; a still image gets no track ids; det-score-thr filters the JSON;
    an image without a keypoint over --kpt-thr says so."""
    demo = _load_demo()
    sample = demo.main(['--make-sample', str(tmp_path / 'sample')])
    for key in ('video', 'det_json', 'frame'):
        assert osp.isfile(sample[key])
    assert sample['video'] == str(tmp_path / 'sample' / 'video.avi')
    assert cv2.imread(sample['frame']).shape == (240, 640, 3)
    with open(sample['det_json']) as f:
        assert sum(d['image_id'] == 0 for d in json.load(f)) == 2

    drawn = []
    real_draw = demo.draw_poses

    def recording_draw(*args, **kwargs):
        drawn.append(kwargs.get('track_ids'))
        return real_draw(*args, **kwargs)

    demo.draw_poses = recording_draw
    out = str(tmp_path / 'out.mp4')
    demo.main([CONFIG, checkpoint, '--input', sample['video'], '--output',
               out, '--det-json', sample['det_json'], '--max-frames', '3'])
    assert len(drawn) == 3 and all(ids is not None for ids in drawn)
    drawn.clear()
    pred = demo.main([CONFIG, checkpoint, '--input', sample['frame'],
                      '--output', str(tmp_path / 'frame_vis.png'),
                      '--det-json', sample['det_json'], '--kpt-thr', '1e6'])
    assert drawn == [None]  # boxes, but no track ids, on a still image
    with open(pred) as f:
        assert len(json.load(f)['frames'][0]['instances']) == 2
    out = capsys.readouterr().out
    assert 'no keypoint scored above --kpt-thr 1e+06 in the image' in out
    assert 'whole-image person box' not in out
    # a threshold over the sample's scores (1.0) leaves no box at all
    pred = demo.main([CONFIG, checkpoint, '--input', sample['frame'],
                      '--output', str(tmp_path / 'none.png'), '--det-json',
                      sample['det_json'], '--det-score-thr', '1.01'])
    with open(pred) as f:
        assert json.load(f)['frames'][0]['instances'] == []


def test_without_a_detector_it_says_so(checkpoint, tmp_path, capsys):
    img = str(tmp_path / 'crop.jpg')
    cv2.imwrite(img, np.full((64, 48, 3), 128, np.uint8))
    _load_demo().main([CONFIG, checkpoint, '--input', img, '--output',
                       str(tmp_path / 'vis.jpg'), '--kpt-thr', '1e6'])
    out = capsys.readouterr().out
    assert 'each frame is one whole-image person box' in out
    assert 'no keypoint scored above --kpt-thr 1e+06 in the image' in out


def test_video_with_rtmdet(checkpoint, tmp_path):
    """--det-config/--det-checkpoint: the RTMDet detector's boxes scored
    >= --det-score-thr on detection frames."""
    from rtmpose.apis import RTMDetDetector
    det_config = osp.join(
        ROOT, 'configs/rtmdet/person/rtmdet_nano_320-8xb32_coco-person.py')
    torch.manual_seed(0)
    det = init_model(det_config)
    with torch.no_grad():  # scores 0.62 at stride 16, boxes 2 strides wide
        for conv, bias in zip(det.bbox_head.rtm_cls, (-1.5, 0.5, -0.5)):
            conv.bias.fill_(bias)
        for conv in det.bbox_head.rtm_reg:
            conv.bias.fill_(1.0)
    det_ckpt = str(tmp_path / 'det.pth')
    torch.save(dict(state_dict=det.state_dict()), det_ckpt)
    video = make_synthetic_video(tmp_path / 'src', num_frames=3)
    pred = _load_demo().main([
        CONFIG, checkpoint, '--input', video['video'], '--output',
        str(tmp_path / 'out.mp4'), '--det-config', det_config,
        '--det-checkpoint', det_ckpt, '--det-score-thr', '0.6',
        '--det-interval', '2', '--max-frames', '1'
    ])
    with open(pred) as f:
        frame = json.load(f)['frames'][0]
    boxes, scores = RTMDetDetector(det_config, det_ckpt, score_thr=0.6)(
        video['frames'][0])
    assert frame['detected'] and len(boxes) > 0
    # after pose NMS at most the detected boxes, each one of them
    got = np.array([inst['bbox'] for inst in frame['instances']])
    assert 0 < len(got) <= len(boxes)
    assert np.abs(got[:, None] - boxes[None]).max(-1).min(1).max() < 0.01
    with pytest.raises(ValueError, match='--det-config'):
        _load_demo().main([CONFIG, checkpoint, '--input', video['video'],
                           '--output', str(tmp_path / 'x.mp4'),
                           '--det-checkpoint', det_ckpt])


def test_save_coco_and_progress_lines(checkpoint, tmp_path, capsys):
    """--save-coco: COCO keypoint results beside the per-frame JSON, the
    same numbers; progress in a pipe: plain lines, no carriage returns."""
    video = make_synthetic_video(tmp_path / 'src', num_frames=4)
    out = tmp_path / 'out.avi'
    pred = _load_demo().main([
        CONFIG, checkpoint, '--input', video['video'], '--output', str(out),
        '--det-json', video['det_json'], '--save-coco'
    ])
    log = capsys.readouterr().out
    assert '\r' not in log and 'predict: 100%' in log
    assert str(tmp_path / 'out.keypoints.json') in log
    with open(pred) as f:
        frames = json.load(f)['frames']
    with open(tmp_path / 'out.keypoints.json') as f:
        coco = json.load(f)
    assert len(frames) == 4 and len(coco) == 8  # two people a frame
    assert [r['image_id'] for r in coco] == [0, 0, 1, 1, 2, 2, 3, 3]
    inst = frames[1]['instances'][0]
    entry = coco[2]
    assert entry['category_id'] == 1 and len(entry['keypoints']) == 51
    kpts = np.array(entry['keypoints']).reshape(17, 3)
    np.testing.assert_allclose(kpts[:, :2], inst['keypoints'], atol=0.01)
    np.testing.assert_allclose(kpts[:, 2], inst['keypoint_scores'],
                               atol=1e-4)
    assert entry['score'] == pytest.approx(
        inst['bbox_score'] * np.mean(inst['keypoint_scores']), abs=1e-4)


def test_show_without_a_display_says_so(checkpoint, tmp_path, capsys,
                                        monkeypatch):
    monkeypatch.delenv('DISPLAY', raising=False)
    monkeypatch.delenv('WAYLAND_DISPLAY', raising=False)
    demo = _load_demo()
    monkeypatch.setattr(demo.sys, 'platform', 'linux')
    img = str(tmp_path / 'crop.jpg')
    cv2.imwrite(img, np.full((64, 48, 3), 128, np.uint8))
    demo.main([CONFIG, checkpoint, '--input', img, '--output',
               str(tmp_path / 'vis.jpg'), '--show'])
    assert '--show: no display (DISPLAY and WAYLAND_DISPLAY are not set)' \
        in capsys.readouterr().out
    assert osp.isfile(tmp_path / 'vis.jpg')


def test_show_window_stops_on_q(checkpoint, tmp_path, monkeypatch):
    """With a display each frame goes to the window; q ends the run, the
    outputs hold the frames done."""
    demo = _load_demo()
    monkeypatch.setattr(demo, 'no_display_reason', lambda: None)
    shown = []
    monkeypatch.setattr(demo.cv2, 'imshow',
                        lambda name, img: shown.append(img.shape))
    keys = iter([-1, ord('q')])
    monkeypatch.setattr(demo.cv2, 'waitKey', lambda delay: next(keys))
    monkeypatch.setattr(demo.cv2, 'destroyAllWindows', lambda: None)
    video = make_synthetic_video(tmp_path / 'src', num_frames=5)
    pred = demo.main([CONFIG, checkpoint, '--input', video['video'],
                      '--output', str(tmp_path / 'out.avi'), '--det-json',
                      video['det_json'], '--show'])
    assert shown == [(240, 640, 3)] * 2
    with open(pred) as f:
        assert len(json.load(f)['frames']) == 2


def test_ctrl_c_keeps_what_was_done(checkpoint, tmp_path, capsys,
                                    monkeypatch):
    """Ctrl-C during a stream: the video, the JSON and the COCO results
    hold the finished frames, and the capture is released."""
    demo = _load_demo()
    real_draw, calls = demo.draw_poses, []

    def draw_then_interrupt(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real_draw(*args, **kwargs)

    monkeypatch.setattr(demo, 'draw_poses', draw_then_interrupt)
    released = []
    real_capture = cv2.VideoCapture

    class Capture:
        # a wrapper: a Python subclass of cv2.VideoCapture crashes the
        # interpreter when the garbage collector frees it later
        def __init__(self, *args):
            self._cap = real_capture(*args)

        def __getattr__(self, name):
            return getattr(self._cap, name)

        def release(self):
            released.append(1)
            self._cap.release()

    from rtmpose.apis import frame_source
    monkeypatch.setattr(frame_source.cv2, 'VideoCapture', Capture)
    video = make_synthetic_video(tmp_path / 'src', num_frames=6)
    out = tmp_path / 'out.avi'
    pred = demo.main([CONFIG, checkpoint, '--input', video['video'],
                      '--output', str(out), '--det-json', video['det_json'],
                      '--save-coco'])
    assert 'interrupted after 2 frames' in capsys.readouterr().out
    with open(pred) as f:
        assert len(json.load(f)['frames']) == 2
    with open(tmp_path / 'out.keypoints.json') as f:
        assert len(json.load(f)) == 4
    assert len(released) == 2  # the probe at FrameSource(), the reader
    cap = cv2.VideoCapture(str(out))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == 2
