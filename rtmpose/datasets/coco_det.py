"""Detection dataset over COCO-format instance annotations (e.g. person
boxes for RTMDet)."""
import os.path as osp
from typing import List, Optional

from mmengine.dataset import BaseDataset

from rtmpose.registry import DATASETS
from .coco_api import coco_from_dict, load_json

_FILTER_KEYS = ('filter_empty_gt', 'min_size')


@DATASETS.register_module()
class CocoDetDataset(BaseDataset):
    """One sample per image of a COCO-format file, with its boxes of the
    ``metainfo['classes']`` categories (default: person).

    Each sample holds ``img_id``, ``img_path``, ``height``, ``width`` and
    ``instances``: dicts of ``bbox`` [x1, y1, x2, y2] pixels, ``bbox_label``
    (index into ``classes``) and ``ignore_flag`` (1 for ``iscrowd`` boxes:
    ``LoadAnnotations`` / ``PackDetInputs`` keep them out of the targets).
    As mmdet's ``CocoDataset``, annotations marked ``ignore``, boxes without
    overlap with the image, with ``area <= 0`` or a side below 1 pixel, and
    boxes of other categories are left out.

    Args:
        ann_file: COCO-format annotations (joined with data_root when
            relative), e.g. ``instances_train2017.json`` or the synthetic
            ``person_keypoints_train.json``.
        metainfo: ``dict(classes=(...))``: category names, in label order.
        data_prefix: ``dict(img=...)``, the image folder.
        filter_cfg: training only (ignored in ``test_mode``):
            ``filter_empty_gt`` drops images without any annotation of the
            classes (crowd ones count), ``min_size`` drops images whose
            shorter side is below it (mmdet's RTMDet configs:
            ``dict(filter_empty_gt=True, min_size=32)``).
        Other args: as mmengine's ``BaseDataset``.
    """

    METAINFO: dict = dict(classes=('person', ))

    def __init__(self, *args, filter_cfg: Optional[dict] = None, **kwargs):
        unknown = set(filter_cfg or {}) - set(_FILTER_KEYS)
        if unknown:
            raise ValueError(f'{type(self).__name__}: unknown filter_cfg keys '
                             f'{sorted(unknown)}; known: {_FILTER_KEYS}')
        data_prefix = kwargs.get('data_prefix', dict(img=''))
        if 'img' not in data_prefix:
            raise KeyError(f"{type(self).__name__}: data_prefix needs an 'img'"
                           f' entry, got {data_prefix}')
        super().__init__(*args, filter_cfg=filter_cfg, **kwargs)

    def load_data_list(self) -> List[dict]:
        coco = coco_from_dict(load_json(self.ann_file), self.ann_file)
        classes = tuple(self.metainfo['classes'])
        name_to_id = {c['name']: c['id']
                      for c in coco.loadCats(coco.getCatIds())}
        missing = [c for c in classes if c not in name_to_id]
        if missing:
            raise ValueError(f'{self.ann_file}: no categories named {missing}'
                             f' (categories there: {sorted(name_to_id)})')
        self.cat_ids = [name_to_id[c] for c in classes]
        self.cat2label = {cat: i for i, cat in enumerate(self.cat_ids)}
        self._img_ids_with_classes = set().union(
            *(coco.catToImgs.get(cat, []) for cat in self.cat_ids))
        data_list = []
        for img_id in coco.getImgIds():
            img = coco.loadImgs([img_id])[0]
            anns = coco.loadAnns(coco.getAnnIds(imgIds=[img_id]))
            instances = [inst for ann in anns
                         if (inst := self._parse_instance(ann, img))]
            data_list.append(dict(
                img_id=img_id,
                img_path=osp.join(self.data_prefix['img'], img['file_name']),
                height=img['height'],
                width=img['width'],
                instances=instances))
        return data_list

    def _parse_instance(self, ann: dict, img: dict) -> Optional[dict]:
        if ann.get('ignore', False):
            return None
        x1, y1, w, h = ann['bbox']
        inter_w = max(0, min(x1 + w, img['width']) - max(x1, 0))
        inter_h = max(0, min(y1 + h, img['height']) - max(y1, 0))
        if inter_w * inter_h == 0 or ann['area'] <= 0 or w < 1 or h < 1:
            return None
        if ann['category_id'] not in self.cat2label:
            return None
        return dict(bbox=[x1, y1, x1 + w, y1 + h],
                    bbox_label=self.cat2label[ann['category_id']],
                    ignore_flag=int(bool(ann.get('iscrowd', False))))

    def filter_data(self) -> List[dict]:
        if self.test_mode or not self.filter_cfg:
            return self.data_list
        filter_empty = self.filter_cfg.get('filter_empty_gt', False)
        min_size = self.filter_cfg.get('min_size', 0)
        return [
            info for info in self.data_list
            if (not filter_empty
                or info['img_id'] in self._img_ids_with_classes)
            and min(info['width'], info['height']) >= min_size
        ]
