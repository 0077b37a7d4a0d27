"""Every metric mode gives the reference toolbox's values (mmpose 1.3.2) on
the same predictions, ties included: tools/analysis/
compare_reference_metrics.py, reduced (--quick). Skipped without the
reference venv (RTMPOSE_REFERENCE_PYTHON, default /tmp/mmpose-ref)."""
import importlib.util
import os
import os.path as osp

import pytest

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
REFERENCE_PYTHON = os.environ.get('RTMPOSE_REFERENCE_PYTHON',
                                  '/tmp/mmpose-ref/bin/python')
TOLERANCE = 1e-4

needs_reference = pytest.mark.skipif(
    not osp.isfile(REFERENCE_PYTHON),
    reason=f'reference python {REFERENCE_PYTHON} absent')


def _tool():
    spec = importlib.util.spec_from_file_location(
        'compare_reference_metrics',
        osp.join(ROOT, 'tools/analysis/compare_reference_metrics.py'))
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


@needs_reference
def test_every_metric_mode_matches_the_reference(tmp_path, monkeypatch):
    tool = _tool()
    monkeypatch.chdir(ROOT)
    rows = tool.compare(REFERENCE_PYTHON, str(tmp_path), quick=True)
    names = [row.name for row in rows]
    for mode in ('coco keypoint oks_nms', 'coco bbox_rle soft_oks_nms',
                 'coco bbox none', 'crowdpose keypoint oks_nms',
                 'ap10k bbox_keypoint oks_nms', 'aic keypoint oks_nms',
                 'coco_wholebody bbox_keypoint oks_nms', 'mpii PCKh',
                 'coco keypoint oks_nms, GT from samples',
                 'metainfo ap10k', 'mpii dataset instances'):
        assert mode in names
    failed = [tool.format_row(row, TOLERANCE) for row in rows
              if not row.ok(TOLERANCE)]
    assert not failed, '\n'.join(failed)
    # The fixture is not degenerate: AP neither 0 nor 1.
    coco = next(row for row in rows if row.name == 'coco keypoint oks_nms')
    assert 0.05 < coco.ours < 0.95


def test_main_reports_a_missing_reference_python(tmp_path, capsys):
    assert _tool().main(['--reference-python',
                         str(tmp_path / 'absent')]) == 2
    assert 'reference python not found' in capsys.readouterr().err
