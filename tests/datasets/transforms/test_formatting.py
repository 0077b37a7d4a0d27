import numpy as np
import torch
from mmengine.dataset import Compose
from mmengine.registry import init_default_scope

from rtmpose.datasets.transforms import PackPoseInputs
from rtmpose.structures import PoseDataSample

K = 17
FLIP_INDICES = [0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15]


def _data_info():
    rng = np.random.default_rng(0)
    kpts = rng.uniform([100, 80], [300, 400], (1, K, 2)).astype(np.float32)
    return dict(
        img=rng.integers(0, 256, (480, 640, 3), dtype=np.uint8),
        img_path='synthetic.jpg', img_id=7, id=70, category_id=1,
        bbox=np.array([[100, 80, 300, 400]], np.float32),
        bbox_score=np.ones(1, np.float32), keypoints=kpts,
        keypoints_visible=np.ones((1, K), np.float32), num_keypoints=K,
        area=1000.0, iscrowd=0, flip_indices=FLIP_INDICES,
        dataset_name='coco', upper_body_ids=list(range(11)),
        lower_body_ids=list(range(11, 17)),
        dataset_keypoint_weights=np.ones(K, np.float32))


def test_training_pipeline_packs_sample():
    init_default_scope('rtmpose')
    pipeline = Compose([
        dict(type='LoadImage'),
        dict(type='GetBBoxCenterScale'),
        dict(type='RandomFlip', direction='horizontal'),
        dict(type='RandomHalfBody'),
        dict(type='RandomBBoxTransform', scale_factor=[0.6, 1.4],
             rotate_factor=80),
        dict(type='TopdownAffine', input_size=(192, 256)),
        dict(type='YOLOXHSVRandomAug'),
        dict(type='Blur', p=0.1),
        dict(type='MedianBlur', p=0.1),
        dict(type='CoarseDropout', max_holes=1, max_height=0.4,
             max_width=0.4, min_holes=1, min_height=0.2, min_width=0.2,
             p=1.0),
        dict(type='GenerateTarget', encoder=dict(
            type='SimCCLabel', input_size=(192, 256), sigma=(4.9, 5.66),
            simcc_split_ratio=2.0, normalize=False)),
        dict(type='PackPoseInputs'),
    ])
    out = pipeline(_data_info())
    inputs, sample = out['inputs'], out['data_samples']
    assert inputs.shape == (3, 256, 192) and inputs.dtype == torch.uint8
    assert isinstance(sample, PoseDataSample)

    gt = sample.gt_instances
    assert gt.bboxes.shape == (1, 4) and gt.bbox_scores.shape == (1, )
    assert gt.bbox_centers.shape == (1, 2) and gt.bbox_scales.shape == (1, 2)
    assert gt.keypoints.shape == (1, K, 2)
    assert gt.keypoints_visible.shape == (1, K)

    labels = sample.gt_instance_labels
    assert labels.keypoint_x_labels.shape == (1, K, 384)
    assert labels.keypoint_y_labels.shape == (1, K, 512)
    assert labels.keypoint_weights.shape == (1, K)
    for v in labels.values():
        assert isinstance(v, torch.Tensor) and v.dtype == torch.float32
    assert 'gt_fields' not in sample

    meta = sample.metainfo
    assert meta['id'] == 70 and meta['img_id'] == 7
    assert meta['img_path'] == 'synthetic.jpg'
    assert meta['input_size'] == (192, 256)
    assert meta['ori_shape'] == (480, 640)
    assert meta['input_center'].shape == (2, )
    assert meta['input_scale'].shape == (2, )
    assert meta['flip_indices'] == FLIP_INDICES
    assert meta['flip'] in (True, False) and meta['input_udp'] is False


def test_pack_channels_and_dense_fields():
    img = np.random.default_rng(1).integers(0, 256, (4, 5, 3), np.uint8)
    heatmaps = np.random.default_rng(2).random((K, 4, 5)).astype(np.float32)
    out = PackPoseInputs(meta_keys=('img_id', ))(dict(
        img=img, img_id=3, heatmaps=heatmaps,
        keypoints=np.zeros((1, K, 2), np.float32),
        keypoints_visible=np.ones((1, K), np.float32),
        keypoint_weights=np.ones((1, K), np.float32)))
    np.testing.assert_array_equal(out['inputs'].numpy(),
                                  img.transpose(2, 0, 1))
    sample = out['data_samples']
    assert torch.equal(sample.gt_fields.heatmaps, torch.from_numpy(heatmaps))
    assert sample.gt_instance_labels.keypoint_weights.shape == (1, K)
    assert sample.metainfo == dict(img_id=3)
    assert 'img_id' in repr(PackPoseInputs(meta_keys=('img_id', )))
