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
