"""Inference-time folding of BatchNorm into the preceding convolution."""
from typing import Tuple

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from torch import Tensor


def _fold_key(conv: nn.Conv2d, bn: nn.Module) -> tuple:
    """Identifies the current values of every tensor the folding reads:
    in-place updates (optimiser steps, ``load_state_dict``) bump
    ``_version``; ``.to()`` and data swaps change the storage pointer."""
    tensors = (conv.weight, conv.bias, bn.weight, bn.bias, bn.running_mean,
               bn.running_var)
    return tuple((t._version, t.data_ptr(), t.device, t.dtype)
                 for t in tensors if t is not None)


def folded_conv_bn_forward(bn: nn.Module, conv: nn.Conv2d,
                           x: Tensor) -> Tensor:
    """``bn(conv(x))`` for an eval-mode BN, as one convolution.

    Without autograd the folded weight ``w * gamma / sqrt(var + eps)`` and
    bias ``beta - mean * gamma / sqrt(var + eps)`` (+ folded conv bias) are
    cached on the conv and reused until any input tensor changes; with
    autograd (e.g. frozen BN while training) it runs the two layers as is.
    The parameters and the state_dict are untouched.
    """
    if torch.is_grad_enabled() or bn.weight is None \
            or bn.running_mean is None:
        # not conv(x): mmcv routes conv.forward to this function meanwhile
        return bn(conv._conv_forward(x, conv.weight, conv.bias))
    key = _fold_key(conv, bn)
    cached = conv.__dict__.get('_folded_bn')
    if cached is None or cached[0] != key:
        scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
        weight = conv.weight * scale.reshape(-1, 1, 1, 1)
        bias = bn.bias - bn.running_mean * scale
        if conv.bias is not None:
            bias = bias + conv.bias * scale
        cached = (key, weight, bias)
        # plain attribute, not a buffer: stays out of the state_dict
        conv.__dict__['_folded_bn'] = cached
    return conv._conv_forward(x, cached[1], cached[2])


def enable_conv_bn_folding(module: nn.Module) -> Tuple[ConvModule, ...]:
    """Make every mmcv ``ConvModule`` with a norm layer under ``module`` use
    :func:`folded_conv_bn_forward` when its norm is in eval mode (mmcv's
    ``efficient_conv_bn_eval`` hook). Returns the modules changed."""
    changed = []
    for m in module.modules():
        if isinstance(m, ConvModule) and m.with_norm \
                and isinstance(m.norm, nn.modules.batchnorm._BatchNorm):
            m.efficient_conv_bn_eval_forward = folded_conv_bn_forward
            changed.append(m)
    return tuple(changed)
