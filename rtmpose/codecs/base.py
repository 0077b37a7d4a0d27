"""Interface shared by keypoint codecs (annotation <-> training target)."""
from abc import ABCMeta, abstractmethod
from typing import Dict, Optional, Tuple

import numpy as np


class BaseKeypointCodec(metaclass=ABCMeta):
    """Encode keypoints into training targets and decode model outputs back.

    ``encode`` returns a dict of arrays. ``PackPoseInputs`` routes them by the
    two class-level tables below (encoded key -> packed key):

    - ``label_mapping_table``: per-instance targets, first dim N, packed as
      tensors into ``PoseDataSample.gt_instance_labels``;
    - ``field_mapping_table``: dense targets (C, H, W), packed as tensors
      into ``PoseDataSample.gt_fields``.

    Encoded keys in neither table stay in the results dict only.
    """

    label_mapping_table: Dict[str, str] = {}
    field_mapping_table: Dict[str, str] = {}

    @abstractmethod
    def encode(self,
               keypoints: np.ndarray,
               keypoints_visible: Optional[np.ndarray] = None) -> dict:
        """Keypoints (N, K, 2) pixels in input space and visibility (N, K)
        -> dict of targets."""

    @abstractmethod
    def decode(self, *encoded: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Model outputs -> keypoints (N, K, 2) pixels in input space and
        scores (N, K)."""
