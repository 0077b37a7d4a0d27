"""One backbone, one head per dataset: loss routing, gradients, predict."""
from pathlib import Path

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.structures import InstanceData, PixelData

import rtmpose.models  # noqa: F401
from rtmpose.codecs import UDPHeatmap
from rtmpose.registry import MODELS
from rtmpose.structures import PoseDataSample

REPO = Path(__file__).resolve().parents[2]
CONFIG = (REPO / 'configs' / 'vitpose' / 'coco' /
          'vitpose-base-multihead_8xb64-210e_aic-coco-256x192.py')
TINY = dict(embed_dims=32, num_layers=2, num_heads=2, feedforward_channels=64)
CODEC = dict(input_size=(48, 64), heatmap_size=(6, 8), sigma=1)
NUM_KPTS = dict(coco=17, aic=14)


def head(num_keypoints):
    return dict(type='HeatmapHead', in_channels=32, out_channels=num_keypoints,
                deconv_out_channels=(16, ), deconv_kernel_sizes=(4, ),
                decoder=dict(type='UDPHeatmap', **CODEC))


def build(predict_head='coco'):
    init_default_scope('rtmpose')
    torch.manual_seed(0)
    model = MODELS.build(
        dict(type='MultiHeadTopdownPoseEstimator',
             backbone=dict(type='VisionTransformer', arch=TINY,
                           img_size=(64, 48)),
             heads=dict(coco=head(17), aic=head(14)),
             predict_head=predict_head))
    model.init_weights()
    return model


def samples(names, seed=0):
    codec = UDPHeatmap(**CODEC)
    rng = np.random.default_rng(seed)
    out = []
    for name in names:
        k = NUM_KPTS[name]
        enc = codec.encode(rng.uniform(5, 40, (1, k, 2)).astype(np.float32))
        sample = PoseDataSample(metainfo=dict(
            dataset_name=name, input_size=(48, 64),
            input_center=np.array([100., 100.], np.float32),
            input_scale=np.array([96., 128.], np.float32), input_udp=True))
        sample.gt_fields = PixelData(
            heatmaps=torch.from_numpy(enc['heatmaps']))
        sample.gt_instance_labels = InstanceData(
            keypoint_weights=torch.from_numpy(enc['keypoint_weights']))
        out.append(sample)
    return out


def test_losses_go_to_the_head_of_each_dataset():
    model = build()
    names = ['coco', 'aic', 'aic', 'coco', 'aic']
    batch = samples(names)
    x = torch.randn(len(names), 3, 64, 48)
    losses = model(x, batch, mode='loss')
    assert set(losses) == {'loss_kpt_coco', 'acc_pose_coco', 'loss_kpt_aic',
                           'acc_pose_aic'}
    # each head's loss on its own samples, scaled by its batch share
    with torch.no_grad():
        feats = model.extract_feat(x)
        for name, rows in (('coco', [0, 3]), ('aic', [1, 2, 4])):
            own = model.heads[name].loss(
                tuple(f[rows] for f in feats), [batch[i] for i in rows])
            expected = own['loss_kpt'] * len(rows) / len(names)
            torch.testing.assert_close(losses[f'loss_kpt_{name}'], expected)
            assert losses[f'loss_kpt_{name}'] > 0

    # the COCO loss reaches the backbone and the COCO head only
    losses['loss_kpt_coco'].backward()
    assert all(p.grad is None for p in model.heads['aic'].parameters())
    assert all(p.grad is not None and p.grad.abs().sum() > 0
               for p in model.heads['coco'].parameters())
    assert model.backbone.pos_embed.grad.abs().sum() > 0


def test_batch_of_one_dataset_and_unknown_name():
    model = build()
    losses = model(torch.randn(2, 3, 64, 48), samples(['aic', 'aic']),
                   mode='loss')
    assert set(losses) == {'loss_kpt_aic', 'acc_pose_aic'}
    batch = samples(['coco'])
    batch[0].set_metainfo(dict(dataset_name='mpii'))
    with pytest.raises(KeyError, match="'mpii'"):
        model(torch.randn(1, 3, 64, 48), batch, mode='loss')


@pytest.mark.parametrize('name', ['coco', 'aic'])
def test_predict_uses_the_configured_head(name):
    model = build(predict_head=name).eval()
    x = torch.randn(2, 3, 64, 48)
    with torch.no_grad():
        heatmaps = model(x, mode='tensor')
        out = model(x, samples(['coco', 'aic']), mode='predict')
        expected = model.heads[name](model.extract_feat(x))
    assert heatmaps.shape == (2, NUM_KPTS[name], 8, 6)
    torch.testing.assert_close(heatmaps, expected)
    for sample in out:
        assert sample.pred_instances.keypoints.shape == (1, NUM_KPTS[name], 2)
    with pytest.raises(KeyError, match='predict_head'):
        build(predict_head='mpii')


def test_multihead_config_builds():
    init_default_scope('rtmpose')
    cfg = Config.fromfile(CONFIG)
    with torch.device('meta'):
        model = MODELS.build(cfg.model)
        heatmaps = model(torch.empty(1, 3, 256, 192), mode='tensor')
    assert {n: h.out_channels for n, h in model.heads.items()} == NUM_KPTS
    assert model.predict_head == 'coco'
    assert heatmaps.shape == (1, 17, 64, 48)
    assert cfg.find_unused_parameters is True
    assert cfg.train_dataloader.dataset.type == 'MultiLayoutDataset'
    # members keep their keypoints: no converter in their pipelines
    assert all(not d.pipeline for d in cfg.train_dataloader.dataset.datasets)
    assert cfg.val_evaluator.type == 'CocoMetric'
