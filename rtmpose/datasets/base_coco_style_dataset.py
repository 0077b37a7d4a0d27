"""Top-down dataset over COCO-format keypoint annotations."""
import copy
import os.path as osp
from typing import Callable, List, Optional, Sequence, Tuple, Union

import numpy as np
from mmengine.dataset import BaseDataset

from rtmpose.registry import DATASETS
from rtmpose.structures import bbox_xywh2xyxy
from .annotation_checks import (NonFiniteFilter, check_non_finite_mode,
                                report_annotations_without_image)
from .coco_api import load_coco, load_json
from .metainfo import parse_pose_metainfo

# Metainfo entries the transforms read from every sample (flip, half-body,
# keypoint weights); added in ``get_data_info`` rather than stored per sample.
_PER_SAMPLE_META = ('dataset_name', 'flip_indices', 'upper_body_ids',
                    'lower_body_ids', 'dataset_keypoint_weights')
_FILTER_KEYS = ('bbox_score_thr', )


@DATASETS.register_module()
class BaseCocoStyleDataset(BaseDataset):
    """One sample per person instance (top-down) of a COCO-format file.

    Each sample holds ``img_id``, ``img_path``, ``id`` (annotation id, or
    for ``bbox_file`` the running number of the person detection),
    ``category_id``, ``bbox`` (1, 4) xyxy image pixels (annotated boxes
    clipped to the pixel centres [0, W - 1] x [0, H - 1], detector boxes as
    given), ``bbox_score`` (1,), ``keypoints`` (1, K, 2) pixels,
    ``keypoints_visible`` (1, K) in {0, 1} (all 1 for detector boxes),
    ``num_keypoints``, ``area``, ``iscrowd`` and ``raw_ann_info`` (the COCO
    annotation without its segmentation; absent for detector boxes),
    ``ann_img_shape`` (h, w) of the image as the annotation file gives it
    (``LoadImage`` checks the decoded size against it), plus the
    metainfo entries ``dataset_name``, ``flip_indices``, ``upper_body_ids``,
    ``lower_body_ids`` and ``dataset_keypoint_weights``.

    Annotated instances follow the reference (mmpose 1.3.2) in training and
    in test mode alike, so both evaluate the same instance set: crowd
    instances, instances without labelled keypoints (``num_keypoints`` 0, or
    all keypoint coordinates <= 0) and boxes of zero width or height after
    clipping are skipped.

    Args:
        ann_file: COCO-format keypoint annotations (joined with data_root
            when relative).
        bbox_file: test mode only: COCO detection results (JSON list of
            ``{image_id, bbox (x, y, w, h), score, category_id}``); samples
            are then the category-1 (person) detections with ``score >=
            filter_cfg['bbox_score_thr']`` (default 0) instead of the
            annotated ones, numbered 0, 1, ... over the category-1
            detections before the score filter (as the reference). Used as
            given (not joined with data_root).
        data_mode: only ``'topdown'`` is supported.
        metainfo: ``dict(from_file=...)`` or a dataset description; defaults
            to the class's ``METAINFO``.
        data_prefix: ``dict(img=...)``, the image folder (joined with
            data_root when relative).
        filter_cfg: ``dict(bbox_score_thr=...)`` for ``bbox_file``.
        non_finite: an annotation (or detection) with a NaN or infinite
            keypoint, box or score is an error naming the file, the
            annotation id and the field (``'error'``), or is left out and
            counted in a warning (``'drop'``).
        Other args: as mmengine's ``BaseDataset``.
    """

    METAINFO: dict = dict()

    def __init__(self,
                 ann_file: str = '',
                 bbox_file: Optional[str] = None,
                 data_mode: str = 'topdown',
                 metainfo: Optional[dict] = None,
                 data_root: str = '',
                 data_prefix: dict = dict(img=''),
                 filter_cfg: Optional[dict] = None,
                 indices: Optional[Union[int, Sequence[int]]] = None,
                 serialize_data: bool = True,
                 pipeline: List[Union[dict, Callable]] = [],
                 test_mode: bool = False,
                 lazy_init: bool = False,
                 max_refetch: int = 1000,
                 non_finite: str = 'error'):
        check_non_finite_mode(non_finite)
        self.non_finite = non_finite
        if data_mode != 'topdown':
            raise NotImplementedError(
                f"{type(self).__name__}: data_mode {data_mode!r} is not "
                "supported, only 'topdown'")
        if bbox_file is not None and not test_mode:
            raise ValueError(f'{type(self).__name__}: bbox_file={bbox_file!r} '
                             'replaces the annotated boxes and is only '
                             'allowed with test_mode=True')
        unknown = set(filter_cfg or {}) - set(_FILTER_KEYS)
        if unknown:
            raise ValueError(f'{type(self).__name__}: unknown filter_cfg keys '
                             f'{sorted(unknown)}; supported: {_FILTER_KEYS}')
        if 'img' not in data_prefix:
            raise KeyError(f"{type(self).__name__}: data_prefix needs an 'img'"
                           f' entry, got {data_prefix}')
        self.data_mode = data_mode
        self.bbox_file = bbox_file
        super().__init__(
            ann_file=ann_file,
            metainfo=metainfo,
            data_root=data_root,
            data_prefix=data_prefix,
            filter_cfg=filter_cfg,
            indices=indices,
            serialize_data=serialize_data,
            pipeline=pipeline,
            test_mode=test_mode,
            lazy_init=lazy_init,
            max_refetch=max_refetch)

    @classmethod
    def _load_metainfo(cls, metainfo: Optional[dict] = None) -> dict:
        source = cls.METAINFO if metainfo is None else metainfo
        if not source:
            raise ValueError(f'{cls.__name__} needs metainfo, e.g. '
                             "dict(from_file='configs/_base_/datasets/"
                             "coco.py')")
        return parse_pose_metainfo(source)

    def load_data_list(self) -> List[dict]:
        coco = load_coco(self.ann_file)
        self._check_annotations(coco)
        report_annotations_without_image(coco, self.ann_file)
        self._finite = NonFiniteFilter(
            self.non_finite, self.bbox_file or self.ann_file)
        if self.bbox_file is not None:
            data_list = self._load_detections(coco)
        else:
            data_list = []
            for img_id in coco.getImgIds():
                img = coco.imgs[img_id]
                for ann in coco.loadAnns(coco.getAnnIds(imgIds=img_id)):
                    info = self.parse_data_info(
                        dict(raw_ann_info=ann, raw_img_info=img))
                    if info is not None:
                        data_list.append(info)
        self._finite.report()
        for info in data_list:
            img = coco.imgs[info['img_id']]
            info['ann_img_shape'] = (img['height'], img['width'])
        if not data_list:
            source = self.bbox_file or self.ann_file
            raise ValueError(
                f'{type(self).__name__}: no usable person '
                f'instances in {source} (test_mode='
                f'{self.test_mode}, filter_cfg={self.filter_cfg})')
        return data_list

    def _check_annotations(self, coco) -> None:
        """Hook run on the loaded annotations before any sample is made, for
        subclasses that check them against the metainfo; none by default."""

    def _img_path(self, img: dict) -> str:
        return osp.join(self.data_prefix['img'], img['file_name'])

    @staticmethod
    def _clipped_box(xywh: Sequence[float], img: dict) -> np.ndarray:
        """xywh -> (1, 4) xyxy clipped to [0, width - 1] x [0, height - 1]
        (the reference's clip)."""
        # Plain floats: np.clip per instance dominates loading time.
        x, y, w, h = (float(v) for v in xywh)
        right, bottom = img['width'] - 1, img['height'] - 1
        x1, x2 = min(max(x, 0.), right), min(max(x + w, 0.), right)
        y1, y2 = min(max(y, 0.), bottom), min(max(y + h, 0.), bottom)
        return np.array([[x1, y1, x2, y2]], dtype=np.float32)

    def _annotation_keypoints(self, ann: dict) -> Tuple[Sequence, int]:
        """The annotation's keypoints as a flat ``[x, y, v] * K`` sequence
        and its number of labelled keypoints.

        The hook for formats that store keypoints differently (e.g.
        COCO-WholeBody's separate part fields).
        """
        kpts = ann['keypoints']
        num_labelled = ann.get('num_keypoints')
        if num_labelled is None:
            # the reference counts keypoints with a nonzero coordinate
            xy = np.asarray(kpts, np.float32).reshape(-1, 3)[:, :2]
            num_labelled = int(np.count_nonzero(xy.max(1)))
        return kpts, int(num_labelled)

    def parse_data_info(self, raw_data_info: dict) -> Optional[dict]:
        """One annotated instance -> sample dict, or None when skipped."""
        ann, img = raw_data_info['raw_ann_info'], raw_data_info['raw_img_info']
        num_kpts = self._metainfo['num_keypoints']
        for key in ('bbox', 'keypoints'):
            if key not in ann:
                raise ValueError(f'annotation id {ann.get("id")} in '
                                 f'{self.ann_file} has no {key!r}')
        flat_kpts, num_labelled = self._annotation_keypoints(ann)
        if not self._finite.keep(f'annotation id {ann.get("id")}',
                                 bbox=ann['bbox'], keypoints=flat_kpts):
            return None
        kpts = np.asarray(flat_kpts, dtype=np.float32)
        if kpts.size != 3 * num_kpts:
            raise ValueError(
                f'annotation id {ann.get("id")} in {self.ann_file} has '
                f'{kpts.size} keypoint values ({kpts.size / 3:g} keypoints), '
                f'expected {3 * num_kpts} ({num_kpts} keypoints of '
                f'{self._metainfo["dataset_name"]!r})')
        kpts = kpts.reshape(1, num_kpts, 3)
        iscrowd = int(ann.get('iscrowd', 0))
        if iscrowd or num_labelled == 0 or kpts[..., :2].max() <= 0:
            return None
        bbox = self._clipped_box(ann['bbox'], img)
        if bbox[0, 2] <= bbox[0, 0] or bbox[0, 3] <= bbox[0, 1]:
            return None
        # Polygons/RLE are never used downstream and dominate memory.
        raw_ann = {k: v for k, v in ann.items() if k != 'segmentation'}
        return dict(
            img_id=img['id'],
            img_path=self._img_path(img),
            id=ann['id'],
            category_id=ann.get('category_id', 1),
            bbox=bbox,
            bbox_score=np.ones(1, dtype=np.float32),
            keypoints=kpts[..., :2].copy(),
            keypoints_visible=np.minimum(1, kpts[..., 2]),
            num_keypoints=num_labelled,
            area=float(ann['area'] if 'area' in ann else max(
                1., (bbox[0, 2] - bbox[0, 0]) *
                (bbox[0, 3] - bbox[0, 1]) * 0.53)),
            iscrowd=iscrowd,
            raw_ann_info=raw_ann)

    def _load_detections(self, coco) -> List[dict]:
        """Samples from person (category 1) detector boxes, unclipped;
        keypoints are zeros and all visible, as the reference's."""
        dets = load_json(self.bbox_file, 'bbox file')
        if not isinstance(dets, list):
            raise ValueError(f'bbox file {self.bbox_file}: expected a JSON '
                             f'list of detections, got {type(dets).__name__}')
        score_thr = (self.filter_cfg or {}).get('bbox_score_thr', 0.0)
        num_kpts = self._metainfo['num_keypoints']
        data_list = []
        number = -1
        for index, det in enumerate(dets):
            missing = {'image_id', 'bbox', 'score'} - set(det)
            if missing:
                raise ValueError(f'bbox file {self.bbox_file}: detection '
                                 f'{index} lacks {sorted(missing)}')
            if not self._finite.keep(f'detection {index}', bbox=det['bbox'],
                                     score=[det['score']]):
                continue
            category_id = det.get('category_id', 1)
            if category_id != 1:
                continue
            number += 1
            if det['score'] < score_thr:
                continue
            img = coco.imgs.get(det['image_id'])
            if img is None:
                raise ValueError(
                    f'bbox file {self.bbox_file}: detection {index} refers to '
                    f'image_id {det["image_id"]}, absent from {self.ann_file}')
            # float32 arithmetic as the reference's xywh -> xyxy
            bbox = bbox_xywh2xyxy(
                np.array(det['bbox'][:4], dtype=np.float32).reshape(1, 4))
            data_list.append(
                dict(
                    img_id=img['id'],
                    img_path=self._img_path(img),
                    id=number,
                    category_id=category_id,
                    bbox=bbox,
                    bbox_score=np.array([det['score']], dtype=np.float32),
                    keypoints=np.zeros((1, num_kpts, 2), dtype=np.float32),
                    keypoints_visible=np.ones((1, num_kpts),
                                              dtype=np.float32),
                    num_keypoints=0,
                    area=float(det['bbox'][2] * det['bbox'][3]),
                    iscrowd=0))
        return data_list

    def get_data_info(self, idx: int) -> dict:
        info = super().get_data_info(idx)
        for key in _PER_SAMPLE_META:
            info[key] = copy.deepcopy(self._metainfo[key])
        return info
