import pytest
import torch
from mmengine.registry import init_default_scope

import rtmpose.engine  # noqa: F401  (registers the constructor)
import rtmpose.models  # noqa: F401
from rtmpose.registry import MODELS, OPTIM_WRAPPER_CONSTRUCTORS

L, RATE, BASE_LR, WD = 3, 0.75, 5e-4, 0.1


def build_optim_wrapper(**paramwise):
    init_default_scope('rtmpose')
    model = MODELS.build(
        dict(
            type='TopdownPoseEstimator',
            backbone=dict(
                type='VisionTransformer',
                arch=dict(embed_dims=32, num_layers=L, num_heads=2,
                          feedforward_channels=64),
                img_size=(64, 48),
                patch_cfg=dict(padding=2)),
            head=dict(type='HeatmapHead', in_channels=32, out_channels=5)))
    paramwise_cfg = dict(
        num_layers=L,
        layer_decay_rate=RATE,
        norm_decay_mult=0.,
        bias_decay_mult=0.,
        custom_keys={'pos_embed': dict(decay_mult=0.)})
    paramwise_cfg.update(paramwise)
    constructor = OPTIM_WRAPPER_CONSTRUCTORS.build(
        dict(
            type='LayerDecayOptimWrapperConstructor',
            optim_wrapper_cfg=dict(
                optimizer=dict(type='AdamW', lr=BASE_LR, weight_decay=WD),
                clip_grad=dict(max_norm=1.)),
            paramwise_cfg=paramwise_cfg))
    return model, constructor(model)


def expected_layer(name):
    if name.startswith(('backbone.patch_embed.', 'backbone.pos_embed')):
        return 0
    if name.startswith('backbone.layers.'):
        return int(name.split('.')[2]) + 1
    return L + 1


def test_lr_and_weight_decay_of_every_parameter():
    model, wrapper = build_optim_wrapper()
    seen = set()
    for group in wrapper.optimizer.param_groups:
        for name in group['param_names']:
            layer = expected_layer(name)
            lr = BASE_LR * RATE**(L + 1 - layer)
            no_decay = (name.endswith('.bias') or 'pos_embed' in name
                        or '.ln' in name or 'deconv_layers.1.' in name
                        or 'deconv_layers.4.' in name)
            print(f'{name:45s} layer {layer} lr {group["lr"]:.3e} '
                  f'wd {group["weight_decay"]}')
            assert group['layer_id'] == layer, name
            assert group['lr'] == pytest.approx(lr), name
            assert group['weight_decay'] == (0. if no_decay else WD), name
            seen.add(name)
    assert seen == {n for n, _ in model.named_parameters()}
    lrs = {g['layer_id']: g['lr'] for g in wrapper.optimizer.param_groups}
    # head at the base lr, embedding at base * rate^(L+1)
    assert lrs[L + 1] == pytest.approx(BASE_LR)
    assert lrs[0] == pytest.approx(BASE_LR * 0.75**4)
    assert isinstance(wrapper.optimizer, torch.optim.AdamW)


def test_frozen_parameters_are_left_out():
    init_default_scope('rtmpose')
    model, _ = build_optim_wrapper()
    model.backbone.pos_embed.requires_grad = False
    constructor = OPTIM_WRAPPER_CONSTRUCTORS.build(
        dict(
            type='LayerDecayOptimWrapperConstructor',
            optim_wrapper_cfg=dict(
                optimizer=dict(type='AdamW', lr=BASE_LR, weight_decay=WD)),
            paramwise_cfg=dict(num_layers=L, layer_decay_rate=RATE)))
    names = [
        n for g in constructor(model).optimizer.param_groups
        for n in g['param_names']
    ]
    assert 'backbone.pos_embed' not in names
    assert 'backbone.layers.0.attn.qkv.weight' in names


def test_missing_settings_and_bad_layer():
    with pytest.raises(KeyError, match='layer_decay_rate'):
        OPTIM_WRAPPER_CONSTRUCTORS.build(
            dict(
                type='LayerDecayOptimWrapperConstructor',
                optim_wrapper_cfg=dict(optimizer=dict(type='AdamW', lr=1.)),
                paramwise_cfg=dict(num_layers=2)))
    with pytest.raises(ValueError, match='num_layers=2'):
        build_optim_wrapper(num_layers=2)
