"""Model complexity: GFLOPs (multiply-adds) and parameters.

Convention: 1 FLOP = 1 multiply-add (MAC), counted for convolutions, linear
layers and matrix products, as mmcv's ``get_model_complexity_info`` reports
the figures of the RTMPose paper (0.36 / 0.68 / 1.93 / 4.16 G for t / s / m
/ l at 256x192). torch's ``FlopCounterMode`` counts 2 FLOPs per MAC, so its
total is halved. Element-wise ops (norms, activations, pooling) are not
counted; they add ~1-2% in mmcv's count. Batch 1, eval mode, no flip test.
"""
import torch
from torch.utils.flop_counter import FlopCounterMode


def count_complexity(model: torch.nn.Module, input_shape: tuple) -> tuple:
    """(GFLOPs as multiply-adds, parameters in millions) of ``model`` in
    'tensor' mode on one (3, H, W) input; the model's train/eval mode is
    restored afterwards."""
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    x = torch.zeros(1, 3, *input_shape, device=device)
    try:
        with FlopCounterMode(display=False) as counter, torch.no_grad():
            model(x, None, mode='tensor')
    finally:
        model.train(was_training)
    macs = counter.get_total_flops() / 2
    params = sum(p.numel() for p in model.parameters())
    return macs / 1e9, params / 1e6
