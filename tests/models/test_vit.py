"""VisionTransformer and the ViTPose configs: layout, size, forward."""
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.registry import init_default_scope

from listings import assert_matches_listing

import rtmpose.models  # noqa: F401  (registers the model parts)
from rtmpose.models.backbones import VisionTransformer
from rtmpose.models.heads import HeatmapHead
from rtmpose.models.layers import MultiheadSelfAttention
from rtmpose.registry import MODELS

REPO = Path(__file__).resolve().parents[2]
CONFIGS = REPO / 'configs' / 'vitpose' / 'coco'

LISTING_CONFIG = {
    'vitpose-small_coco-256x192': 'vitpose-small_8xb64-210e_coco-256x192.py',
    'vitpose-base_coco-256x192': 'vitpose-base_8xb64-210e_coco-256x192.py',
    'vitpose-large_coco-256x192': 'vitpose-large_8xb64-210e_coco-256x192.py',
    'vitpose-huge_coco-256x192': 'vitpose-huge_8xb64-210e_coco-256x192.py',
    'vitpose-base-simple_coco-256x192':
    'vitpose-base-simple_8xb64-210e_coco-256x192.py',
}
# spec table, millions, classic decoder
PARAMS_M = {'small': 24.29, 'base': 89.99, 'large': 308.54, 'huge': 637.21}

TINY = dict(embed_dims=64, num_layers=2, num_heads=4, feedforward_channels=128)


def build_on_meta(config_name: str):
    """Build a config's model without allocating or initialising weights."""
    init_default_scope('rtmpose')
    with torch.device('meta'):
        return MODELS.build(Config.fromfile(CONFIGS / config_name).model)


@pytest.mark.parametrize('listing', sorted(LISTING_CONFIG))
def test_state_dict_matches_listing(listing):
    model = build_on_meta(LISTING_CONFIG[listing])
    assert_matches_listing(model.state_dict(), f'{listing}.txt')


@pytest.mark.parametrize('arch', sorted(PARAMS_M))
def test_parameter_count(arch):
    model = build_on_meta(f'vitpose-{arch}_8xb64-210e_coco-256x192.py')
    count = sum(p.numel() for p in model.parameters()) / 1e6
    print(f'ViTPose-{arch}: {count:.2f}M parameters')
    assert count == pytest.approx(PARAMS_M[arch], abs=0.005)


def test_config_recipes():
    cfg = Config.fromfile(CONFIGS / 'vitpose-huge_8xb64-210e_coco-256x192.py')
    assert cfg.model.backbone.arch == 'huge'
    assert cfg.model.backbone.drop_path_rate == 0.55
    assert cfg.optim_wrapper.paramwise_cfg.layer_decay_rate == 0.85
    assert cfg.optim_wrapper.paramwise_cfg.num_layers == 32
    assert cfg.optim_wrapper.clip_grad.max_norm == 1.
    assert cfg.model.backbone.init_cfg.checkpoint.endswith(
        'mae_pretrain_vit_huge_20230913.pth')
    simple = Config.fromfile(
        CONFIGS / 'vitpose-small-simple_8xb64-210e_coco-256x192.py')
    assert simple.model.head.upsample_factor == 4
    assert simple.model.head.final_layer.kernel_size == 3
    assert simple.model.head.in_channels == 384


def test_forward_shapes_and_grid():
    vit = VisionTransformer(arch=TINY, patch_cfg=dict(padding=2))
    assert vit.patch_grid == (16, 12)
    feats = vit(torch.randn(2, 3, 256, 192))
    assert len(feats) == 1 and feats[0].shape == (2, 64, 16, 12)
    raw = VisionTransformer(arch=TINY, patch_cfg=dict(padding=2),
                            out_type='raw')
    assert raw(torch.randn(1, 3, 256, 192))[0].shape == (1, 192, 64)
    # another input size: the position embedding is resized on the fly
    assert vit(torch.randn(1, 3, 384, 288))[0].shape == (1, 64, 24, 18)


def test_drop_path_rises_linearly():
    vit = VisionTransformer(arch=dict(TINY, num_layers=4),
                            drop_path_rate=0.3)
    rates = [getattr(layer.drop_path, 'drop_prob', 0.) for layer in vit.layers]
    assert rates == pytest.approx([0., 0.1, 0.2, 0.3])


def test_sdpa_attention_equals_explicit_softmax():
    torch.manual_seed(0)
    attn = MultiheadSelfAttention(64, 4).eval()
    x = torch.randn(2, 10, 64)
    q, k, v = attn.qkv(x).reshape(2, 10, 3, 4, 16).permute(2, 0, 3, 1, 4)
    weights = F.softmax(q @ k.transpose(-2, -1) / 4.0, dim=-1)
    ref = attn.proj((weights @ v).transpose(1, 2).reshape(2, 10, 64))
    torch.testing.assert_close(attn(x), ref, atol=1e-5, rtol=1e-5)


def test_bad_arch_rejected():
    with pytest.raises(KeyError, match='unknown arch'):
        VisionTransformer(arch='tiny')
    with pytest.raises(KeyError, match='exactly the keys'):
        VisionTransformer(arch=dict(embed_dims=64, num_layers=2))
    with pytest.raises(ValueError, match='divisible'):
        VisionTransformer(arch=dict(TINY, num_heads=5))


def test_simple_decoder_order_relu_then_upsample():
    head = HeatmapHead(8, 3, deconv_out_channels=None,
                       deconv_kernel_sizes=None, upsample_factor=4,
                       final_layer=dict(kernel_size=3))
    x = torch.randn(1, 8, 4, 3)
    ref = head.final_layer(
        F.interpolate(x.clamp(min=0), scale_factor=4, mode='bilinear',
                      align_corners=False))
    torch.testing.assert_close(head((x, )), ref)
    assert head((x, )).shape == (1, 3, 16, 12)
