"""The one COCO results writer of CocoMetric and CocoDetMetric."""
import json
import os.path as osp

import pytest

from rtmpose.evaluation.functional.results_file import coco_results_file

RESULTS = [dict(image_id=1, category_id=1, score=0.9, bbox=[0, 0, 2, 3])]


def test_written_at_the_prefix_and_kept(tmp_path):
    prefix = str(tmp_path / 'out' / 'run')
    with coco_results_file(RESULTS, [1, 2], 'bbox', prefix, 'CocoDetMetric',
                           'gt.json') as path:
        assert path == prefix + '.bbox.json'
    with open(path) as f:
        assert json.load(f) == RESULTS


def test_temporary_without_a_prefix():
    with coco_results_file(RESULTS, [1], 'keypoints', None, 'CocoMetric',
                           'samples') as path:
        assert path.endswith('results.keypoints.json') and osp.isfile(path)
    assert not osp.exists(path)


def test_unknown_image_ids_name_the_metric_and_ground_truth():
    with pytest.raises(ValueError, match=r'CocoMetric: results for image ids '
                       r'\[1\] absent from the ground truth \(gt.json\)'):
        with coco_results_file(RESULTS, [2, 3], 'keypoints', None,
                               'CocoMetric', 'gt.json'):
            pass
