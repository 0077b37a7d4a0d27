"""The one COCO results writer of CocoMetric and CocoDetMetric."""
import json

import pytest

from rtmpose.evaluation.functional.results_file import write_coco_results

RESULTS = [dict(image_id=1, category_id=1, score=0.9, bbox=[0, 0, 2, 3])]


def test_written_at_the_prefix(tmp_path):
    prefix = str(tmp_path / 'out' / 'run')
    path = write_coco_results(RESULTS, [1, 2], 'bbox', prefix,
                              'CocoDetMetric', 'gt.json')
    assert path == prefix + '.bbox.json'
    with open(path) as f:
        assert json.load(f) == RESULTS


def test_nothing_written_without_a_prefix(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert write_coco_results(RESULTS, [1], 'keypoints', None, 'CocoMetric',
                              'samples') is None
    assert list(tmp_path.iterdir()) == []


def test_unknown_image_ids_name_the_metric_and_ground_truth():
    with pytest.raises(ValueError, match=r'CocoMetric: results for image ids '
                       r'\[1\] absent from the ground truth \(gt.json\)'):
        write_coco_results(RESULTS, [2, 3], 'keypoints', None, 'CocoMetric',
                           'gt.json')
