"""MultiLayoutDataset: COCO and AIC samples in their own layouts, with the
multi-head config's pipeline and model."""
import json

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from torch.utils.data import Dataset

import rtmpose.models  # noqa: F401
from rtmpose.datasets import MultiLayoutDataset, parse_pose_metainfo
from rtmpose.registry import DATA_SAMPLERS, DATASETS, MODELS

COCO_META = dict(from_file='configs/_base_/datasets/coco.py')
AIC_META = dict(from_file='configs/_base_/datasets/aic.py')
CONFIG = ('configs/vitpose/coco/'
          'vitpose-base-multihead_8xb64-210e_aic-coco-256x192.py')
AIC_IMG = ('ai_challenger_keypoint_train_20170902/'
           'keypoint_train_images_20170902')


def write_set(root, ann_file, img_dir, num_keypoints, ids):
    """One 320x240 image with a person per id; keypoint k of person i at
    (30 + 120 i + 3 k, 40 + 9 k), all labelled."""
    (root / img_dir).mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(root / img_dir / 'img.jpg'),
                np.random.default_rng(0).integers(0, 255, (240, 320, 3),
                                                  np.uint8))
    anns = []
    for i, ann_id in enumerate(ids):
        kpts = []
        for k in range(num_keypoints):
            kpts += [30 + 120 * i + 3 * k, 40 + 9 * k, 2]
        anns.append(dict(id=ann_id, image_id=1, category_id=1,
                         bbox=[20 + 120 * i, 30, 90, 170], area=90. * 170,
                         iscrowd=0, num_keypoints=num_keypoints,
                         keypoints=kpts))
    (root / ann_file).parent.mkdir(parents=True, exist_ok=True)
    (root / ann_file).write_text(json.dumps(dict(
        images=[dict(id=1, file_name='img.jpg', width=320, height=240)],
        annotations=anns, categories=[dict(id=1, name='person')])))


@pytest.fixture(scope='module')
def roots(tmp_path_factory):
    coco = tmp_path_factory.mktemp('coco')
    write_set(coco, 'annotations/person_keypoints_train2017.json',
              'train2017', 17, [1, 2])
    aic = tmp_path_factory.mktemp('aic')
    write_set(aic, 'annotations/aic_train.json', AIC_IMG, 14, [7, 8])
    return dict(coco=coco, aic=aic)


def config_dataset(roots):
    cfg = Config.fromfile(CONFIG)
    ds_cfg = cfg.train_dataloader.dataset
    for member, name in zip(ds_cfg.datasets, ('coco', 'aic')):
        member.data_root = str(roots[name])
    return cfg, ds_cfg


def test_members_keep_their_layouts(roots):
    init_default_scope('rtmpose')
    _, ds_cfg = config_dataset(roots)
    dataset = DATASETS.build(dict(ds_cfg, pipeline=[]))
    assert isinstance(dataset, MultiLayoutDataset)
    assert dataset.member_sizes == [2, 2]
    aic_meta = parse_pose_metainfo(AIC_META)
    coco_meta = parse_pose_metainfo(COCO_META)
    for idx, meta in ((1, coco_meta), (2, aic_meta)):
        info = dataset.get_data_info(idx)
        k = meta['num_keypoints']
        assert info['dataset_name'] == meta['dataset_name']
        assert info['keypoints'].shape == (1, k, 2)
        assert info['flip_indices'] == meta['flip_indices']
        assert info['upper_body_ids'] == meta['upper_body_ids']
    info = dataset.get_data_info(2)
    np.testing.assert_array_equal(info['keypoints'][0, 13], [30 + 39, 157])


def test_config_batch_trains_both_heads(roots):
    """The config's sampler, pipeline and model (tiny backbone): a mixed
    batch gives 17- and 14-keypoint targets and a loss per head."""
    init_default_scope('rtmpose')
    cfg, ds_cfg = config_dataset(roots)
    dataset = DATASETS.build(ds_cfg)
    sampler = DATA_SAMPLERS.build(
        dict(cfg.train_dataloader.sampler, dataset=dataset, seed=0))
    assert sorted(sampler) == [0, 1, 2, 3]
    np.random.seed(0)
    samples = [dataset[i] for i in range(4)]
    for sample in samples:
        ds = sample['data_samples']
        k = 17 if ds.dataset_name == 'coco' else 14
        assert ds.gt_fields.heatmaps.shape == (k, 64, 48)
        assert ds.gt_instance_labels.keypoint_weights.shape == (1, k)
    cfg.model.backbone.update(
        arch=dict(embed_dims=32, num_layers=1, num_heads=2,
                  feedforward_channels=64),
        init_cfg=None)
    for head in cfg.model.heads.values():
        head.update(in_channels=32, deconv_out_channels=(8, 8))
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    batch = model.data_preprocessor(pseudo_collate(samples), True)
    losses = model(**batch, mode='loss')
    assert {k for k in losses if k.startswith('loss')} == {
        'loss_kpt_coco', 'loss_kpt_aic'}
    assert all(torch.isfinite(v) and v > 0 for k, v in losses.items()
               if k.startswith('loss'))


def test_per_dataset_pipelines(roots):
    init_default_scope('rtmpose')
    _, ds_cfg = config_dataset(roots)

    def pipeline(heatmap_size):
        codec = dict(type='UDPHeatmap', input_size=(48, 64),
                     heatmap_size=heatmap_size, sigma=2)
        return [dict(type='LoadImage'), dict(type='GetBBoxCenterScale'),
                dict(type='TopdownAffine', input_size=(48, 64),
                     use_udp=True),
                dict(type='GenerateTarget', encoder=codec),
                dict(type='PackPoseInputs')]

    dataset = DATASETS.build(dict(
        ds_cfg, pipeline=dict(coco=pipeline((12, 16)),
                              aic=pipeline((24, 32)))))
    heatmaps = [dataset[i]['data_samples'].gt_fields.heatmaps.shape
                for i in (0, 3)]
    assert heatmaps == [(17, 16, 12), (14, 32, 24)]
    with pytest.raises(KeyError,
                       match=r"no pipeline for dataset_name \['aic'"):
        DATASETS.build(dict(ds_cfg, pipeline=dict(coco=[])))


class FakeMember(Dataset):
    """Two samples of a named layout."""

    def __init__(self, name, num_keypoints):
        self.metainfo = dict(dataset_name=name, num_keypoints=num_keypoints)

    def __len__(self):
        return 2

    def __getitem__(self, idx):
        return dict(dataset_name=self.metainfo['dataset_name'])


def test_same_name_different_layouts_rejected():
    with pytest.raises(ValueError, match="named 'coco' have 17 and 14"):
        MultiLayoutDataset(metainfo=COCO_META,
                           datasets=[FakeMember('coco', 17),
                                     FakeMember('coco', 14)])
