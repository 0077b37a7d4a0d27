import json
import os.path as osp

import numpy as np
import pytest

from rtmpose.datasets import CocoDataset
from rtmpose.registry import DATASETS

K = 17


def _kpts(x0, y0, visible=(2, ) * K):
    """Flat COCO keypoints: keypoint k at (x0 + k, y0 + 2k) with flag v."""
    out = []
    for k, v in enumerate(visible):
        out += [x0 + k, y0 + 2 * k, v] if v else [0, 0, 0]
    return out


def _ann(ann_id, img_id, bbox, keypoints, iscrowd=0):
    return dict(
        id=ann_id,
        image_id=img_id,
        category_id=1,
        bbox=bbox,
        area=bbox[2] * bbox[3] * 0.5,
        iscrowd=iscrowd,
        num_keypoints=sum(v > 0 for v in keypoints[2::3]),
        keypoints=keypoints,
        segmentation=[[0, 0, 1, 0, 1, 1]])


def _write_coco(path, annotations):
    data = dict(
        images=[
            dict(id=1, file_name='a.jpg', width=640, height=480),
            dict(id=2, file_name='b.jpg', width=320, height=240),
        ],
        annotations=annotations,
        categories=[dict(id=1, name='person')])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))
    return path


def _default_anns():
    vis = (2, 1, 0) + (2, ) * (K - 3)
    return [
        _ann(1, 1, [10, 20, 100, 200], _kpts(15, 25, vis)),
        _ann(2, 1, [300, 100, 50, 80], [0] * 3 * K, iscrowd=1),
        _ann(3, 1, [400, 100, 50, 80], [0] * 3 * K),  # no labelled keypoint
        _ann(4, 2, [300, 200, 50, 100], _kpts(301, 201)),  # crosses border
        _ann(5, 2, [10, 10, 0, 30], _kpts(10, 10)),  # zero-width box
    ]


@pytest.fixture
def coco_root(tmp_path):
    _write_coco(tmp_path / 'annotations' / 'kpts.json', _default_anns())
    return tmp_path


def _dataset(root, **kwargs):
    cfg = dict(
        type='CocoDataset',
        ann_file='annotations/kpts.json',
        data_root=str(root),
        data_prefix=dict(img='images/'))
    cfg.update(kwargs)
    return DATASETS.build(cfg)


def test_train_skips_crowd_unlabelled_and_degenerate(coco_root):
    dataset = _dataset(coco_root)
    assert isinstance(dataset, CocoDataset)
    assert [dataset.get_data_info(i)['id']
            for i in range(len(dataset))] == [1, 4]


def test_test_mode_skips_like_the_reference(coco_root):
    """The reference drops crowd and keypoint-less instances in test mode
    too, so both evaluate the same instances."""
    dataset = _dataset(coco_root, test_mode=True)
    assert [dataset.get_data_info(i)['id']
            for i in range(len(dataset))] == [1, 4]


def test_thin_box_and_coordinate_count(tmp_path):
    """A box thinner than a pixel is kept (only zero width or height is
    dropped); without num_keypoints, keypoints with a nonzero coordinate
    count, and all coordinates <= 0 drop the instance."""
    anns = [_ann(1, 1, [10, 20, 0.5, 30], _kpts(15, 25)),
            _ann(2, 1, [10, 20, 50, 30], [0, 0, 2] * K),
            _ann(3, 1, [10, 20, 50, 30], [0, 4, 0] + [0] * 3 * (K - 1))]
    for ann in anns[1:]:
        del ann['num_keypoints']
    ann_file = _write_coco(tmp_path / 'thin.json', anns)
    dataset = CocoDataset(ann_file=str(ann_file), test_mode=True)
    assert [dataset.get_data_info(i)['id'] for i in range(len(dataset))] \
        == [1, 3]
    assert dataset.get_data_info(1)['num_keypoints'] == 1


def test_sample_content(coco_root):
    dataset = _dataset(coco_root)
    info = dataset.get_data_info(0)
    assert info['img_path'] == osp.join(str(coco_root), 'images', 'a.jpg')
    assert info['img_id'] == 1 and info['category_id'] == 1
    np.testing.assert_allclose(info['bbox'], [[10, 20, 110, 220]])
    assert info['bbox'].dtype == np.float32
    np.testing.assert_allclose(info['bbox_score'], [1.])
    assert info['keypoints'].shape == (1, K, 2)
    assert info['keypoints'].dtype == np.float32
    np.testing.assert_allclose(info['keypoints'][0, 4], [19, 33])
    assert info['keypoints_visible'].shape == (1, K)
    assert info['keypoints_visible'].dtype == np.float32
    # COCO flags 2 (visible) and 1 (occluded) both mean "labelled".
    np.testing.assert_allclose(info['keypoints_visible'][0, :4], [1, 1, 0, 1])
    assert info['num_keypoints'] == K - 1
    assert info['area'] == pytest.approx(100 * 200 * 0.5)
    assert info['iscrowd'] == 0
    assert info['raw_ann_info']['id'] == 1
    assert 'segmentation' not in info['raw_ann_info']
    # Metainfo entries for the transforms.
    assert info['dataset_name'] == 'coco'
    assert info['flip_indices'][:3] == [0, 2, 1]
    assert info['upper_body_ids'] == list(range(11))
    assert info['lower_body_ids'] == list(range(11, 17))
    assert info['dataset_keypoint_weights'][9] == pytest.approx(1.5)


def test_bbox_clipped_to_image(coco_root):
    info = _dataset(coco_root).get_data_info(1)
    # xywh (300, 200, 50, 100) in a 320x240 image: clipped to the last
    # pixel centres (319, 239), as the reference
    np.testing.assert_allclose(info['bbox'], [[300, 200, 319, 239]])
    assert info['img_path'].endswith(osp.join('images', 'b.jpg'))


def test_unserialized_matches(coco_root):
    a = _dataset(coco_root).get_data_info(1)
    b = _dataset(coco_root, serialize_data=False).get_data_info(1)
    np.testing.assert_array_equal(a['keypoints'], b['keypoints'])
    np.testing.assert_array_equal(a['bbox'], b['bbox'])


def test_bbox_file(coco_root):
    dets = [
        dict(image_id=2, bbox=[0, 0, 30, 30], score=0.99, category_id=2),
        dict(image_id=1, bbox=[5, 6, 50, 60], score=0.9, category_id=1),
        dict(image_id=1, bbox=[100, 100, 40, 40], score=0.3, category_id=1),
        dict(image_id=2, bbox=[0, 0, 400, 30], score=0.6, category_id=1),
        dict(image_id=2, bbox=[0, 0, 30, 30], score=0.99, category_id=3),
    ]
    det_file = coco_root / 'dets.json'
    det_file.write_text(json.dumps(dets))
    dataset = _dataset(
        coco_root,
        test_mode=True,
        bbox_file=str(det_file),
        filter_cfg=dict(bbox_score_thr=0.5))
    assert len(dataset) == 2
    first, second = dataset.get_data_info(0), dataset.get_data_info(1)
    # numbered over the person detections before the score filter, as the
    # reference (not the file index: that would give 1, 3)
    assert (first['id'], second['id']) == (0, 2)
    assert (first['img_id'], second['img_id']) == (1, 2)
    np.testing.assert_allclose(first['bbox'], [[5, 6, 55, 66]])
    # detector boxes are not clipped to the 320 x 240 image
    np.testing.assert_allclose(second['bbox'], [[0, 0, 400, 30]])
    np.testing.assert_allclose(second['bbox_score'], [0.6])
    assert first['keypoints'].shape == (1, K, 2)
    assert not first['keypoints'].any()
    np.testing.assert_array_equal(first['keypoints_visible'], 1)
    assert first['img_path'].endswith('a.jpg')
    # Without a threshold every person box is kept.
    assert len(_dataset(coco_root, test_mode=True,
                        bbox_file=str(det_file))) == 3


def test_bbox_file_needs_test_mode(coco_root):
    with pytest.raises(ValueError, match='test_mode'):
        _dataset(coco_root, bbox_file='dets.json')


def test_wrong_keypoint_count_names_ann_and_file(tmp_path):
    anns = _default_anns()
    anns.append(_ann(77, 2, [20, 20, 50, 50], _kpts(20, 20)[:-3]))
    ann_file = _write_coco(tmp_path / 'bad.json', anns)
    with pytest.raises(ValueError) as err:
        CocoDataset(ann_file=str(ann_file))
    message = str(err.value)
    assert 'annotation id 77' in message
    assert str(ann_file) in message
    assert '48' in message and '51' in message


def test_missing_ann_file_names_path(tmp_path):
    missing = tmp_path / 'nowhere' / 'kpts.json'
    with pytest.raises(FileNotFoundError, match=str(missing)):
        CocoDataset(ann_file=str(missing))


def test_not_json_names_path(tmp_path):
    bad = tmp_path / 'broken.json'
    bad.write_text('{"images": [')
    with pytest.raises(ValueError, match='broken.json'):
        CocoDataset(ann_file=str(bad))


def test_wrong_layout_names_path(tmp_path):
    bad = tmp_path / 'layout.json'
    bad.write_text(json.dumps(dict(images=[], categories=[])))
    with pytest.raises(ValueError, match=r"layout.json.*'annotations'"):
        CocoDataset(ann_file=str(bad))


def test_lazy_init_and_bottomup(coco_root):
    dataset = _dataset(coco_root, lazy_init=True)
    assert not dataset._fully_initialized
    assert len(dataset) == 2
    with pytest.raises(NotImplementedError, match='bottomup'):
        _dataset(coco_root, data_mode='bottomup')
