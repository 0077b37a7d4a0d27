import pytest
import torch
from torch.nn.modules.batchnorm import _BatchNorm

from rtmpose.models.backbones import CSPNeXt, CSPLayer, SPPBottleneck


def test_output_shapes_and_strides():
    model = CSPNeXt(deepen_factor=0.167, widen_factor=0.25,
                    out_indices=(0, 1, 2, 3, 4)).eval()
    with torch.no_grad():
        outs = model(torch.rand(2, 3, 64, 96))
    # stem stride 2, stage i stride 2 ** (i + 1); channels x0.25
    expected = [(16, 32, 48), (32, 16, 24), (64, 8, 12), (128, 4, 6),
                (256, 2, 3)]
    assert [tuple(o.shape[1:]) for o in outs] == expected
    assert all(o.shape[0] == 2 for o in outs)


def test_last_stage_has_spp_and_no_identity():
    model = CSPNeXt(deepen_factor=0.33, widen_factor=0.5)
    assert isinstance(model.stage4[1], SPPBottleneck)
    assert all(not isinstance(m, SPPBottleneck) for m in model.stage3)
    csp4, csp1 = model.stage4[2], model.stage1[1]
    assert isinstance(csp4, CSPLayer)
    assert not any(b.add_identity for b in csp4.blocks)
    assert all(b.add_identity for b in csp1.blocks)
    # blocks: max(round(n * deepen), 1) of (3, 6, 6, 3)
    assert [len(getattr(model, f'stage{i}')[-1].blocks)
            for i in range(1, 5)] == [1, 2, 2, 1]


def test_frozen_stages_and_norm_eval():
    model = CSPNeXt(deepen_factor=0.167, widen_factor=0.25, frozen_stages=1,
                    norm_eval=True)
    model.train()
    assert not any(p.requires_grad for p in model.stem.parameters())
    assert not any(p.requires_grad for p in model.stage1.parameters())
    assert all(p.requires_grad for p in model.stage2.parameters())
    assert all(not m.training for m in model.modules()
               if isinstance(m, _BatchNorm))


def test_channel_attention_gates_channels():
    layer = CSPLayer(8, 8, num_blocks=1, channel_attention=True).eval()
    gate = layer.attention
    torch.nn.init.zeros_(gate.fc.weight)
    torch.nn.init.constant_(gate.fc.bias, -3.0)  # hardsigmoid(-3) = 0
    x = torch.rand(1, 8, 4, 4)
    assert torch.equal(gate(x), torch.zeros_like(x))
    torch.nn.init.constant_(gate.fc.bias, 3.0)  # hardsigmoid(3) = 1
    assert torch.equal(gate(x), x)


def test_bad_arguments_name_the_culprit():
    with pytest.raises(ValueError, match='out_indices'):
        CSPNeXt(out_indices=(5, ))
    with pytest.raises(ValueError, match='frozen_stages'):
        CSPNeXt(frozen_stages=5)
    with pytest.raises(KeyError, match='P7'):
        CSPNeXt(arch='P7')


@pytest.mark.parametrize('channels_last_train', [False, True])
def test_cpu_training_runs_nchw_inference_nhwc(channels_last_train):
    """Train mode on CPU switches weights and maps to NCHW (accurate
    BatchNorm) in place, unless channels_last_train; eval is NHWC."""
    torch.manual_seed(0)
    model = CSPNeXt(deepen_factor=0.167, widen_factor=0.125,
                    out_indices=(4, ),
                    channels_last_train=channels_last_train)
    weight = model.stem[0].conv.weight
    x = torch.rand(2, 3, 64, 64)
    model.train()
    # already before the first forward (DDP records strides when it wraps)
    nhwc = torch.channels_last
    assert weight.is_contiguous(memory_format=nhwc) == channels_last_train
    out = model(x)[0]
    out.mean().backward()
    assert out.is_contiguous(memory_format=nhwc) == channels_last_train
    assert out.is_contiguous() != channels_last_train
    assert model.stem[0].conv.weight is weight  # optimizers keep it
    assert weight.is_contiguous(memory_format=nhwc) == channels_last_train
    assert weight.grad is not None
    model.eval()
    assert weight.is_contiguous(memory_format=nhwc)
    with torch.no_grad():
        evaluated = model(x)[0]
    assert evaluated.is_contiguous(memory_format=nhwc)
    assert weight.is_contiguous(memory_format=nhwc)


def test_init_cfg_none_is_the_default_init():
    """``model.backbone.init_cfg=None`` (from scratch, instead of a
    pretrained file) initialises as a config without the key."""
    weights = []
    for extra in ({}, dict(init_cfg=None)):
        torch.manual_seed(0)
        model = CSPNeXt(deepen_factor=0.167, widen_factor=0.125, **extra)
        model.init_weights()
        weights.append(torch.cat([p.flatten() for p in model.parameters()]))
    assert torch.equal(*weights)


def test_init_draws_do_not_depend_on_the_mode():
    """Random initialisers fill tensors in memory order: CSPNeXt draws in
    its construction layout (NHWC) even after train() made it NCHW, so a
    run's initial weights do not depend on when the mode was set."""
    def build(call_train):
        torch.manual_seed(0)
        model = CSPNeXt(deepen_factor=0.167, widen_factor=0.125,
                        out_indices=(4, ))
        if call_train:
            model.train()
        model.init_weights()
        return model.state_dict()

    fresh, trained = build(False), build(True)
    for key, value in fresh.items():
        assert torch.equal(value, trained[key]), key
