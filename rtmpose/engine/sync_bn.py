"""Which SyncBN a distributed run trains with: torch's ``nn.SyncBatchNorm``
on CUDA, rtmpose's :class:`~rtmpose.models.layers.SyncBatchNorm` (what
``norm_cfg=dict(type='SyncBN')`` builds) on CPU, where torch's needs CUDA
and DDP refuses it."""
from typing import Callable

from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

from rtmpose.registry import MODELS


def to_torch_sync_bn(module: nn.Module) -> nn.Module:
    """rtmpose's SyncBN layers -> torch's ``nn.SyncBatchNorm``."""
    cpu_sync_bn = MODELS.get('SyncBN')
    return _swap_norms(module, lambda m: type(m) is cpu_sync_bn,
                       nn.SyncBatchNorm)


def to_cpu_sync_bn(module: nn.Module, all_bn: bool = False) -> nn.Module:
    """torch's ``nn.SyncBatchNorm`` layers (e.g. built outside the rtmpose
    scope) -> rtmpose's SyncBN; with ``all_bn`` every batch norm, as
    mmengine's ``sync_bn`` config key asks."""
    cpu_sync_bn = MODELS.get('SyncBN')

    def match(m: nn.Module) -> bool:
        if all_bn:
            return isinstance(m, _BatchNorm) and type(m) is not cpu_sync_bn
        return isinstance(m, nn.SyncBatchNorm)

    return _swap_norms(module, match, cpu_sync_bn)


def _swap_norms(module: nn.Module, match: Callable[[nn.Module], bool],
                new_type: type) -> nn.Module:
    """Replace every submodule ``m`` with ``match(m)`` (``module`` itself
    included) by a ``new_type`` sharing its parameters and buffers."""
    if match(module):
        new = new_type(module.num_features, module.eps, module.momentum,
                       module.affine, module.track_running_stats,
                       process_group=getattr(module, 'process_group', None))
        if module.affine:
            new.weight, new.bias = module.weight, module.bias
        new.running_mean = module.running_mean
        new.running_var = module.running_var
        new.num_batches_tracked = module.num_batches_tracked
        new.train(module.training)
        return new
    for name, child in module.named_children():
        module.add_module(name, _swap_norms(child, match, new_type))
    return module
