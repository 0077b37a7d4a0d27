"""The CSPNeXt UDP heatmap pre-training config and its hand-over to RTMPose."""
import os.path as osp

import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from rtmpose.datasets.metainfo import parse_pose_metainfo
from rtmpose.registry import MODELS, TRANSFORMS

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
    # COCO's 17 + AIC's head top and neck, stride 4 (the UDP codec's size)
    assert heatmaps.shape == (1, 19, 64, 48)
    assert cfg.model.test_cfg == dict(
        flip_test=False, output_keypoint_indices=list(range(17)))

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


def test_pretrain_data_in_the_19_keypoint_layout():
    init_default_scope('rtmpose')
    dataset = Config.fromfile(PRETRAIN).train_dataloader.dataset
    meta = parse_pose_metainfo(dataset.metainfo)
    assert meta['num_keypoints'] == 19
    assert [meta['keypoint_id2name'][i] for i in (0, 16, 17, 18)] == [
        'nose', 'right_ankle', 'head_top', 'neck']
    coco, aic = dataset.datasets
    assert (coco.type, aic.type) == ('CocoDataset', 'AicDataset')
    # AIC keypoint i at (i, 0): head top (12) and neck (13) become 17, 18;
    # COCO's face keypoints stay unlabelled
    convert = TRANSFORMS.build(aic.pipeline[0])
    out = convert(dict(
        keypoints=np.stack([np.arange(14.), np.zeros(14)], -1)[None],
        keypoints_visible=np.ones((1, 14))))
    assert out['keypoints'].shape == (1, 19, 2)
    np.testing.assert_array_equal(out['keypoints'][0, [17, 18, 5, 6], 0],
                                  [12, 13, 3, 0])
    np.testing.assert_array_equal(out['keypoints_visible'][0, :5], 0)
    convert = TRANSFORMS.build(coco.pipeline[0])
    out = convert(dict(
        keypoints=np.stack([np.arange(17.), np.zeros(17)], -1)[None],
        keypoints_visible=np.ones((1, 17))))
    np.testing.assert_array_equal(out['keypoints'][0, :17, 0], np.arange(17))
    np.testing.assert_array_equal(out['keypoints_visible'][0, 17:], 0)
