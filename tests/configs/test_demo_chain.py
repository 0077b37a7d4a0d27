"""The demo's pre-train -> fine-tune chain: the RTMPose-t demo built from
``rtmpose-t_demo_from-udp.py`` starts from the backbone of a
``cspnext-t_udp_demo.py`` checkpoint, through the published configs' route
(``init_cfg=Pretrained(prefix='backbone.')``), and nothing else of it."""
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from resolved_configs import ROOT


def _build(name, **backbone):
    from rtmpose.registry import MODELS
    cfg = Config.fromfile(osp.join(ROOT, 'configs', 'demo', name))
    cfg.model.backbone.update(backbone)
    init_default_scope('rtmpose')
    return MODELS.build(cfg.model)


def test_fine_tune_starts_from_the_pretrained_backbone(tmp_path):
    torch.manual_seed(0)
    pretrained = _build('cspnext-t_udp_demo.py')
    pretrained.init_weights()
    ckpt = tmp_path / 'epoch_5.pth'
    torch.save(dict(state_dict=pretrained.state_dict(), meta=dict(epoch=5)),
               ckpt)

    cfg = Config.fromfile(
        osp.join(ROOT, 'configs', 'demo', 'rtmpose-t_demo_from-udp.py'))
    assert cfg.model.backbone.init_cfg == dict(
        type='Pretrained', prefix='backbone.',
        checkpoint='work_dirs/cspnext-t_udp_demo/epoch_5.pth')
    torch.manual_seed(1)
    model = _build('rtmpose-t_demo_from-udp.py',
                   init_cfg=dict(type='Pretrained', prefix='backbone.',
                                 checkpoint=str(ckpt)))
    model.init_weights()
    source = pretrained.backbone.state_dict()
    loaded = model.backbone.state_dict()
    assert source.keys() == loaded.keys() and len(loaded) > 100
    for key, value in source.items():
        assert torch.equal(loaded[key], value), key
    # the SimCC head is the demo's own, freshly initialised
    assert not hasattr(pretrained.head, 'cls_x')
    assert model.head.cls_x.weight.shape[0] == 2 * 96
