"""Batching, padding and normalisation of detection images."""
import math
from typing import Optional, Sequence

import torch
import torch.nn.functional as F
from mmengine.model import BaseDataPreprocessor

from rtmpose.registry import MODELS


@MODELS.register_module()
class DetDataPreprocessor(BaseDataPreprocessor):
    """Stack (3, H_i, W_i) images into (N, 3, H, W) float, normalised.

    Every image is padded at the right and bottom with ``pad_value`` (in
    raw pixel values, i.e. the test pipeline's 114 grey) to the batch's
    largest height and width rounded up to ``pad_size_divisor``, then
    normalised as ``(x - mean) / std`` per channel, channels kept in their
    input order (BGR for RTMDet) unless ``bgr_to_rgb``. Each data sample
    gets ``batch_input_shape`` and ``pad_shape`` = (H, W).

    The reference pads after normalising (with its defaults, divisor 1 and
    value 0, it never pads RTMDet's already equal-sized inputs); padding
    raw pixels makes an uneven batch see the same grey as the pipeline's
    ``Pad``.

    Args:
        mean: per-channel mean, input channel order.
        std: per-channel std.
        pad_size_divisor: H and W become multiples of it.
        pad_value: raw pixel value of the padding.
        bgr_to_rgb: swap channels 0 and 2 (before normalising).
        batch_augments: must be None (no batch augmentation here).
        non_blocking: copy batches to the device asynchronously.
    """

    def __init__(self,
                 mean: Sequence[float] = (103.53, 116.28, 123.675),
                 std: Sequence[float] = (57.375, 57.12, 58.395),
                 pad_size_divisor: int = 32,
                 pad_value: float = 114,
                 bgr_to_rgb: bool = False,
                 batch_augments: Optional[list] = None,
                 non_blocking: bool = False) -> None:
        super().__init__(non_blocking)
        if batch_augments:
            raise ValueError('DetDataPreprocessor: batch_augments are not '
                             'supported')
        if len(mean) != 3 or len(std) != 3:
            raise ValueError('DetDataPreprocessor: mean and std need 3 '
                             f'values, got {mean} and {std}')
        self.register_buffer('mean', torch.tensor(mean).view(-1, 1, 1),
                             False)
        self.register_buffer('std', torch.tensor(std).view(-1, 1, 1), False)
        self.pad_size_divisor = pad_size_divisor
        self.pad_value = pad_value
        self.bgr_to_rgb = bgr_to_rgb

    def forward(self, data: dict, training: bool = False) -> dict:
        """``data['inputs']``: a list of (3, H_i, W_i) tensors or a
        (N, 3, H, W) tensor; ``data['data_samples']``: optional list.
        Returns ``dict(inputs=(N, 3, H, W) float, data_samples=...)``."""
        data = self.cast_data(data)
        inputs = data['inputs']
        if isinstance(inputs, torch.Tensor):
            if inputs.ndim != 4:
                raise ValueError('DetDataPreprocessor: a batch tensor must '
                                 f'be (N, 3, H, W), got {tuple(inputs.shape)}')
            inputs = list(inputs)
        for img in inputs:
            if img.ndim != 3 or img.size(0) != 3:
                raise ValueError('DetDataPreprocessor: images must be '
                                 f'(3, H, W), got {tuple(img.shape)}')
        d = self.pad_size_divisor
        height = math.ceil(max(img.size(1) for img in inputs) / d) * d
        width = math.ceil(max(img.size(2) for img in inputs) / d) * d
        batch = torch.stack([
            F.pad(img.float(), (0, width - img.size(2), 0,
                                height - img.size(1)),
                  value=float(self.pad_value)) for img in inputs
        ])
        if self.bgr_to_rgb:
            batch = batch[:, [2, 1, 0]]
        batch = (batch - self.mean) / self.std
        samples = data.get('data_samples')
        if samples is not None:
            for sample in samples:
                sample.set_metainfo(
                    dict(batch_input_shape=(height, width),
                         pad_shape=(height, width)))
        return dict(inputs=batch, data_samples=samples)
