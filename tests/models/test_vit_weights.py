"""Loading MAE and official ViTPose weights into our layout."""
from collections import OrderedDict

import pytest
import torch
import torch.nn.functional as F
from mmengine.registry import init_default_scope
from published_layouts import (TINY, build_estimator, official_layout,
                               randomised, to_timm)

from rtmpose import checkpoint as ckpt_io
from rtmpose.models.backbones import (VisionTransformer, convert_vit_backbone,
                                      convert_vitpose_official)

def fake_mae(vit, grid_side, patch=16):
    """An MAE-style state_dict of ``vit``'s weights on a square grid."""
    sd = to_timm(vit.state_dict(), 'norm')
    c = vit.embed_dims
    torch.manual_seed(1)
    sd['pos_embed'] = torch.randn(1, grid_side**2 + 1, c)
    sd['cls_token'] = torch.randn(1, 1, c)
    sd['mask_token'] = torch.zeros(1, 1, c)
    sd['decoder_embed.weight'] = torch.zeros(4, c)
    sd['patch_embed.proj.weight'] = torch.randn(c, 3, patch, patch)
    return OrderedDict(model=sd)


def test_mae_pos_embed_exact_when_grids_match(tmp_path):
    vit = randomised(VisionTransformer(arch=TINY, img_size=(64, 64)))
    assert vit.patch_grid == (4, 4)
    ckpt = fake_mae(vit, 4)
    path = tmp_path / 'mae.pth'
    torch.save(ckpt, path)
    model = VisionTransformer(
        arch=TINY,
        img_size=(64, 64),
        init_cfg=dict(type='Pretrained', checkpoint=str(path)))
    init_default_scope('rtmpose')
    model.init_weights()
    src = ckpt['model']
    assert torch.equal(model.pos_embed, src['pos_embed'][:, 1:])
    assert torch.equal(model.layers[1].ffn.layers[1].weight,
                       src['blocks.1.mlp.fc2.weight'])
    assert torch.equal(model.ln1.weight, src['norm.weight'])
    report = ckpt_io.load_state_dict(
        VisionTransformer(arch=TINY, img_size=(64, 64)),
        ckpt_io.get_state_dict(ckpt))
    assert report['missing'] == report['unexpected'] == []
    assert len(report['matched']) == len(model.state_dict())


def test_mae_resized_to_patch_grid_and_kernel_padded():
    vit = VisionTransformer(arch=TINY, patch_cfg=dict(padding=2))
    assert vit.patch_grid == (16, 12)
    src = fake_mae(vit, 14, patch=14)['model']
    out = convert_vit_backbone(src, vit.patch_grid, vit.patch_size)
    assert out['pos_embed'].shape == (1, 192, 32)
    grid = src['pos_embed'][:, 1:].reshape(1, 14, 14, 32).permute(0, 3, 1, 2)
    ref = F.interpolate(grid, size=(16, 12), mode='bicubic',
                        align_corners=False).flatten(2).transpose(1, 2)
    torch.testing.assert_close(out['pos_embed'], ref)
    kernel = out['patch_embed.projection.weight']
    assert kernel.shape == (32, 3, 16, 16)
    assert torch.equal(kernel[..., 1:15, 1:15], src['patch_embed.proj.weight'])
    assert kernel[..., 0, :].abs().sum() == 0
    assert kernel[..., :, 15].abs().sum() == 0
    assert not any(k.startswith(('cls_token', 'mask_token', 'decoder'))
                   for k in out)
    ckpt_io.load_state_dict(vit, out)  # strict


def test_own_layout_passes_through():
    vit = VisionTransformer(arch=TINY, patch_cfg=dict(padding=2))
    sd = vit.state_dict()
    out = convert_vit_backbone(OrderedDict(('backbone.' + k, v)
                                           for k, v in sd.items()),
                               vit.patch_grid, vit.patch_size)
    assert list(out) == list(sd)
    assert all(out[k] is sd[k] for k in sd)


def test_mmpretrain_style_with_class_token():
    vit = VisionTransformer(arch=TINY, img_size=(64, 64))
    sd = OrderedDict(('backbone.' + k, v) for k, v in vit.state_dict().items())
    pos = torch.randn(1, 17, 32)
    sd['backbone.pos_embed'] = pos
    sd['backbone.cls_token'] = torch.randn(1, 1, 32)
    out = convert_vit_backbone(sd, vit.patch_grid, vit.patch_size)
    assert 'cls_token' not in out
    assert torch.equal(out['pos_embed'], pos[:, 1:])
    ckpt_io.load_state_dict(vit, out)  # strict


def test_unknown_grid_is_an_error():
    vit = VisionTransformer(arch=TINY, patch_cfg=dict(padding=2))
    sd = vit.state_dict()
    sd['pos_embed'] = torch.zeros(1, 6 * 5, 32)
    with pytest.raises(ValueError, match='not square'):
        convert_vit_backbone(sd, vit.patch_grid, vit.patch_size)


def test_official_checkpoint_same_outputs(tmp_path):
    from tools.convert.vitpose_official_to_rtmpose import main as convert
    reference = randomised(build_estimator())
    official = official_layout(reference)
    assert 'backbone.last_norm.weight' in official
    assert official['backbone.pos_embed'].shape == (1, 13, 32)
    src, dst = tmp_path / 'official.pth', tmp_path / 'ours.pth'
    torch.save(dict(state_dict=official, meta=dict(epoch=210)), src)
    x = torch.randn(2, 3, 64, 48)
    with torch.no_grad():
        expected = reference(x)

    convert([str(src), str(dst)])  # the offline tool
    offline = build_estimator().eval()
    loaded = ckpt_io.load_checkpoint(str(dst))
    assert set(loaded['state_dict']) == set(reference.state_dict())
    ckpt_io.load_state_dict(offline, ckpt_io.get_state_dict(loaded))

    on_the_fly = build_estimator().eval()  # load path converts itself
    report = ckpt_io.load_state_dict(
        on_the_fly,
        ckpt_io.get_state_dict(ckpt_io.load_checkpoint(str(src))))
    assert report['missing'] == report['unexpected'] == []
    with torch.no_grad():
        torch.testing.assert_close(offline(x), expected, rtol=1e-5,
                                   atol=1e-6)
        torch.testing.assert_close(on_the_fly(x), expected, rtol=1e-5,
                                   atol=1e-6)


def test_official_checkpoint_strict_report():
    official = official_layout(build_estimator())
    del official['backbone.blocks.1.mlp.fc2.bias']
    with pytest.raises(RuntimeError, match=r'layers\.1\.ffn\.layers\.1\.bias'):
        ckpt_io.load_state_dict(build_estimator(), official)
    with pytest.raises(KeyError, match='no official ViTPose'):
        convert_vitpose_official(build_estimator().state_dict())
