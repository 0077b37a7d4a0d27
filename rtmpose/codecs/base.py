"""The contract of keypoint codecs (annotation <-> training target). What
their outputs need outside training (names, numpy decoding, graph argmax)
is their ``kind``'s, in ``rtmpose.codecs.output_kinds``."""
import inspect
from abc import ABCMeta, abstractmethod
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

from .arguments import check_keypoints
from .output_kinds import decode_by_kind


class BaseKeypointCodec(metaclass=ABCMeta):
    """Encode keypoints into training targets and decode model outputs back.

    A codec declares:

    - ``input_size`` (w, h) and ``use_udp``: the crops it expects;
    - ``kind``: the name of its model outputs' registered
      :class:`~rtmpose.codecs.output_kinds.OutputKind` (``'simcc'``,
      ``'heatmaps'``): graph output names, numpy decoding, graph argmax;
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
    # (the affine crop's use_udp); the model's input spec takes it
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
        """Keyword arguments of the kind's ``decode`` (JSON-safe)."""

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

    def at_input_size(self, input_size: Sequence[int],
                      output_shapes: Callable[[], List[Sequence[int]]]
                      ) -> 'BaseKeypointCodec':
        """This codec for its model run at another (w, h) ``input_size``
        (export at another size); ``output_shapes()`` runs the model at that
        size and returns its outputs' shapes. By default only the codec's
        own size is accepted."""
        if tuple(input_size) != tuple(self.input_size):
            raise ValueError(
                f'{type(self).__name__} is fixed to its input_size '
                f'{tuple(self.input_size)} (w, h) (its outputs\' layout '
                f'depends on it), not {tuple(input_size)}; export at that '
                'size')
        return self


class BaseHeatmapCodec(BaseKeypointCodec):
    """A codec whose model outputs heatmaps (N, C, H, W), decoded by
    :func:`~rtmpose.codecs.decode_heatmaps`; ``scale_factor`` (sx, sy) is
    input pixels per heatmap pixel."""

    kind = 'heatmaps'
    scale_factor: np.ndarray
    heatmap_size: Tuple[int, int]
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

    def at_input_size(self, input_size: Sequence[int],
                      output_shapes: Callable[[], List[Sequence[int]]]
                      ) -> 'BaseHeatmapCodec':
        """The same codec at the new input size and the heatmap size of
        the outputs (N, C, H, W) there (the constructor's arguments are
        kept as attributes of the same names)."""
        shape = output_shapes()[0]
        heatmap_size = (int(shape[-1]), int(shape[-2]))
        if (tuple(input_size), heatmap_size) == (tuple(self.input_size),
                                                 tuple(self.heatmap_size)):
            return self
        names = list(inspect.signature(type(self).__init__).parameters)[1:]
        args = {name: getattr(self, name) for name in names}
        return type(self)(**dict(args, input_size=tuple(input_size),
                                 heatmap_size=heatmap_size))

    def argmax_scale(self) -> Tuple[float, float]:
        return tuple(float(v) for v in self.scale_factor)

    def refinement(self) -> Optional[str]:
        return self.decode_args()['refine']
