"""Published layouts (MAE, official ViTPose) load through a plain
``load_state_dict``, the same as through the project's loader."""
import copy

import pytest
import torch
from published_layouts import (TINY, build_estimator, official_layout,
                               randomised, to_timm)

from rtmpose import checkpoint as ckpt_io
from rtmpose.models.backbones import VisionTransformer
from rtmpose.models.utils import adapt_state_dict, register_state_dict_adapter

def mae_layout(vit):
    """MAE pre-training file: timm names, ``norm``, a class token entry in
    ``pos_embed`` and decoder / mask weights that fine-tuning drops."""
    sd = to_timm(vit.state_dict(), 'norm')
    c = vit.embed_dims
    sd['pos_embed'] = torch.cat([torch.randn(1, 1, c), sd['pos_embed']], 1)
    sd['cls_token'] = torch.randn(1, 1, c)
    sd['mask_token'] = torch.zeros(1, 1, c)
    sd['decoder_embed.weight'] = torch.zeros(4, c)
    return sd


def through_file(state_dict, tmp_path):
    path = tmp_path / 'published.pth'
    torch.save(dict(state_dict=state_dict, meta=dict(epoch=210)), path)
    return torch.load(path, weights_only=True)['state_dict']


def assert_same_weights(a, b):
    sa, sb = a.state_dict(), b.state_dict()
    assert list(sa) == list(sb)
    for key in sa:
        assert torch.equal(sa[key], sb[key]), key


def test_mae_plain_load_matches_project_loader(tmp_path):
    source = randomised(VisionTransformer(arch=TINY, img_size=(64, 64)))
    published = through_file(mae_layout(source), tmp_path)
    assert 'blocks.0.mlp.fc1.weight' in published
    plain = VisionTransformer(arch=TINY, img_size=(64, 64))
    result = plain.load_state_dict(published)  # strict by default
    assert result.missing_keys == result.unexpected_keys == []
    ours = VisionTransformer(arch=TINY, img_size=(64, 64))
    ckpt_io.load_state_dict(ours, published, strict=True)
    assert_same_weights(plain, ours)
    assert_same_weights(plain, source)
    assert 'blocks.0.mlp.fc1.weight' in published  # the caller's dict kept


def test_official_vitpose_plain_load_matches_project_loader(tmp_path):
    reference = randomised(build_estimator())
    published = through_file(official_layout(reference), tmp_path)
    assert 'keypoint_head.final_layer.weight' in published
    assert published['backbone.pos_embed'].shape == (1, 13, 32)
    plain = build_estimator().eval()
    plain.load_state_dict(published)
    ours = build_estimator().eval()
    report = ckpt_io.load_state_dict(ours, published, strict=True)
    assert report['missing'] == report['unexpected'] == []
    assert_same_weights(plain, ours)
    x = torch.randn(2, 3, 64, 48)
    with torch.no_grad():
        torch.testing.assert_close(plain(x), reference(x), rtol=1e-5,
                                   atol=1e-6)


def test_adaptation_is_idempotent_and_survives_deepcopy():
    model = build_estimator()
    published = official_layout(randomised(build_estimator()))
    once = adapt_state_dict(model, published)
    assert set(once) == set(model.state_dict())
    twice = adapt_state_dict(model, once)
    assert list(twice) == list(once)
    assert all(twice[k] is once[k] for k in once)
    copied = copy.deepcopy(model)  # as the EMA hook copies the model
    copied.load_state_dict(published)
    model.load_state_dict(once)
    assert_same_weights(copied, model)


def test_without_the_hook_the_published_layout_fails():
    model = build_estimator()
    model._load_state_dict_pre_hooks.clear()
    model.backbone._load_state_dict_pre_hooks.clear()
    with pytest.raises(RuntimeError, match='keypoint_head'):
        model.load_state_dict(official_layout(build_estimator()))


def test_register_needs_a_method():
    with pytest.raises(AttributeError, match='adapt_keys'):
        register_state_dict_adapter(torch.nn.Linear(2, 2), 'adapt_keys')
