import torch
from mmcv.cnn import ConvModule

from rtmpose.models.backbones import CSPNeXt
from rtmpose.models.utils import enable_conv_bn_folding


def make_conv_module():
    torch.manual_seed(0)
    m = ConvModule(4, 6, 3, padding=1, norm_cfg=dict(type='BN'),
                   act_cfg=dict(type='SiLU'))
    bn = m.norm
    bn.running_mean.uniform_(-1, 1)
    bn.running_var.uniform_(0.5, 2)
    bn.weight.data.uniform_(0.5, 2)
    bn.bias.data.uniform_(-1, 1)
    return m


def reference(m, x):
    with torch.no_grad():
        return m.activate(m.norm(m.conv(x)))


def test_folded_output_matches_and_tracks_updates():
    m = make_conv_module()
    assert enable_conv_bn_folding(m) == (m, )
    m.eval()
    x = torch.randn(2, 4, 5, 5)
    with torch.no_grad():
        out = m(x)
    assert torch.allclose(out, reference(m, x), atol=1e-5)
    assert '_folded_bn' in m.conv.__dict__
    # new values (optimiser step / load_state_dict) invalidate the cache
    with torch.no_grad():
        m.norm.running_mean.add_(0.5)
        m.conv.weight.mul_(2)
        out2 = m(x)
    assert torch.allclose(out2, reference(m, x), atol=1e-5)
    assert not torch.allclose(out2, out)
    state = {k: v + 1 for k, v in m.state_dict().items()
             if v.is_floating_point()}
    m.load_state_dict(state, strict=False)
    with torch.no_grad():
        assert torch.allclose(m(x), reference(m, x), atol=1e-5)
    assert set(m.state_dict()) == set(make_conv_module().state_dict())


def test_grad_and_train_mode_use_plain_layers():
    m = make_conv_module()
    enable_conv_bn_folding(m)
    m.eval()
    x = torch.randn(2, 4, 5, 5)
    out = m(x)  # grad enabled: no folding, gradients flow to BN
    out.sum().backward()
    assert m.norm.weight.grad is not None
    assert '_folded_bn' not in m.conv.__dict__
    m.train()
    with torch.no_grad():
        m(x)
    assert '_folded_bn' not in m.conv.__dict__


def test_backbone_eval_matches_unfolded_nchw_backbone():
    torch.manual_seed(0)
    model = CSPNeXt(deepen_factor=0.167, widen_factor=0.25, out_indices=(4, ))
    model.train()
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        model(x)  # fill running stats
    model.eval()
    plain = CSPNeXt(deepen_factor=0.167, widen_factor=0.25,
                    out_indices=(4, )).eval()
    for m in plain.modules():
        if isinstance(m, ConvModule):
            m.efficient_conv_bn_eval_forward = None
    plain.load_state_dict(model.state_dict())
    plain.to(memory_format=torch.contiguous_format)
    with torch.no_grad():
        folded = model(x)[0]
        expected = plain(x)[0]
    assert torch.allclose(folded, expected, atol=1e-4, rtol=1e-4)
