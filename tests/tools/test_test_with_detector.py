"""tools/test.py --det-config --det-checkpoint: pose AP on detected boxes,
the boxes dumped as COCO detection results."""
import json
import os.path as osp
import re

import numpy as np
import torch

from rtmpose.apis import inference_detector, init_model
from test_train_test_cli import CONFIG, ROOT, _metrics, _run, _tiny_options

DET_CONFIG = osp.join(
    ROOT, 'configs/rtmdet/person/rtmdet_nano_320-8xb32_coco-person.py')


def _biased_detector(path):
    """Random RTMDet-nano whose boxes score 0.62 at stride 16 (boxes two
    strides wide), other levels lower."""
    torch.manual_seed(0)
    model = init_model(DET_CONFIG)
    with torch.no_grad():
        for conv, bias in zip(model.bbox_head.rtm_cls, (-1.5, 0.5, -0.5)):
            conv.bias.fill_(bias)
        for conv in model.bbox_head.rtm_reg:
            conv.bias.fill_(1.0)
    torch.save(dict(state_dict=model.state_dict()), path)
    return model


def test_pose_ap_on_detected_boxes(tmp_path):
    data_root = str(tmp_path / 'data')
    det_ckpt = str(tmp_path / 'det.pth')
    det_model = _biased_detector(det_ckpt)
    torch.manual_seed(0)
    pose_ckpt = str(tmp_path / 'pose.pth')
    torch.save(dict(state_dict=init_model(CONFIG).state_dict()), pose_ckpt)
    dump = str(tmp_path / 'boxes.json')
    poses = str(tmp_path / 'poses.keypoints.json')
    log = _run(['tools/test.py', CONFIG, pose_ckpt, '--work-dir',
                str(tmp_path / 'work'), '--dump', poses,
                '--det-config', DET_CONFIG,
                '--det-checkpoint', det_ckpt, '--det-score-thr', '0.6',
                '--dump-det', dump, '--compare-gt-boxes', '--cfg-options'] +
               _tiny_options(data_root), cwd=ROOT)
    assert re.search(r'coco/bbox_mAP: [0-9.]+', log), log[-2000:]
    _metrics(log)  # pose AP printed
    on_det = re.search(r'on detected boxes: coco/AP: ([0-9.]+)', log)
    on_gt = re.search(r"on the config's boxes: coco/AP: ([0-9.]+)", log)
    assert on_det and on_gt, log[-2000:]
    with open(dump) as f:
        dets = json.load(f)
    with open(osp.join(data_root, 'annotations',
                       'person_keypoints_val.json')) as f:
        images = json.load(f)['images']
    assert {d['image_id'] for d in dets} == {img['id'] for img in images}
    # the dump holds the detector's boxes (xywh) of each image
    img = images[0]
    boxes, scores = inference_detector(
        det_model, osp.join(data_root, 'images/val', img['file_name']))
    mine = np.array([d['bbox'] for d in dets if d['image_id'] == img['id']])
    np.testing.assert_allclose(mine[:, :2], boxes[:, :2], atol=1e-3)
    np.testing.assert_allclose(mine[:, 2:], boxes[:, 2:] - boxes[:, :2],
                               atol=1e-3)
    # one pose per detected box scored >= --det-score-thr, before OKS NMS
    with open(poses) as f:
        pose_preds = json.load(f)
    for img_id in {d['image_id'] for d in dets}:
        n_boxes = sum(d['score'] >= 0.6 for d in dets
                      if d['image_id'] == img_id)
        n_poses = sum(p['image_id'] == img_id for p in pose_preds)
        assert 0 < n_poses <= n_boxes
