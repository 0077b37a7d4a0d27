"""docs/add_a_backbone.md, worked example: a backbone defined here (outside
the package) trains, tests and exports with an RTMCC head through the
normal tools (config: configs/tiny_backbone.py)."""
import numpy as np
import torch
from torch import nn

from rtmpose.models.backbones import BaseBackbone
from rtmpose.registry import MODELS

from five_keypoints import train_test_export


@MODELS.register_module()
class TinyNet(BaseBackbone):
    """(N, 3, H, W) -> ((N, channels[-1], H/16, W/16), ): four stride-2
    3x3 conv + BN + ReLU stages."""

    def __init__(self, channels=(16, 32, 48, 64), init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        layers, in_channels = [], 3
        for out_channels in channels:
            layers += [nn.Conv2d(in_channels, out_channels, 3, 2, 1,
                                 bias=False),
                       nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True)]
            in_channels = out_channels
        self.layers = nn.Sequential(*layers)
        # the contract: one map, its channels and stride
        self.out_channels = (channels[-1], )
        self.out_strides = (2**len(channels), )

    def forward(self, x):
        return (self.layers(x), )


def test_tiny_backbone_trains_tests_and_exports(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = train_test_export('tiny_backbone.py', tmp_path)
    # the test set's OKS AP of one epoch: a number, not a failure
    assert 0.0 <= out['metrics']['coco/AP'] <= 1.0
    assert out['meta']['outputs'] == 'simcc'
    assert out['meta']['input_size'] == [64, 64]
    assert len(out['meta']['dataset_meta']['keypoint_names']) == 5
    # onnxruntime = eager PyTorch, keypoints in image pixels
    (onnx_kpts, onnx_scores), (kpts, scores) = out['onnx'], out['torch']
    assert kpts.shape == (1, 5, 2)
    np.testing.assert_allclose(onnx_kpts, kpts, atol=1e-3)
    np.testing.assert_allclose(onnx_scores, scores, atol=1e-4)


def test_the_head_follows_the_declared_stride():
    """No map size written in the config: 64 / 16 = 4."""
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from five_keypoints import CONFIGS
    init_default_scope('rtmpose')
    cfg = Config.fromfile(str(CONFIGS / 'tiny_backbone.py'))
    model = MODELS.build(cfg.model)
    assert model.head.in_featuremap_size == (4, 4)
    with torch.no_grad():
        x, y = model(torch.zeros(1, 3, 64, 64))
    assert (x.shape, y.shape) == ((1, 5, 128), (1, 5, 128))
