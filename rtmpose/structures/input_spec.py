"""What a top-down pose model expects of its input, in one place.

A built ``TopdownPoseEstimator`` carries an :class:`InputSpec`
(``model.input_spec``), derived from its parts at build time: the size and
crop convention from its head's codec, the normalisation from its data
preprocessor, the box padding from its own ``bbox_padding``. Inference,
export and the runtime crop persons with it instead of reading a config's
pipeline. numpy-free and torch-free (the runtime imports it).
"""
from dataclasses import dataclass
from typing import Any, Optional, Tuple


@dataclass(frozen=True)
class InputSpec:
    """The crops a pose model takes and the codec that decodes its outputs.

    Attributes:
        input_size: (w, h) crop pixels.
        mean, std: per-channel normalisation ``(x - mean) / std`` of the
            (channel-converted) crop, or None when the model takes raw
            pixel values.
        bgr_to_rgb: whether the BGR crop is turned into RGB first.
        bbox_padding: box enlargement before cropping (the box's
            ``bbox_xyxy2cs`` padding).
        use_udp: crops by unbiased data processing (``get_warp_matrix``).
        codec: the head's codec (``rtmpose.codecs.BaseKeypointCodec``).
    """

    input_size: Tuple[int, int]
    mean: Optional[Tuple[float, ...]]
    std: Optional[Tuple[float, ...]]
    bgr_to_rgb: bool
    bbox_padding: float
    use_udp: bool
    codec: Any = None
