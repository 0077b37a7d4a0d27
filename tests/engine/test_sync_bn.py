"""The SyncBN swaps of a distributed run: torch's on CUDA, rtmpose's on
CPU; parameters and buffers are shared, not copied."""
import torch
from torch import nn

from rtmpose.engine.sync_bn import to_cpu_sync_bn, to_torch_sync_bn
from rtmpose.models.layers import SyncBatchNorm


def _net(norm):
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(3, 4, 1), norm(4),
                        nn.Sequential(nn.Conv2d(4, 4, 1), norm(4)))
    net[1].running_mean.fill_(0.5)
    net[2][1].num_batches_tracked.fill_(7)
    return net


def _same_tensors(a: nn.Module, b_state: dict) -> bool:
    return all(a.state_dict()[k].data_ptr() == v.data_ptr()
               for k, v in b_state.items())


def test_to_torch_sync_bn_keeps_the_tensors():
    net = _net(SyncBatchNorm).eval()
    before = net.state_dict()
    net = to_torch_sync_bn(net)
    assert [type(m) for m in net.modules() if 'Norm' in type(m).__name__] \
        == [nn.SyncBatchNorm] * 2
    assert _same_tensors(net, before)
    assert not net[2][1].training  # the mode travels too
    assert int(net[2][1].num_batches_tracked) == 7


def test_to_cpu_sync_bn():
    net = to_cpu_sync_bn(_net(nn.SyncBatchNorm))
    assert type(net[1]) is SyncBatchNorm and type(net[2][1]) is SyncBatchNorm
    # plain BN stays unless mmengine's sync_bn key asks for all of them
    net = _net(nn.BatchNorm2d)
    assert type(to_cpu_sync_bn(net)[1]) is nn.BatchNorm2d
    before = net.state_dict()
    net = to_cpu_sync_bn(net, all_bn=True)
    assert type(net[1]) is SyncBatchNorm and type(net[2][1]) is SyncBatchNorm
    assert _same_tensors(net, before)
    assert float(net[1].running_mean[0]) == 0.5
