"""The contract of keypoint codecs (annotation <-> training target), and the
one table from a codec's output kind to its numpy decoding function, used by
the codecs themselves, by ONNX export and by the torch-free runtime."""
from abc import ABCMeta, abstractmethod
from typing import Callable, Dict, Optional, Sequence, Tuple

import numpy as np

from .heatmap_decoding import decode_heatmaps
from .arguments import check_keypoints
from .simcc_decoding import decode_simcc

# output kind -> decoding function(*outputs, **decode_args): keypoints
# (N, K, 2) input pixels (-1 where not found) and scores (N, K)
DECODERS: Dict[str, Callable[..., Tuple[np.ndarray, np.ndarray]]] = {
    'simcc': decode_simcc,  # outputs simcc_x (N, K, Wx), simcc_y (N, K, Wy)
    'heatmaps': decode_heatmaps,  # outputs heatmaps (N, C, H, W)
}


def decode_by_kind(kind: str, outputs: Sequence[np.ndarray],
                   decode_args: dict) -> Tuple[np.ndarray, np.ndarray]:
    """Decode model ``outputs`` of ``kind`` (a key of :data:`DECODERS`) with
    a codec's ``decode_args()``."""
    if kind not in DECODERS:
        raise ValueError(f'unknown codec output kind {kind!r}; expected one '
                         f'of {sorted(DECODERS)}')
    return DECODERS[kind](*outputs, **decode_args)


class BaseKeypointCodec(metaclass=ABCMeta):
    """Encode keypoints into training targets and decode model outputs back.

    A codec declares:

    - ``input_size`` (w, h) and ``use_udp``: the crops it expects;
    - ``kind``: its model outputs, a key of :data:`DECODERS` (``'simcc'``,
      ``'heatmaps'``), which names the numpy decoding function;
    - ``decode_args()``: that function's keyword arguments, JSON-safe
      (exported models store them, and the runtime decodes with them);
    - ``argmax_scale()``: input pixels per output unit of a plain argmax,
      (sx, sy) (export's in-graph decoding), and ``refinement()``: the
      sub-pixel refinement that a plain argmax leaves out (None: none).

    ``encode`` returns a dict of arrays. ``PackPoseInputs`` routes them by the
    two class-level tables below (encoded key -> packed key):

    - ``label_mapping_table``: per-instance targets, first dim N, packed as
      tensors into ``PoseDataSample.gt_instance_labels``;
    - ``field_mapping_table``: dense targets (C, H, W), packed as tensors
      into ``PoseDataSample.gt_fields``.

    Encoded keys in neither table stay in the results dict only.
    """

    kind: str = ''
    # (w, h) model input pixels, set by the constructor; the model's input
    # spec takes it from its head's codec
    input_size: Tuple[int, int]
    # whether the targets assume crops made with unbiased data processing
    # (TopdownAffine's use_udp); the model's input spec takes it
    use_udp: bool = False
    label_mapping_table: Dict[str, str] = {}
    field_mapping_table: Dict[str, str] = {}

    @abstractmethod
    def encode(self,
               keypoints: np.ndarray,
               keypoints_visible: Optional[np.ndarray] = None) -> dict:
        """Keypoints (N, K, 2) pixels in input space and visibility (N, K)
        -> dict of targets."""

    @abstractmethod
    def decode_args(self) -> dict:
        """Keyword arguments of ``DECODERS[self.kind]`` (JSON-safe)."""

    @abstractmethod
    def argmax_scale(self) -> Tuple[float, float]:
        """(sx, sy) input pixels per output unit of a plain argmax."""

    @abstractmethod
    def refinement(self) -> Optional[str]:
        """The sub-pixel refinement a plain argmax leaves out, or None."""

    def decode(self, *outputs: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Model outputs -> keypoints (N, K, 2) pixels in input space and
        scores (N, K); keypoints not found are -1."""
        return decode_by_kind(self.kind, outputs, self.decode_args())


class BaseHeatmapCodec(BaseKeypointCodec):
    """A codec whose model outputs heatmaps (N, C, H, W), decoded by
    :func:`~rtmpose.codecs.decode_heatmaps`; ``scale_factor`` (sx, sy) is
    input pixels per heatmap pixel."""

    kind = 'heatmaps'
    scale_factor: np.ndarray
    label_mapping_table = dict(keypoint_weights='keypoint_weights')
    field_mapping_table = dict(heatmaps='heatmaps')

    def encode(self,
               keypoints: np.ndarray,
               keypoints_visible: Optional[np.ndarray] = None) -> dict:
        """Keypoints (N, K, 2) input pixels, visibility (N, K) -> heatmaps
        and keypoint_weights (see the codec's docstring)."""
        keypoints, keypoints_visible = check_keypoints(
            keypoints, keypoints_visible, type(self).__name__)
        heatmaps, weights = self._heatmaps(keypoints / self.scale_factor,
                                           keypoints_visible)
        return dict(heatmaps=heatmaps, keypoint_weights=weights)

    @abstractmethod
    def _heatmaps(self, keypoints: np.ndarray, keypoints_visible: np.ndarray
                  ) -> Tuple[np.ndarray, np.ndarray]:
        """(N, K, 2) heatmap pixels, (N, K) visibility -> heatmaps
        (C, H, W) and keypoint_weights (N, K), float32."""

    def argmax_scale(self) -> Tuple[float, float]:
        return tuple(float(v) for v in self.scale_factor)

    def refinement(self) -> Optional[str]:
        return self.decode_args()['refine']
