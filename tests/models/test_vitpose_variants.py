"""ViTPose paper options as configs: input resolution (Table 3), 1/8
features (Table 4), frozen MHSA / FFN (Table 5), knowledge tokens."""
from collections import OrderedDict
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

import rtmpose.models  # noqa: F401
from rtmpose import checkpoint as ckpt_io
from rtmpose.models.backbones import VisionTransformer
from rtmpose.models.layers import resize_pos_embed
from rtmpose.registry import MODELS

REPO = Path(__file__).resolve().parents[2]
CONFIGS = REPO / 'configs' / 'vitpose' / 'coco'
TINY = dict(embed_dims=32, num_layers=2, num_heads=2, feedforward_channels=64)


def build_on_meta(name: str):
    """(model on the meta device, config) of a config file."""
    init_default_scope('rtmpose')
    cfg = Config.fromfile(CONFIGS / name)
    with torch.device('meta'):
        return MODELS.build(cfg.model), cfg


def meta_forward(model, cfg):
    w, h = cfg.codec.input_size
    with torch.device('meta'):
        x = torch.empty(2, 3, h, w)
        return model.extract_feat(x)[0], model(x, mode='tensor')


@pytest.mark.parametrize('name, grid, heatmap', [
    ('vitpose-base_8xb64-210e_coco-256x192.py', (16, 12), (64, 48)),
    ('vitpose-base_8xb64-210e_coco-384x288.py', (24, 18), (96, 72)),
    ('vitpose-base_8xb64-210e_coco-576x432.py', (36, 27), (144, 108)),
])
def test_resolution_configs(name, grid, heatmap):
    model, cfg = build_on_meta(name)
    w, h = cfg.codec.input_size
    assert tuple(cfg.model.backbone.img_size) == (h, w)
    assert tuple(cfg.codec.heatmap_size) == (heatmap[1], heatmap[0])
    assert model.backbone.patch_grid == grid
    assert model.backbone.pos_embed.shape == (1, grid[0] * grid[1], 768)
    feat, heatmaps = meta_forward(model, cfg)
    assert feat.shape == (2, 768) + grid
    assert heatmaps.shape == (2, 17) + heatmap
    # every pipeline crops to the codec's input size and encodes with it
    for loader in ('train_dataloader', 'val_dataloader'):
        affine = [t for t in cfg[loader].dataset.pipeline
                  if t.type == 'TopdownAffine']
        assert tuple(affine[0].input_size) == (w, h)
    target = [t for t in cfg.train_dataloader.dataset.pipeline
              if t.type == 'GenerateTarget'][0]
    assert target.encoder == cfg.codec == cfg.model.head.decoder


def test_stride8_config_gives_1_8_features():
    model, cfg = build_on_meta(
        'vitpose-base-stride8_8xb64-210e_coco-256x192.py')
    vit = model.backbone
    assert vit.patch_embed.projection.kernel_size == (16, 16)
    assert vit.patch_embed.projection.stride == (8, 8)
    assert vit.patch_grid == (32, 24)
    assert vit.pos_embed.shape == (1, 32 * 24, 768)
    feat, heatmaps = meta_forward(model, cfg)
    assert feat.shape == (2, 768, 32, 24)
    assert heatmaps.shape == (2, 17, 64, 48)
    deconvs = [m for m in model.head.deconv_layers.modules()
               if isinstance(m, torch.nn.ConvTranspose2d)]
    assert len(deconvs) == 1


@pytest.mark.parametrize('name, windowed, global_layers', [
    ('vitpose-base-stride8-window-shift-pool_8xb64-210e_coco-256x192.py',
     12, ()),
    ('vitpose-base-stride8-window-global_8xb64-210e_coco-256x192.py', 8,
     (2, 5, 8, 11)),
])
def test_window_configs(name, windowed, global_layers):
    model, cfg = build_on_meta(name)
    layers = model.backbone.layers
    kinds = [type(layer.attn).__name__ for layer in layers]
    assert kinds.count('WindowMultiheadSelfAttention') == windowed
    assert all(kinds[i] == 'MultiheadSelfAttention' for i in global_layers)
    feat, heatmaps = meta_forward(model, cfg)
    assert feat.shape == (2, 768, 32, 24)
    assert heatmaps.shape == (2, 17, 64, 48)
    # same keys as full attention: 1/16 or full-attention weights load
    plain, _ = build_on_meta('vitpose-base-stride8_8xb64-210e_coco-256x192.py')
    assert {k: v.shape for k, v in model.state_dict().items()} == \
        {k: v.shape for k, v in plain.state_dict().items()}


def tiny_estimator(img_size, patch_cfg=dict(padding=2)):
    init_default_scope('rtmpose')
    torch.manual_seed(0)
    model = MODELS.build(
        dict(
            type='TopdownPoseEstimator',
            backbone=dict(type='VisionTransformer', arch=TINY,
                          img_size=img_size, patch_cfg=patch_cfg),
            head=dict(type='HeatmapHead', in_channels=32, out_channels=17,
                      deconv_out_channels=(16, ),
                      deconv_kernel_sizes=(4, ))))
    model.init_weights()
    return model.eval()


@pytest.mark.parametrize('img_size, patch_cfg, grid', [
    ((384, 288), dict(padding=2), (24, 18)),
    ((256, 192), dict(stride=8, padding=4), (32, 24)),
])
def test_256x192_weights_load_into_other_grids(img_size, patch_cfg, grid):
    """A 16x12-grid checkpoint loads strictly; the position embedding is
    resized (bicubic) and the model then computes what the 256x192 model
    computes with its embedding resized on the fly."""
    source = tiny_estimator((256, 192))
    target = tiny_estimator(img_size, patch_cfg)
    state_dict = OrderedDict(source.state_dict())
    ckpt_io.load_state_dict(target, state_dict, strict=True)
    expected = resize_pos_embed(source.backbone.pos_embed, (16, 12), grid)
    torch.testing.assert_close(target.backbone.pos_embed, expected)
    assert target.backbone.pos_embed.shape == (1, grid[0] * grid[1], 32)
    if patch_cfg.get('stride') is None:
        x = torch.randn(1, 3, *img_size)
        with torch.no_grad():
            diff = (target(x) - source(x)).abs().max().item()
        assert diff < 1e-5


def test_unrelated_grid_still_rejected():
    vit = VisionTransformer(arch=TINY, img_size=(256, 256),
                            patch_cfg=dict(padding=2))
    state_dict = vit.state_dict()
    state_dict['pos_embed'] = torch.zeros(1, 16 * 12, 32)
    with pytest.raises(ValueError, match='aspect ratio'):
        vit.adapt_state_dict(state_dict)


@pytest.mark.parametrize('frozen, trained', [('attn', 'ffn'),
                                             ('ffn', 'attn')])
def test_frozen_modules_do_not_train(frozen, trained):
    torch.manual_seed(0)
    vit = VisionTransformer(arch=TINY, img_size=(64, 48),
                            frozen_modules=(frozen, ))
    before = {k: v.clone() for k, v in vit.state_dict().items()}
    optim = torch.optim.AdamW(vit.parameters(), lr=1e-2, weight_decay=0.1)
    vit(torch.randn(2, 3, 64, 48))[0].square().mean().backward()
    optim.step()
    for name, param in vit.named_parameters():
        part = name.split('.')[2] if name.startswith('layers.') else None
        if part == frozen:
            assert not param.requires_grad and param.grad is None, name
            assert torch.equal(param, before[name]), name
        elif part == trained or name.startswith('patch_embed'):
            assert param.grad is not None, name
            assert not torch.equal(param, before[name]), name
    num_frozen = sum(not p.requires_grad for p in vit.parameters())
    assert num_frozen == 2 * 4  # per layer: 2 linear layers x (w, b)


def test_frozen_configs():
    for part in ('attn', 'ffn'):
        model, _ = build_on_meta(
            f'vitpose-base-frozen-{part}_8xb64-210e_coco-256x192.py')
        frozen = {n for n, p in model.named_parameters()
                  if not p.requires_grad}
        assert len(frozen) == 12 * 4
        assert all(f'.{part}.' in n for n in frozen)
    with pytest.raises(KeyError, match='frozen_modules'):
        VisionTransformer(arch=TINY, frozen_modules=('mlp', ))


def test_knowledge_tokens_change_output_not_layout():
    torch.manual_seed(0)
    plain = VisionTransformer(arch=TINY, img_size=(64, 48)).eval()
    tok = VisionTransformer(arch=TINY, img_size=(64, 48),
                            num_knowledge_tokens=2,
                            knowledge_token_dims=48).eval()
    extra = set(tok.state_dict()) - set(plain.state_dict())
    assert extra == {'knowledge_tokens', 'knowledge_proj.weight',
                     'knowledge_proj.bias'}
    assert tok.knowledge_tokens.shape == (1, 2, 48)
    # weights without the tokens load; the tokens keep their values
    tokens = tok.knowledge_tokens.detach().clone()
    ckpt_io.load_state_dict(tok, plain.state_dict(), strict=True)
    assert torch.equal(tok.knowledge_tokens, tokens)
    x = torch.randn(2, 3, 64, 48)
    with torch.no_grad():
        out = tok(x)[0]
        assert out.shape == plain(x)[0].shape == (2, 32, 4, 3)
        assert (out - plain(x)[0]).abs().max() > 1e-3
        tok.knowledge_tokens.mul_(2.)
        assert (tok(x)[0] - out).abs().max() > 1e-4
    with pytest.raises(ValueError, match='cannot be combined'):
        VisionTransformer(arch=TINY, num_knowledge_tokens=1,
                          window_cfg=dict(window_size=4))
