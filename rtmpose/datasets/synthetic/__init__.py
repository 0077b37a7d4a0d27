"""Synthetic demo data: drawn people in COCO keypoint format (``writer``)."""
from .writer import (ANN_FILES, COCO_KEYPOINT_NAMES, COCO_SKELETON, IMG_DIRS,
                     MARKER, generate_synthetic_coco, is_generated)

__all__ = [
    'ANN_FILES', 'COCO_KEYPOINT_NAMES', 'COCO_SKELETON', 'IMG_DIRS', 'MARKER',
    'generate_synthetic_coco', 'is_generated'
]
