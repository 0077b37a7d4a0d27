"""The CSPNeXt UDP heatmap pre-training config and its hand-over to RTMPose."""
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from rtmpose.registry import MODELS

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PRETRAIN = osp.join(
    ROOT, 'configs/rtmpose/coco/cspnext-m_udp_8xb256-210e_aic-coco-256x192.py')
RTMPOSE = osp.join(
    ROOT, 'configs/rtmpose/coco/rtmpose-m_8xb256-420e_coco-256x192.py')


def test_pretrain_config_heatmaps_and_backbone_handover(tmp_path):
    init_default_scope('rtmpose')
    cfg = Config.fromfile(PRETRAIN)
    assert cfg.train_cfg.max_epochs == 210
    assert cfg.custom_hooks[1].switch_epoch == 180
    affine = [t for t in cfg.train_dataloader.dataset.pipeline
              if t.type == 'TopdownAffine'][0]
    assert affine.use_udp and tuple(affine.input_size) == (192, 256)

    torch.manual_seed(0)
    pretrain = MODELS.build(cfg.model).eval()
    with torch.no_grad():
        heatmaps = pretrain(torch.randn(1, 3, 256, 192), None, mode='tensor')
    assert heatmaps.shape == (1, 17, 64, 48)  # stride 4, UDP codec's size

    # the RTMPose-m recipe starts from the pre-trained backbone
    ckpt = str(tmp_path / 'cspnext-m_udp.pth')
    torch.save({'state_dict': pretrain.state_dict()}, ckpt)
    rtm_cfg = Config.fromfile(RTMPOSE)
    rtm_cfg.model.backbone.init_cfg = dict(
        type='Pretrained', prefix='backbone.', checkpoint=ckpt)
    rtmpose = MODELS.build(rtm_cfg.model)
    rtmpose.init_weights()
    for key, value in pretrain.backbone.state_dict().items():
        assert torch.equal(rtmpose.backbone.state_dict()[key], value), key
