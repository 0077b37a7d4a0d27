"""rtmpose's SyncBatchNorm in one process: BatchNorm's numbers and keys.

Across processes it is tested in ``tests/engine/test_distributed.py`` (two
gloo processes x batch 3 against one process x batch 6). Here its
all-reduce path runs with the collective made the identity (one process's
sums are the world's), so its arithmetic is checked against BatchNorm.
"""
import pytest
import torch
import torch.distributed as dist
from mmcv.cnn import ConvModule, build_norm_layer
from mmengine.registry import DefaultScope
from torch import nn

from rtmpose.models.backbones import CSPNeXt
from rtmpose.models.layers import SyncBatchNorm
from rtmpose.models.layers import sync_batch_norm as sbn


def _pair(momentum=0.1, channels=5):
    torch.manual_seed(0)
    ref = nn.BatchNorm2d(channels, momentum=momentum)
    nn.init.uniform_(ref.weight, 0.5, 1.5)
    nn.init.uniform_(ref.bias, -0.5, 0.5)
    ours = SyncBatchNorm(channels, momentum=momentum)
    ours.load_state_dict(ref.state_dict())
    return ref, ours


def _step(layer, x):
    """Forward and backward of a fixed weighting; (out, input grad)."""
    x = x.clone().requires_grad_()
    out = layer(x)
    (out * torch.linspace(-1, 2, out.numel()).view_as(out)).sum().backward()
    return out.detach(), x.grad


def test_config_name_builds_it_with_batchnorm_keys():
    with DefaultScope.overwrite_default_scope('rtmpose'):
        name, layer = build_norm_layer(dict(type='SyncBN'), 8)
        conv = ConvModule(3, 8, 3, norm_cfg=dict(type='SyncBN'))
    assert type(layer) is SyncBatchNorm and name == 'bn'
    assert isinstance(layer, nn.BatchNorm2d)  # found where BN is looked for
    assert type(conv.bn) is SyncBatchNorm
    # a BN state dict (e.g. a published checkpoint) loads strictly
    assert list(layer.state_dict()) == list(nn.BatchNorm2d(8).state_dict())
    layer.load_state_dict(nn.BatchNorm2d(8).state_dict(), strict=True)


@pytest.mark.parametrize('synced', [False, True],
                         ids=['one-process', 'all-reduce-path'])
@pytest.mark.parametrize('momentum', [0.1, None])
def test_matches_batchnorm(monkeypatch, synced, momentum):
    if synced:
        monkeypatch.setattr(sbn, '_several_processes', lambda group: True)
        monkeypatch.setattr(dist, 'all_reduce', lambda t, group=None: None)
    ref, ours = _pair(momentum)
    # NHWC, as CSPNeXt's convolutions give on GPU
    x = (torch.randn(6, 5, 4, 3) * 3 + 2).to(
        memory_format=torch.channels_last)
    for _ in range(2):  # the running statistics accumulate
        out_ref, grad_ref = _step(ref, x)
        out, grad = _step(ours, x)
        torch.testing.assert_close(out, out_ref, rtol=1e-5, atol=1e-5)
        torch.testing.assert_close(grad, grad_ref, rtol=1e-4, atol=1e-5)
    for key, value in ref.state_dict().items():
        torch.testing.assert_close(ours.state_dict()[key], value, msg=key)
    torch.testing.assert_close(ours.weight.grad, ref.weight.grad)
    torch.testing.assert_close(ours.bias.grad, ref.bias.grad)
    # eval: the running statistics
    ref.eval(), ours.eval()
    torch.testing.assert_close(ours(x), ref(x))


def test_all_reduce_path_refuses_a_single_value(monkeypatch):
    monkeypatch.setattr(sbn, '_several_processes', lambda group: True)
    monkeypatch.setattr(dist, 'all_reduce', lambda t, group=None: None)
    with pytest.raises(ValueError, match='more than one value'):
        SyncBatchNorm(3)(torch.randn(1, 3))


def test_backbone_with_syncbn_trains_as_with_bn_in_one_process():
    """What a single-process run of a config naming SyncBN trains with."""
    with DefaultScope.overwrite_default_scope('rtmpose'):
        torch.manual_seed(1)
        sync = CSPNeXt(deepen_factor=0.167, widen_factor=0.125,
                       out_indices=(4, ), norm_cfg=dict(type='SyncBN'))
    plain = CSPNeXt(deepen_factor=0.167, widen_factor=0.125,
                    out_indices=(4, ), norm_cfg=dict(type='BN'))
    plain.load_state_dict(sync.state_dict(), strict=True)
    assert any(type(m) is SyncBatchNorm for m in sync.modules())
    x = torch.rand(2, 3, 64, 64)
    torch.testing.assert_close(sync.train()(x)[0], plain.train()(x)[0])
    torch.testing.assert_close(sync.state_dict(), plain.state_dict())
