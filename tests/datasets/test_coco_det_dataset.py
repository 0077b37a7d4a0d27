import json

import cv2
import numpy as np
import pytest
from mmengine.registry import init_default_scope

from rtmpose.datasets import CocoDetDataset
from rtmpose.registry import DATASETS

PIPELINE = [
    dict(type='LoadImage'),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='Resize', scale=(64, 64), keep_ratio=True),
    dict(type='Pad', size=(64, 64), pad_val=dict(img=(114, 114, 114))),
    dict(type='PackDetInputs'),
]


def _ann(ann_id, img_id, bbox, category_id=1, iscrowd=0, **extra):
    return dict(id=ann_id, image_id=img_id, category_id=category_id,
                bbox=bbox, area=bbox[2] * bbox[3], iscrowd=iscrowd, **extra)


def _write(tmp_path):
    images = [dict(id=1, file_name='a.jpg', width=128, height=96),
              dict(id=2, file_name='b.jpg', width=128, height=96),
              dict(id=3, file_name='c.jpg', width=20, height=96),
              dict(id=4, file_name='d.jpg', width=128, height=96)]
    anns = [
        _ann(1, 1, [10, 10, 30, 40]),
        _ann(2, 1, [60, 20, 50, 60], iscrowd=1),
        _ann(3, 1, [0, 0, 20, 20], category_id=2),  # not a person
        _ann(4, 1, [5, 5, 0.5, 30]),  # thinner than a pixel
        _ann(5, 1, [200, 10, 20, 20]),  # outside the image
        _ann(6, 1, [5, 50, 10, 10], ignore=True),
        _ann(7, 3, [2, 2, 10, 10]),  # image shorter than min_size
        _ann(8, 4, [0, 0, 20, 20], category_id=2),  # no person
    ]
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / 'ann.json').write_text(json.dumps(dict(
        images=images, annotations=anns,
        categories=[dict(id=1, name='person'), dict(id=2, name='dog')])))
    (tmp_path / 'img').mkdir(parents=True)
    for img in images:
        cv2.imwrite(str(tmp_path / 'img' / img['file_name']),
                    np.zeros((img['height'], img['width'], 3), np.uint8))
    return dict(data_root=str(tmp_path), ann_file='ann.json',
                data_prefix=dict(img='img/'))


def test_person_boxes_with_crowd_ignored(tmp_path):
    ds = CocoDetDataset(**_write(tmp_path), test_mode=True)
    assert len(ds) == 4  # test mode keeps every image
    info = ds.get_data_info(0)
    assert info['img_id'] == 1 and info['img_path'].endswith('img/a.jpg')
    assert [i['bbox'] for i in info['instances']] == [[10, 10, 40, 50],
                                                      [60, 20, 110, 80]]
    assert [i['ignore_flag'] for i in info['instances']] == [0, 1]
    assert [i['bbox_label'] for i in info['instances']] == [0, 0]


def test_training_filters_images_without_person_and_small(tmp_path):
    ds = CocoDetDataset(**_write(tmp_path),
                        filter_cfg=dict(filter_empty_gt=True, min_size=32))
    assert [ds.get_data_info(i)['img_id'] for i in range(len(ds))] == [1]
    ds = CocoDetDataset(**_write(tmp_path / 'again'),
                        filter_cfg=dict(min_size=32))
    assert len(ds) == 3


def test_packed_sample_puts_crowd_in_ignored_instances(tmp_path):
    init_default_scope('rtmpose')
    ds = DATASETS.build(dict(type='CocoDetDataset', **_write(tmp_path),
                             test_mode=True, pipeline=PIPELINE))
    out = ds[0]
    assert tuple(out['inputs'].shape) == (3, 64, 64)
    sample = out['data_samples']
    # 128 x 96 -> 64 x 48: factor 0.5
    np.testing.assert_allclose(sample.gt_instances.bboxes.numpy(),
                               [[5, 5, 20, 25]])
    np.testing.assert_allclose(sample.ignored_instances.bboxes.numpy(),
                               [[30, 10, 55, 40]])
    assert sample.metainfo['scale_factor'] == (0.5, 0.5)
    assert sample.metainfo['ori_shape'] == (96, 128)
    assert sample.metainfo['pad_shape'] == (64, 64, 3)


def test_other_classes_and_errors(tmp_path):
    cfg = _write(tmp_path)
    ds = CocoDetDataset(**cfg, metainfo=dict(classes=('dog', 'person')),
                        test_mode=True)
    labels = [i['bbox_label'] for i in ds.get_data_info(0)['instances']]
    assert labels == [1, 1, 0]
    with pytest.raises(ValueError, match='cat'):
        CocoDetDataset(**cfg, metainfo=dict(classes=('cat', )))
    with pytest.raises(ValueError, match='filter_cfg'):
        CocoDetDataset(**cfg, filter_cfg=dict(bbox_score_thr=0.3))
