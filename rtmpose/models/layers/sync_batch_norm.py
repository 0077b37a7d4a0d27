"""``norm_cfg=dict(type='SyncBN')``: batch norm over the whole batch of all
processes, on CPU (gloo) as well as on CUDA."""
from typing import Optional

import torch
import torch.distributed as dist
from torch import Tensor, nn

from rtmpose.registry import MODELS


@MODELS.register_module(name='SyncBN')
class SyncBatchNorm(nn.BatchNorm2d):
    """Batch norm whose training statistics are those of the batch of all
    processes together; input (N, C, *).

    - One process, or eval mode: exactly ``BatchNorm`` (running statistics in
      eval, this process's batch in training).
    - Several processes on CPU (gloo): per channel, the sample count, the sum
      and then the centred sum of squares are all-reduced with autograd-aware
      collectives, so the normalisation, its gradient and the running
      statistics are those of the combined batch, identical on every rank
      (two all-reduces per layer forward, two backward).
    - Several processes on CUDA: :class:`~rtmpose.engine.PoseRunner` turns
      these layers into torch's ``nn.SyncBatchNorm`` before wrapping the
      model in DDP (:mod:`rtmpose.engine.sync_bn`), so a GPU user gets torch's
      fused kernels (in a training loop of your own, this class's
      all-reduce path runs on CUDA too: the same numbers, slower).

    A ``BatchNorm2d`` (code looking for the model's BN layers finds it, as
    it finds the plain BN of the same config) that accepts any (N, C, *)
    input. Parameters and buffers are ``BatchNorm``'s (``weight``, ``bias``,
    ``running_mean``, ``running_var``, ``num_batches_tracked``): checkpoints
    written with BN, torch's SyncBN or this class load into any of them.

    Args:
        process_group: the group to synchronise over (default: all
            processes), as torch's ``SyncBatchNorm``.
        Others as ``nn.BatchNorm2d``.
    """

    def __init__(self,
                 num_features: int,
                 eps: float = 1e-5,
                 momentum: Optional[float] = 0.1,
                 affine: bool = True,
                 track_running_stats: bool = True,
                 process_group=None,
                 device=None,
                 dtype=None):
        super().__init__(num_features, eps, momentum, affine,
                         track_running_stats, device=device, dtype=dtype)
        self.process_group = process_group

    def _check_input_dim(self, input: Tensor) -> None:
        if input.dim() < 2:
            raise ValueError(
                f'expected at least 2D input (N, C, *), got {input.dim()}D')

    def forward(self, input: Tensor) -> Tensor:
        if not self.training or not _several_processes(self.process_group):
            return super().forward(input)
        self._check_input_dim(input)
        group = dist.group.WORLD if self.process_group is None \
            else self.process_group
        channels = input.shape[1]
        dims = [0] + list(range(2, input.dim()))
        shape = [1, channels] + [1] * (input.dim() - 2)
        # the count travels with the sums: ranks may hold different batches
        count = input.new_full((1, ), input.numel() // channels)
        total = _AllReduceSum.apply(torch.cat([input.sum(dims), count]), group)
        n = total[-1].detach()
        if n <= 1:
            raise ValueError('SyncBN in training needs more than one value '
                             f'per channel over all processes, got {int(n)}')
        mean = total[:-1] / n
        centred = input - mean.view(shape)
        # two passes: E[x^2] - E[x]^2 loses float32 precision
        var = _AllReduceSum.apply((centred * centred).sum(dims), group) / n
        out = centred * torch.rsqrt(var + self.eps).view(shape)
        if self.affine:
            out = out * self.weight.view(shape) + self.bias.view(shape)
        if self.track_running_stats:
            self._update_running_stats(mean.detach(), var.detach() * n /
                                       (n - 1))
        return out

    @torch.no_grad()
    def _update_running_stats(self, mean: Tensor, unbiased_var: Tensor):
        """As ``BatchNorm``: an exponential average with ``momentum``, or
        the cumulative average when ``momentum`` is None."""
        self.num_batches_tracked.add_(1)
        factor = 1.0 / float(self.num_batches_tracked) \
            if self.momentum is None else self.momentum
        self.running_mean.lerp_(mean, factor)
        self.running_var.lerp_(unbiased_var, factor)


def _several_processes(group) -> bool:
    return dist.is_available() and dist.is_initialized() and \
        dist.get_world_size(group) > 1


class _AllReduceSum(torch.autograd.Function):
    """Sum over the processes of ``group``; each input's gradient is the sum
    of the output gradients of all processes (the loss of every process
    depends on every process's input)."""

    @staticmethod
    def forward(ctx, tensor: Tensor, group) -> Tensor:
        ctx.group = group
        out = tensor.clone(memory_format=torch.contiguous_format)
        dist.all_reduce(out, group=group)
        return out

    @staticmethod
    def backward(ctx, grad: Tensor):
        grad = grad.clone(memory_format=torch.contiguous_format)
        dist.all_reduce(grad, group=ctx.group)
        return grad, None
