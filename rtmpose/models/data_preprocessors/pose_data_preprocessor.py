"""Batching and normalisation of top-down crops."""
from mmengine.model import ImgDataPreprocessor

from rtmpose.registry import MODELS


@MODELS.register_module()
class PoseDataPreprocessor(ImgDataPreprocessor):
    """Stacks the (3, H, W) uint8 crops of a batch into (N, 3, H, W) float,
    optionally BGR -> RGB, normalised as ``(x - mean) / std`` per channel.

    Arguments are those of mmengine's ``ImgDataPreprocessor`` (``mean``,
    ``std``, ``bgr_to_rgb``, ``pad_size_divisor``, ``pad_value``, ...).
    Top-down crops all share the input size, so no padding happens in
    practice.
    """
