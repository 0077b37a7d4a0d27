"""docs/add_a_dataset.md, worked example: a 5-keypoint dataset class
defined here (outside the package) from a COCO-format file trains, tests
and exports through the normal tools (config: configs/five_points_dataset.py);
an annotation of an absent image is named, not dropped silently."""
import json
import logging

import numpy as np
from mmengine.logging import MMLogger

from rtmpose.datasets import BaseCocoStyleDataset
from rtmpose.datasets.custom_metainfo import compact_to_dataset_info
from rtmpose.registry import DATASETS

from five_keypoints import KEYPOINTS, train_test_export, write_dataset


@DATASETS.register_module()
class FivePointsDataset(BaseCocoStyleDataset):
    """The five-point figures of a COCO-format file; the keypoint set is
    the class's (no metainfo in the config)."""

    METAINFO = compact_to_dataset_info(
        dict(dataset_name='five_points',
             keypoint_names=KEYPOINTS,
             flip_pairs=[(1, 2), (3, 4)],
             skeleton_links=[(0, 1), (0, 2), (0, 3), (0, 4)],
             upper_body_ids=[0, 1, 2], lower_body_ids=[3, 4],
             sigmas=[0.079, 0.072, 0.072, 0.089, 0.089]),
        'FivePointsDataset.METAINFO')


def test_dataset_trains_tests_and_exports(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = train_test_export('five_points_dataset.py', tmp_path)
    assert 0.0 <= out['metrics']['coco/AP'] <= 1.0
    meta = out['meta']['dataset_meta']
    assert meta['dataset_name'] == 'five_points'
    assert meta['keypoint_names'] == KEYPOINTS
    assert meta['flip_indices'] == [0, 2, 1, 4, 3]
    (onnx_kpts, _), (kpts, _) = out['onnx'], out['torch']
    np.testing.assert_allclose(onnx_kpts, kpts, atol=1e-3)


def test_annotation_of_an_absent_image_is_named(tmp_path):
    root = tmp_path / 'five_points'
    write_dataset(root)
    ann_file = root / 'annotations' / 'train.json'
    data = json.loads(ann_file.read_text())
    data['annotations'].append(dict(data['annotations'][0], id=77,
                                    image_id=999))
    ann_file.write_text(json.dumps(data))
    seen = []

    class Collect(logging.Handler):

        def emit(self, record):
            seen.append(record.getMessage())

    logger = MMLogger.get_current_instance()
    handler = Collect(level=logging.WARNING)
    logger.addHandler(handler)
    try:
        dataset = FivePointsDataset(ann_file=str(ann_file),
                                    data_prefix=dict(img=str(root)))
    finally:
        logger.removeHandler(handler)
    assert len(dataset) == 4
    assert any(str(ann_file) in w and 'annotation id(s) 77 (image_id 999)'
               in w for w in seen), seen
