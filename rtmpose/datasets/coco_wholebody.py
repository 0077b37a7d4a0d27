"""The COCO-WholeBody dataset (133 keypoints: body, feet, face, hands)."""
from typing import Sequence, Tuple

import numpy as np

from rtmpose.registry import DATASETS
from .base_coco_style_dataset import BaseCocoStyleDataset

# Annotation fields in the order they are concatenated, with their number of
# keypoints and the validity flag of the part (absent for the body).
WHOLEBODY_PARTS = (
    ('keypoints', 17, None),
    ('foot_kpts', 6, 'foot_valid'),
    ('face_kpts', 68, 'face_valid'),
    ('lefthand_kpts', 21, 'lefthand_valid'),
    ('righthand_kpts', 21, 'righthand_valid'),
)


@DATASETS.register_module()
class CocoWholeBodyDataset(BaseCocoStyleDataset):
    """COCO-WholeBody v1.0 (Jin et al., ECCV 2020), e.g.
    ``coco_wholebody_train_v1.0.json`` with COCO images under
    ``data_prefix['img']``.

    Each annotation stores its parts separately: ``keypoints`` (body, 17),
    ``foot_kpts`` (6), ``face_kpts`` (68), ``lefthand_kpts`` (21) and
    ``righthand_kpts`` (21), each a flat ``[x, y, v] * n`` list, with
    ``foot_valid`` / ``face_valid`` / ``lefthand_valid`` / ``righthand_valid``
    flags. A sample's keypoints are the parts concatenated in that order
    (133); the keypoints of a part flagged invalid are unlabelled.
    ``num_keypoints`` counts the labelled keypoints of all parts (the file's
    own ``num_keypoints`` counts the body only), so a person with only hands
    labelled still trains. ``raw_ann_info`` keeps the separate fields for
    ``CocoWholeBodyMetric``.

    See ``BaseCocoStyleDataset`` for the arguments and the sample layout.
    """

    METAINFO: dict = dict(
        from_file='configs/_base_/datasets/coco_wholebody.py')

    def _annotation_keypoints(self, ann: dict) -> Tuple[Sequence, int]:
        parts = []
        for field, num, valid_flag in WHOLEBODY_PARTS:
            if field not in ann:
                raise ValueError(
                    f'annotation id {ann.get("id")} in {self.ann_file} has no '
                    f'{field!r}; COCO-WholeBody annotations store '
                    f'{[p[0] for p in WHOLEBODY_PARTS]}')
            kpts = np.asarray(ann[field], dtype=np.float32)
            if kpts.size != 3 * num:
                raise ValueError(
                    f'annotation id {ann.get("id")} in {self.ann_file}: '
                    f'{field} has {kpts.size} values, expected {3 * num} '
                    f'({num} keypoints)')
            kpts = kpts.reshape(num, 3)
            if valid_flag is not None and not ann.get(valid_flag, True):
                kpts = kpts * np.array([1., 1., 0.], dtype=np.float32)
            parts.append(kpts)
        kpts = np.concatenate(parts)
        return kpts.reshape(-1), int((kpts[:, 2] > 0).sum())
