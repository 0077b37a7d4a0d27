"""The MPII Human Pose dataset (16 keypoints) in its JSON list layout."""
import os.path as osp
from typing import Dict, List, Optional

import numpy as np

from rtmpose.registry import DATASETS
from rtmpose.structures.bbox import bbox_cs2xyxy
from .annotation_checks import NonFiniteFilter
from .base_coco_style_dataset import BaseCocoStyleDataset
from .coco_api import load_json

# MPII person scales are box heights in units of 200 pixels.
MPII_SCALE_UNIT = 200.
# The person center is moved down by 15 pixels per scale unit so that the
# box covers the legs (the convention of the standard MPII crops).
MPII_CENTER_SHIFT = 15.
_ANN_KEYS = ('image', 'center', 'scale', 'joints', 'joints_vis')


def load_head_sizes(headbox_file: str, num_annotations: int) -> np.ndarray:
    """Diagonals (pixels) of the MPII head boxes, one per annotation.

    Args:
        headbox_file: ``.mat`` with ``headboxes_src`` (2, 2, N) (the official
            ``mpii_gt_val.mat``; needs scipy), or ``.npy`` / ``.json`` with
            (N, 2, 2) ``[[x1, y1], [x2, y2]]`` or (N, 4) boxes.
        num_annotations: N, the number of entries in the annotation file.

    Returns:
        (N,) float64 head box diagonals ``|(x2, y2) - (x1, y1)|``.
    """
    if not osp.isfile(headbox_file):
        raise FileNotFoundError(f'MPII headbox_file not found: {headbox_file}')
    ext = osp.splitext(headbox_file)[1].lower()
    if ext == '.mat':
        try:
            from scipy.io import loadmat
        except ImportError as err:
            raise ImportError(
                f'reading {headbox_file} needs scipy (pip install scipy), '
                'or convert its headboxes_src to an (N, 2, 2) .npy') from err
        mat = loadmat(headbox_file)
        if 'headboxes_src' not in mat:
            keys = sorted(k for k in mat if not k.startswith('_'))
            raise KeyError(
                f'{headbox_file} has no "headboxes_src" (keys: {keys})')
        boxes = np.transpose(mat['headboxes_src'], (2, 0, 1))
    elif ext == '.npy':
        boxes = np.load(headbox_file)
    elif ext == '.json':
        boxes = np.asarray(load_json(headbox_file, 'MPII headbox_file'))
    else:
        raise ValueError(f'MPII headbox_file {headbox_file}: expected a .mat, '
                         f'.npy or .json file, got {ext!r}')
    boxes = np.asarray(boxes, dtype=np.float64)
    if boxes.ndim < 2 or boxes.size != 4 * len(boxes):
        raise ValueError(f'MPII headbox_file {headbox_file}: expected (N, 2, '
                         f'2) or (N, 4) head boxes, got shape {boxes.shape}')
    if len(boxes) != num_annotations:
        raise ValueError(
            f'MPII headbox_file {headbox_file} has {len(boxes)} head boxes '
            f'but the annotation file has {num_annotations} persons; they '
            'must correspond one to one, in order')
    boxes = boxes.reshape(-1, 2, 2)
    return np.linalg.norm(boxes[:, 1] - boxes[:, 0], axis=-1)


@DATASETS.register_module()
class MpiiDataset(BaseCocoStyleDataset):
    """MPII Human Pose (Andriluka et al., CVPR 2014), e.g. ``mpii_train.json``
    / ``mpii_val.json`` with images under ``data_prefix['img']``.

    The annotation file is a JSON list with one entry per person:
    ``{image, center (x, y), scale, joints (16, 2), joints_vis (16,)}``,
    in MATLAB's 1-based pixel coordinates. ``scale`` is the person height in
    units of 200 pixels. Each entry becomes one sample (see
    ``BaseCocoStyleDataset``) with:

    - ``bbox`` the square of side ``scale * 200`` around ``center`` (moved
      down by ``15 * scale`` pixels, then made 0-based by subtracting 1),
      not clipped to the image (``GetBBoxCenterScale`` then pads it by
      1.25);
    - ``keypoints`` the ``joints`` as in the file, 1-based, and
      ``keypoints_visible`` = ``joints_vis``;
    - ``id`` the entry's index in the file, ``img_id`` the index of its image
      in order of first appearance;
    - ``raw_ann_info`` a COCO-style annotation of the same data (flat
      ``keypoints`` ``[x, y, v] * 16`` in the file's 1-based pixels, ``bbox``
      xywh) plus ``head_size`` (pixels, the head box diagonal) when
      ``headbox_file`` is given; PCKh metrics read the ground truth from
      there.

    Coordinate convention (the reference toolbox's, mmpose 1.3.2): the box is
    0-based but the keypoints stay 1-based, so training targets lie 1 pixel
    right of and below the joint in the image array, and
    ``MpiiPCKAccuracy`` adds 1 to the predictions (image pixels) before
    comparing them with the 1-based ground truth. A model trained here thus
    learns the same targets as one trained by the reference, and either
    checkpoint gets the same predictions and PCKh here as there (checked by
    ``tools/analysis/compare_reference_metrics.py``: dataset instances and
    PCKh against the reference's). Geometrically the trained model is 1
    pixel off; published MPII numbers were measured with this convention.

    Every entry becomes a sample, as in the reference: also one without any
    labelled joint (it trains with zero weights), and one whose center is
    ``(-1, -1)`` (no person box; its center is then not moved down).

    Args:
        headbox_file: head boxes of the annotation file's persons, in the
            same order (``mpii_gt_val.mat`` for ``mpii_val.json``); see
            ``load_head_sizes``.
        Other args: as ``BaseCocoStyleDataset``; ``bbox_file`` is not
            supported (MPII is evaluated on its annotated persons).
    """

    METAINFO: dict = dict(from_file='configs/_base_/datasets/mpii.py')

    def __init__(self, *args, headbox_file: Optional[str] = None, **kwargs):
        if kwargs.get('bbox_file') is not None:
            raise ValueError('MpiiDataset: bbox_file is not supported; MPII '
                             'is evaluated on the annotated person boxes')
        self.headbox_file = headbox_file
        super().__init__(*args, **kwargs)

    def load_data_list(self) -> List[dict]:
        anns = load_json(self.ann_file, 'MPII annotation file')
        if not isinstance(anns, list):
            raise ValueError(
                f'MPII annotation file {self.ann_file}: expected a JSON list '
                f'of persons ({{image, center, scale, joints, joints_vis}}), '
                f'got {type(anns).__name__}')
        head_sizes = None
        if self.headbox_file is not None:
            head_sizes = load_head_sizes(self.headbox_file, len(anns))
        img_ids: Dict[str, int] = {}
        data_list = []
        self._finite = NonFiniteFilter(self.non_finite, self.ann_file)
        for index, ann in enumerate(anns):
            img_id = img_ids.setdefault(ann.get('image'), len(img_ids))
            info = self._parse_person(index, ann, img_id, head_sizes)
            if info is not None:
                data_list.append(info)
        self._finite.report()
        if not data_list:
            raise ValueError(f'MpiiDataset: {self.ann_file} lists no persons')
        return data_list

    def _parse_person(self, index: int, ann: dict, img_id: int,
                      head_sizes: Optional[np.ndarray]) -> Optional[dict]:
        """One entry -> sample dict; None when ``non_finite='drop'``
        leaves it out."""
        missing = [k for k in _ANN_KEYS if k not in ann]
        if missing:
            raise ValueError(f'MPII annotation file {self.ann_file}: entry '
                             f'{index} lacks {missing}')
        if not self._finite.keep(
                f'entry {index}', joints=ann['joints'],
                joints_vis=ann['joints_vis'], center=ann['center'],
                scale=[ann['scale']]):
            return None
        num_kpts = self._metainfo['num_keypoints']
        joints = np.asarray(ann['joints'], dtype=np.float32)
        visible = np.asarray(ann['joints_vis'], dtype=np.float32)
        if joints.shape != (num_kpts, 2) or visible.shape != (num_kpts, ):
            raise ValueError(
                f'MPII annotation file {self.ann_file}: entry {index} has '
                f'joints of shape {joints.shape} and joints_vis of shape '
                f'{visible.shape}, expected ({num_kpts}, 2) and ({num_kpts},)')
        center = np.asarray(ann['center'], dtype=np.float32)
        visible = np.minimum(visible, 1.)
        num_labelled = int(visible.sum())

        # float32 side and a float64 shift stored in float32: the
        # reference's rounding, so that boxes (and crops) match to the bit.
        side = np.float32(ann['scale']) * np.float32(MPII_SCALE_UNIT)
        if center[0] != -1:
            center[1] = center[1] + MPII_CENTER_SHIFT / MPII_SCALE_UNIT * side
        # MATLAB pixel 1 is the image array's pixel 0; the keypoints stay
        # 1-based (the reference's convention, see the class docstring).
        center -= 1
        keypoints = joints
        bbox = bbox_cs2xyxy(center[None], np.array([[side, side]],
                                                   dtype=np.float32))
        raw_ann = dict(
            id=index,
            image_id=img_id,
            category_id=1,
            bbox=[float(bbox[0, 0]), float(bbox[0, 1]),
                  float(side), float(side)],
            area=float(side) * float(side),
            iscrowd=0,
            num_keypoints=num_labelled,
            keypoints=np.concatenate([keypoints, visible[:, None]],
                                     axis=1).reshape(-1).tolist())
        if head_sizes is not None:
            raw_ann['head_size'] = float(head_sizes[index])
        return dict(
            img_id=img_id,
            img_path=osp.join(self.data_prefix['img'], ann['image']),
            id=index,
            category_id=1,
            bbox=bbox,
            bbox_score=np.ones(1, dtype=np.float32),
            keypoints=keypoints[None],
            keypoints_visible=visible[None],
            num_keypoints=num_labelled,
            area=float(side) * float(side),
            iscrowd=0,
            raw_ann_info=raw_ann)
