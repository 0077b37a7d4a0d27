"""Published-format RTMPose checkpoints through init_model / Pretrained."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from rtmpose.apis import inference_topdown, init_model
from rtmpose.checkpoint import UnsafeCheckpointError
from rtmpose.registry import MODELS

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(ROOT,
                  'configs/rtmpose/coco/rtmpose-t_8xb256-420e_coco-256x192.py')


@pytest.fixture(scope='module')
def published(tmp_path_factory):
    """An RTMPose-t file laid out like mmpose's releases."""
    init_default_scope('rtmpose')
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(CONFIG).model)
    path = str(tmp_path_factory.mktemp('ckpt') / 'rtmpose-t_published.pth')
    torch.save(
        {
            'meta': {
                'epoch': 420,
                'dataset_meta': {
                    'sigmas': np.full(17, 0.05, dtype=np.float32),
                    'flip_indices': [0, 2, 1],
                },
            },
            'state_dict': model.state_dict(),
        }, path)
    return path, model.state_dict()


def test_init_model_loads_published_checkpoint(published):
    path, state = published
    model = init_model(CONFIG, path)
    for key, value in state.items():
        assert torch.equal(model.state_dict()[key], value), key
    pred_x, pred_y = model(torch.zeros(1, 3, 256, 192), None, mode='tensor')
    assert pred_x.shape == (1, 17, 384) and pred_y.shape == (1, 17, 512)


def test_inference_topdown_returns_image_pixels(published):
    model = init_model(CONFIG, published[0])
    img = np.random.default_rng(0).integers(0, 255, (240, 320, 3), np.uint8)
    boxes = np.array([[10, 20, 110, 220], [150, 30, 300, 230]], np.float32)
    results = inference_topdown(model, img, boxes)
    assert len(results) == 2
    for box, result in zip(boxes, results):
        kpts = result.pred_instances.keypoints
        assert kpts.shape == (1, 17, 2)
        assert result.pred_instances.keypoint_scores.shape == (1, 17)
        # predictions lie inside the padded crop of their box, in pixels
        center, size = (box[:2] + box[2:]) / 2, (box[2:] - box[:2]) * 1.25
        half = np.maximum(size, size[::-1] * [0.75, 4 / 3]) / 2 + 1
        assert np.all(np.abs(kpts[0] - center) <= half)


def test_backbone_from_whole_model_checkpoint(published):
    path, state = published
    init_default_scope('rtmpose')
    cfg = Config.fromfile(CONFIG)
    cfg.model.backbone.init_cfg = dict(
        type='Pretrained', prefix='backbone.', checkpoint=path)
    model = MODELS.build(cfg.model)
    model.init_weights()
    for key, value in model.backbone.state_dict().items():
        assert torch.equal(value, state['backbone.' + key]), key


def test_unsafe_checkpoint_is_refused_by_init_model(published, tmp_path):
    bad = str(tmp_path / 'bad.pth')
    torch.save({'state_dict': published[1],
                'callback': print}, bad)
    with pytest.raises(UnsafeCheckpointError, match='print'):
        init_model(CONFIG, bad)
