"""Non-finite keypoints / boxes / scores are refused at load time naming
file, annotation id and field (or dropped and counted); annotations of an
absent image are reported."""
import json
import logging

import numpy as np
import pytest
from mmengine.logging import MMLogger

from rtmpose.datasets import CocoDataset, MpiiDataset
from rtmpose.datasets.annotation_checks import NonFiniteFilter

K = 17
META = dict(from_file='configs/_base_/datasets/coco.py')


def _kpts(x0, y0):
    return [v for k in range(K) for v in (x0 + k, y0 + 2 * k, 2)]


def _ann(ann_id, img_id=1, bbox=(10, 20, 100, 200), keypoints=None):
    return dict(id=ann_id, image_id=img_id, category_id=1, bbox=list(bbox),
                area=1000., iscrowd=0, num_keypoints=K,
                keypoints=keypoints or _kpts(15, 25))


def _write(tmp_path, anns):
    path = tmp_path / 'kpts.json'
    path.write_text(json.dumps(dict(
        images=[dict(id=1, file_name='a.jpg', width=640, height=480)],
        annotations=anns, categories=[dict(id=1, name='person')])))
    return str(path)


def _nan_keypoint():
    kpts = _kpts(15, 25)
    kpts[3 * 4 + 1] = float('nan')  # keypoint 4, y
    return kpts


@pytest.mark.parametrize('ann, match', [
    (_ann(7, keypoints=_nan_keypoint()),
     r'kpts.json: annotation id 7: non-finite keypoints keypoint 4 y=nan'),
    (_ann(8, bbox=(10, float('inf'), 100, 200)),
     r'kpts.json: annotation id 8: non-finite bbox \[1\]=inf'),
    (_ann(9, bbox=(10, 20, float('nan'), 200)),
     r'annotation id 9: non-finite bbox \[2\]=nan'),
])
def test_non_finite_annotation_is_refused(tmp_path, ann, match):
    ann_file = _write(tmp_path, [_ann(1), ann])
    with pytest.raises(ValueError, match=match) as err:
        CocoDataset(ann_file=ann_file, metainfo=META)
    assert "non_finite='drop'" in str(err.value)
    # also in test mode, which keeps instances training would skip
    with pytest.raises(ValueError, match=match):
        CocoDataset(ann_file=ann_file, metainfo=META, test_mode=True)


@pytest.fixture
def warnings_seen():
    logger = MMLogger.get_current_instance()
    seen = []

    class Collect(logging.Handler):

        def emit(self, record):
            seen.append(record.getMessage())

    handler = Collect(level=logging.WARNING)
    logger.addHandler(handler)
    yield seen
    logger.removeHandler(handler)


def test_drop_leaves_them_out_with_a_counted_warning(tmp_path, warnings_seen):
    ann_file = _write(tmp_path, [
        _ann(1), _ann(7, keypoints=_nan_keypoint()),
        _ann(8, bbox=(10, float('inf'), 100, 200)), _ann(2)])
    dataset = CocoDataset(ann_file=ann_file, metainfo=META,
                          non_finite='drop')
    assert [dataset[i]['id'] for i in range(len(dataset))] == [1, 2]
    assert any('dropped 2 instance(s) with non-finite' in w and
               'annotation id 7, annotation id 8' in w
               for w in warnings_seen), warnings_seen
    for i in range(len(dataset)):
        assert np.isfinite(dataset[i]['keypoints']).all()
    with pytest.raises(ValueError, match='non_finite must be one of'):
        CocoDataset(ann_file=ann_file, metainfo=META, non_finite='keep')


def test_non_finite_detection_is_refused(tmp_path):
    ann_file = _write(tmp_path, [_ann(1)])
    bbox_file = tmp_path / 'dets.json'
    bbox_file.write_text(json.dumps([
        dict(image_id=1, bbox=[1, 2, 30, 40], score=0.9, category_id=1),
        dict(image_id=1, bbox=[1, 2, 30, 40], score=float('nan'),
             category_id=1)]))
    with pytest.raises(ValueError,
                       match=r'dets.json: detection 1: non-finite score'):
        CocoDataset(ann_file=ann_file, metainfo=META, test_mode=True,
                    bbox_file=str(bbox_file))


def test_annotations_of_absent_images_are_reported(tmp_path, warnings_seen):
    ann_file = _write(tmp_path, [_ann(1), _ann(5, img_id=99),
                                 _ann(6, img_id=98)])
    dataset = CocoDataset(ann_file=ann_file, metainfo=META)
    assert len(dataset) == 1
    assert any('2 annotation(s) refer to an image_id that is not in '
               '"images"' in w and 'annotation id(s) 5 (image_id 99), '
               '6 (image_id 98)' in w and 'kpts.json' in w
               for w in warnings_seen), warnings_seen


def test_mpii_entries_are_checked(tmp_path):
    entry = dict(image='a.jpg', center=[100., 120.], scale=1.2,
                 joints=[[50. + k, 60. + k] for k in range(16)],
                 joints_vis=[1] * 16)
    bad = dict(entry, joints=[[50., float('nan')]] + entry['joints'][1:])
    path = tmp_path / 'mpii.json'
    path.write_text(json.dumps([entry, bad]))
    with pytest.raises(ValueError, match=r'entry 1: non-finite joints '
                       r'\[1\]=nan'):
        MpiiDataset(ann_file=str(path))
    assert len(MpiiDataset(ann_file=str(path), non_finite='drop')) == 1


def test_filter_reports_non_numbers():
    check = NonFiniteFilter('error', 'f.json')
    assert check.keep('annotation id 1', bbox=[1, 2, 3, 4])
    with pytest.raises(ValueError, match="bbox is not a list of numbers"):
        check.keep('annotation id 2', bbox=[1, 'a', 3, 4])


def test_samples_carry_the_annotated_image_size(tmp_path):
    dataset = CocoDataset(ann_file=_write(tmp_path, [_ann(1)]),
                          metainfo=META)
    assert dataset[0]['ann_img_shape'] == (480, 640)
