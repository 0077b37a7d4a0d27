import json

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope

from rtmpose.datasets import CocoDataset, CombinedDataset, parse_pose_metainfo
from rtmpose.registry import DATA_SAMPLERS, DATASETS, MODELS

COCO_META = dict(from_file='configs/_base_/datasets/coco.py')
AIC_TO_COCO = [(0, 6), (1, 8), (2, 10), (3, 5), (4, 7), (5, 9), (6, 12),
               (7, 14), (8, 16), (9, 11), (10, 13), (11, 15)]
CONFIG = 'configs/rtmpose/coco/rtmpose-t_8xb256-420e_aic-coco-256x192.py'


def _person(ann_id, img_id, x0, y0, num_kpts, invisible=()):
    """A person box at (x0, y0) 80x160 with keypoint k at
    (x0 + 5 + 4k, y0 + 5 + 8k), flag 0 for the ``invisible`` ones."""
    kpts = []
    for k in range(num_kpts):
        kpts += [0, 0, 0] if k in invisible else [
            x0 + 5 + 4 * k, y0 + 5 + 8 * k, 2
        ]
    return dict(id=ann_id, image_id=img_id, category_id=1,
                bbox=[x0, y0, 80, 160], area=80 * 160, iscrowd=0,
                num_keypoints=num_kpts - len(invisible), keypoints=kpts)


def _write_set(root, ann_file, img_dir, file_name, persons):
    img_path = root / img_dir / file_name
    img_path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(len(persons))
    cv2.imwrite(str(img_path), rng.integers(0, 255, (240, 320, 3), np.uint8))
    data = dict(
        images=[dict(id=1, file_name=file_name, width=320, height=240)],
        annotations=persons,
        categories=[dict(id=1, name='person')])
    (root / ann_file).parent.mkdir(parents=True, exist_ok=True)
    (root / ann_file).write_text(json.dumps(data))


@pytest.fixture(scope='module')
def roots(tmp_path_factory):
    """A COCO and an AIC set in the layouts the aic-coco configs expect."""
    coco = tmp_path_factory.mktemp('coco')
    _write_set(coco, 'annotations/person_keypoints_train2017.json',
               'train2017', 'c1.jpg',
               [_person(1, 1, 20, 30, 17), _person(2, 1, 200, 40, 17)])
    aic = tmp_path_factory.mktemp('aic')
    _write_set(aic, 'annotations/aic_train.json',
               'ai_challenger_keypoint_train_20170902/'
               'keypoint_train_images_20170902', 'a1.jpg',
               [_person(7, 1, 40, 50, 14, invisible=(2, 13)),
                _person(8, 1, 180, 20, 14)])
    return dict(coco=coco, aic=aic)


def _members(roots, aic_pipeline):
    return [
        dict(type='CocoDataset', data_root=str(roots['coco']),
             ann_file='annotations/person_keypoints_train2017.json',
             data_prefix=dict(img='train2017/')),
        dict(type='AicDataset', data_root=str(roots['aic']),
             ann_file='annotations/aic_train.json',
             data_prefix=dict(img='ai_challenger_keypoint_train_20170902/'
                              'keypoint_train_images_20170902/'),
             pipeline=aic_pipeline),
    ]


CONVERTER = dict(type='KeypointConverter', num_keypoints=17,
                 mapping=AIC_TO_COCO)


def test_indexing_and_target_metainfo(roots):
    init_default_scope('rtmpose')
    combined = CombinedDataset(
        metainfo=COCO_META, datasets=_members(roots, [CONVERTER]))
    coco_meta = parse_pose_metainfo(COCO_META)
    assert combined.metainfo['dataset_name'] == 'coco'
    assert len(combined) == 4 and combined.member_sizes == [2, 2]
    assert [combined.locate(i) for i in (0, 1, 2, 3, -1)] == [
        (0, 0), (0, 1), (1, 0), (1, 1), (1, 1)
    ]
    with pytest.raises(IndexError, match='index 4 out of range'):
        combined.locate(4)

    coco = CocoDataset(
        ann_file=str(roots['coco'] /
                     'annotations/person_keypoints_train2017.json'))
    for i in range(2):
        info = combined.get_data_info(i)
        assert info['dataset_name'] == 'coco'
        assert info['id'] == coco[i]['id']
        np.testing.assert_array_equal(info['keypoints'], coco[i]['keypoints'])

    aic_ann = _person(7, 1, 40, 50, 14, invisible=(2, 13))
    raw = np.asarray(aic_ann['keypoints'], np.float32).reshape(14, 3)
    info = combined.get_data_info(2)
    assert info['id'] == 7 and info['dataset_name'] == 'aic'
    assert info['keypoints'].shape == (1, 17, 2)
    for src, dst in AIC_TO_COCO:
        np.testing.assert_array_equal(info['keypoints'][0, dst], raw[src, :2])
        assert info['keypoints_visible'][0, dst] == min(raw[src, 2], 1)
    assert info['keypoints_visible'][0, 10] == 0  # AIC right wrist unlabelled
    np.testing.assert_array_equal(info['keypoints_visible'][0, :5], 0)
    # The COCO layout's per-sample metainfo, not AIC's.
    assert info['flip_indices'] == coco_meta['flip_indices']
    assert info['upper_body_ids'] == coco_meta['upper_body_ids']
    assert info['lower_body_ids'] == coco_meta['lower_body_ids']
    np.testing.assert_array_equal(info['dataset_keypoint_weights'],
                                  coco_meta['dataset_keypoint_weights'])


def test_flip_after_conversion_uses_coco_pairs(roots):
    init_default_scope('rtmpose')
    combined = CombinedDataset(
        metainfo=COCO_META, datasets=_members(roots, [CONVERTER]),
        pipeline=[dict(type='LoadImage'),
                  dict(type='RandomFlip', prob=1.0)])
    before = combined.get_data_info(3)['keypoints'][0]
    flipped = combined[3]['keypoints'][0]
    # COCO left shoulder (5) is the mirrored right shoulder (6) = AIC 0.
    np.testing.assert_array_equal(flipped[5],
                                  [319 - before[6, 0], before[6, 1]])
    np.testing.assert_array_equal(flipped[16],
                                  [319 - before[15, 0], before[15, 1]])


def test_member_without_converter_is_named(roots):
    init_default_scope('rtmpose')
    combined = CombinedDataset(metainfo=COCO_META,
                               datasets=_members(roots, []))
    combined.get_data_info(1)  # COCO member: already 17 keypoints
    with pytest.raises(ValueError,
                       match=r"member 1 \(AicDataset, 'aic'\).*"
                       'KeypointConverter'):
        combined.get_data_info(2)


def test_config_training_pipeline_end_to_end(roots):
    """The aic-coco config's train dataloader on the tiny sets: 17-keypoint
    SimCC targets for both sources, and a finite loss of its model."""
    init_default_scope('rtmpose')
    cfg = Config.fromfile(CONFIG)
    ds_cfg = cfg.train_dataloader.dataset
    coco_cfg, aic_cfg = ds_cfg.datasets
    coco_cfg.data_root = str(roots['coco'])
    aic_cfg.data_root = str(roots['aic'])
    dataset = DATASETS.build(ds_cfg)
    sampler = DATA_SAMPLERS.build(
        dict(cfg.train_dataloader.sampler, dataset=dataset, seed=0))
    indices = list(sampler)
    # COCO x 3 + AIC x 1 per epoch.
    assert len(indices) == 2 * 3 + 2
    assert sorted(indices) == [0, 0, 0, 1, 1, 1, 2, 3]

    np.random.seed(0)
    coco_flip = parse_pose_metainfo(COCO_META)['flip_indices']
    samples = [dataset[i] for i in indices]
    for sample in samples:
        assert sample['inputs'].shape == (3, 256, 192)
        assert sample['inputs'].dtype == torch.uint8
        ds = sample['data_samples']
        labels = ds.gt_instance_labels
        assert labels.keypoint_x_labels.shape == (1, 17, 384)
        assert labels.keypoint_y_labels.shape == (1, 17, 512)
        assert labels.keypoint_weights.shape == (1, 17)
        assert ds.gt_instances.keypoints.shape == (1, 17, 2)
        assert ds.flip_indices == coco_flip
        if ds.dataset_name == 'aic':
            # No AIC counterpart for the COCO face: never a target.
            assert torch.all(labels.keypoint_weights[0, :5] == 0)
    assert {s['data_samples'].dataset_name for s in samples} == {'coco', 'aic'}

    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    batch = model.data_preprocessor(pseudo_collate(samples[:4]), True)
    losses = model(**batch, mode='loss')
    assert torch.isfinite(losses['loss_kpt'])
