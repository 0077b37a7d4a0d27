"""The tiny ViTPose demo model end to end: loss, flip-test prediction."""
from pathlib import Path

import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.structures import InstanceData, PixelData

import rtmpose.models  # noqa: F401
from rtmpose.codecs import UDPHeatmap
from rtmpose.registry import MODELS
from rtmpose.structures import PoseDataSample

REPO = Path(__file__).resolve().parents[2]
FLIP = [0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15]


def test_demo_model_loss_and_predict():
    init_default_scope('rtmpose')
    cfg = Config.fromfile(REPO / 'configs' / 'demo' / 'vitpose-tiny_demo.py')
    model = MODELS.build(cfg.model)
    model.init_weights()
    codec = UDPHeatmap(**{k: v for k, v in cfg.codec.items() if k != 'type'})
    rng = np.random.default_rng(0)
    samples = []
    for _ in range(2):
        kpts = rng.uniform(10, 80, (1, 17, 2)).astype(np.float32)
        enc = codec.encode(kpts)
        sample = PoseDataSample(
            metainfo=dict(
                flip_indices=FLIP,
                input_size=(96, 128),
                input_center=np.array([200., 150.], np.float32),
                input_scale=np.array([190., 254.], np.float32),
                input_udp=True))
        sample.gt_fields = PixelData(
            heatmaps=torch.from_numpy(enc['heatmaps']))
        sample.gt_instance_labels = InstanceData(
            keypoint_weights=torch.from_numpy(enc['keypoint_weights']))
        sample.gt_instances = InstanceData(
            bboxes=np.array([[100., 20., 300., 280.]], np.float32),
            bbox_scores=np.ones(1, np.float32))
        samples.append(sample)
    data = model.data_preprocessor(
        dict(
            inputs=[torch.randint(0, 255, (3, 128, 96), dtype=torch.uint8)
                    for _ in samples],
            data_samples=samples),
        training=True)
    losses = model(data['inputs'], data['data_samples'], mode='loss')
    assert set(losses) == {'loss_kpt', 'acc_pose'}
    assert losses['loss_kpt'] > 0
    losses['loss_kpt'].backward()
    assert model.backbone.pos_embed.grad.abs().sum() > 0

    model.eval()
    assert model.test_cfg['flip_test'] and not model.test_cfg['shift_heatmap']
    with torch.no_grad():
        out = model(data['inputs'], data['data_samples'], mode='predict')
    pred = out[0].pred_instances
    assert pred.keypoints.shape == (1, 17, 2)
    assert pred.keypoint_scores.shape == (1, 17)
    # UDP mapping: input pixel 0 -> centre - scale / 2, pixel 95 -> + scale/2
    assert np.all(pred.keypoints[..., 0] >= 200 - 95 - 1e-3)
    assert np.all(pred.keypoints[..., 0] <= 200 + 95 + 1e-3)
