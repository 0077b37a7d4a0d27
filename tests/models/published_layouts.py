"""Fake published checkpoints of a tiny ViTPose: our weights in the MAE and
official ViTPose layouts (timm block names), for the loading tests."""
import re
from collections import OrderedDict

import torch
from mmengine.registry import init_default_scope

import rtmpose.models  # noqa: F401 (registers the models)
from rtmpose.registry import MODELS

TINY = dict(embed_dims=32, num_layers=2, num_heads=2, feedforward_channels=64)
# ours -> timm / MAE / official ViTPose block names
TO_TIMM = ((r'layers\.(\d+)\.ln(\d)\.', r'blocks.\1.norm\2.'),
           (r'layers\.(\d+)\.attn\.', r'blocks.\1.attn.'),
           (r'layers\.(\d+)\.ffn\.layers\.0\.0\.', r'blocks.\1.mlp.fc1.'),
           (r'layers\.(\d+)\.ffn\.layers\.1\.', r'blocks.\1.mlp.fc2.'),
           (r'patch_embed\.projection\.', 'patch_embed.proj.'))


def randomised(module):
    """``module`` in eval mode with seeded random weights (norm scales near
    1), so that a wrong mapping changes the outputs."""
    torch.manual_seed(0)
    with torch.no_grad():
        for value in module.state_dict().values():
            if value.is_floating_point():
                value.copy_(torch.rand_like(value) * 0.2 + 0.9
                            if value.ndim == 1 else torch.randn_like(value) *
                            0.05)
    return module.eval()


def to_timm(state_dict, final_norm, prefix=''):
    """Backbone keys under ``prefix`` renamed to timm's, the final norm
    to ``final_norm``."""
    out = OrderedDict()
    for key, value in state_dict.items():
        if key.startswith(prefix):
            for pattern, repl in TO_TIMM:
                key = re.sub('^' + re.escape(prefix) + pattern,
                             prefix + repl, key)
            key = re.sub('^' + re.escape(prefix) + r'ln1\.',
                         prefix + final_norm + '.', key)
        out[key] = value
    return out


def build_estimator():
    """A tiny ViT + classic decoder pose model, 5 keypoints, 64x48 input."""
    init_default_scope('rtmpose')
    return MODELS.build(
        dict(
            type='TopdownPoseEstimator',
            backbone=dict(
                type='VisionTransformer',
                arch=TINY,
                img_size=(64, 48),
                patch_cfg=dict(padding=2)),
            head=dict(
                type='HeatmapHead',
                in_channels=32,
                out_channels=5,
                deconv_out_channels=(16, 16))))


def official_layout(model):
    """Official ViTPose whole-model file: timm block names, ``last_norm``,
    an extra leading position entry the official forward adds to every
    token, and the head under ``keypoint_head``."""
    sd = to_timm(model.state_dict(), 'last_norm', prefix='backbone.')
    pos = sd['backbone.pos_embed']
    extra = torch.randn(1, 1, pos.shape[-1])
    sd['backbone.pos_embed'] = torch.cat([extra, pos - extra], 1)
    return OrderedDict((re.sub(r'^head\.', 'keypoint_head.', k), v)
                       for k, v in sd.items())
