import json

import numpy as np
import pytest

from rtmpose.datasets import AicDataset
from rtmpose.registry import DATASETS

K = 14
AIC_NAMES = [
    'right_shoulder', 'right_elbow', 'right_wrist', 'left_shoulder',
    'left_elbow', 'left_wrist', 'right_hip', 'right_knee', 'right_ankle',
    'left_hip', 'left_knee', 'left_ankle', 'head_top', 'neck'
]


def _kpts(x0, y0, flags):
    """Flat keypoints: keypoint k at (x0 + 3k, y0 + 5k) with flag v."""
    out = []
    for k, v in enumerate(flags):
        out += [x0 + 3 * k, y0 + 5 * k, v] if v else [0, 0, 0]
    return out


def _ann(ann_id, img_id, bbox, flags, x0, y0):
    kpts = _kpts(x0, y0, flags)
    return dict(id=ann_id, image_id=img_id, category_id=1, bbox=bbox,
                area=bbox[2] * bbox[3], iscrowd=0,
                num_keypoints=sum(v > 0 for v in flags), keypoints=kpts)


def write_aic_json(path):
    """AIC keypoints in the COCO-format layout of the converted files: one
    person category listing the 14 AIC keypoint names, flags 0/1/2."""
    mixed = (2, 1, 0, 2, 2, 2, 1, 2, 0, 2, 2, 2, 2, 2)
    data = dict(
        images=[
            dict(id=10, file_name='0001.jpg', width=320, height=240),
            dict(id=11, file_name='0002.jpg', width=200, height=300),
        ],
        annotations=[
            _ann(100, 10, [20, 30, 80, 150], mixed, 25, 35),
            _ann(101, 10, [200, 30, 50, 100], (0, ) * K, 0, 0),  # unlabelled
            _ann(102, 11, [10, 10, 100, 250], (2, ) * K, 40, 20),
        ],
        categories=[
            dict(supercategory='person', id=1, name='person',
                 keypoints=AIC_NAMES,
                 skeleton=[[3, 2], [2, 1], [1, 14], [14, 4], [4, 5], [5, 6],
                           [9, 8], [8, 7], [7, 10], [10, 11], [11, 12],
                           [13, 14], [1, 7], [4, 10]])
        ])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))
    return data


def test_tiny_aic_file_loads(tmp_path):
    data = write_aic_json(tmp_path / 'annotations' / 'aic_train.json')
    dataset = DATASETS.build(
        dict(type='AicDataset', data_root=str(tmp_path),
             ann_file='annotations/aic_train.json',
             data_prefix=dict(img='images/')))
    assert isinstance(dataset, AicDataset)
    # The unlabelled person is skipped for training.
    assert len(dataset) == 2
    first, second = dataset[0], dataset[1]
    assert first['id'] == 100 and second['id'] == 102
    assert first['img_path'] == str(tmp_path / 'images' / '0001.jpg')

    raw = np.asarray(data['annotations'][0]['keypoints'],
                     np.float32).reshape(K, 3)
    assert first['keypoints'].shape == (1, K, 2)
    np.testing.assert_array_equal(first['keypoints'][0], raw[:, :2])
    np.testing.assert_array_equal(first['keypoints_visible'][0],
                                  np.minimum(raw[:, 2], 1))
    assert first['num_keypoints'] == 12
    np.testing.assert_array_equal(first['bbox'], [[20, 30, 100, 180]])

    assert first['dataset_name'] == 'aic'
    # right <-> left: shoulders/elbows/wrists 0-2 <-> 3-5, legs 6-8 <-> 9-11.
    assert first['flip_indices'] == [3, 4, 5, 0, 1, 2, 9, 10, 11, 6, 7, 8,
                                     12, 13]
    assert first['upper_body_ids'] == [0, 1, 2, 3, 4, 5, 12, 13]
    assert first['lower_body_ids'] == [6, 7, 8, 9, 10, 11]
    np.testing.assert_allclose(
        first['dataset_keypoint_weights'],
        [1., 1.2, 1.5, 1., 1.2, 1.5, 1., 1.2, 1.5, 1., 1.2, 1.5, 1., 1.])


def test_metainfo_matches_the_annotation_file_names():
    meta = AicDataset._load_metainfo()
    assert meta['num_keypoints'] == K
    assert [meta['keypoint_id2name'][i] for i in range(K)] == AIC_NAMES
    assert meta['sigmas'].shape == (K, )
    np.testing.assert_allclose(meta['sigmas'][[0, 6, 13]],
                               [0.01388152, 0.03909642, 0.01236173])
    assert len(meta['skeleton_links']) == 14


def test_coco_keypoints_in_an_aic_file_are_rejected(tmp_path):
    path = tmp_path / 'aic.json'
    data = write_aic_json(path)
    data['annotations'][0]['keypoints'] += [0, 0, 0] * 3  # 17 keypoints
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match=r'expected 42 \(14 keypoints'):
        AicDataset(ann_file=str(path))
