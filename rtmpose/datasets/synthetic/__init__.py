"""Synthetic demo data: drawn people in COCO keypoint format.

Data flow: ``figure`` (COCO layout; a person's pose, build and colours) ->
``render`` (painting, background, noise) -> ``scene`` (people placed in one
image, their annotations) -> ``writer`` (image files, COCO JSON and the
completion marker: :func:`generate_synthetic_coco`); ``video`` pans one
image into a short video with per-frame ground truth. Underscored names
are shared between these modules only.
"""
from .figure import COCO_KEYPOINT_NAMES, COCO_SKELETON
from .video import make_synthetic_video
from .writer import (ANN_FILES, IMG_DIRS, MARKER, generate_synthetic_coco,
                     is_generated)

__all__ = [
    'ANN_FILES', 'COCO_KEYPOINT_NAMES', 'COCO_SKELETON', 'IMG_DIRS', 'MARKER',
    'generate_synthetic_coco', 'is_generated', 'make_synthetic_video'
]
