"""acc_pose equals mmpose 1.3.2's simcc_pck_accuracy / pose_pck_accuracy
(run in the reference venv; skipped without it)."""
import os.path as osp
import subprocess

import numpy as np
import pytest
import torch

from rtmpose.models.utils import heatmap_pck_accuracy, simcc_pck_accuracy

REF_PYTHON = '/tmp/mmpose-ref/bin/python'
REF_SCRIPT = '''
import sys
import numpy as np
from mmpose.evaluation.functional import pose_pck_accuracy, simcc_pck_accuracy
d = dict(np.load(sys.argv[1]))
mask = d['weights'] > 0
_, simcc, _ = simcc_pck_accuracy((d['px'], d['py']), (d['gx'], d['gy']), 2.0,
                                 mask)
_, heat, _ = pose_pck_accuracy(d['pred'], d['target'], mask)
np.save(sys.argv[2], np.array([simcc, heat]))
'''


def _near(rng, target, spread):
    """Targets shifted by up to ``spread`` bins / pixels, some zeroed."""
    out = np.roll(target, rng.integers(-spread, spread + 1), axis=-1)
    return out * (rng.random() > 0.1)


@pytest.mark.skipif(not osp.isfile(REF_PYTHON),
                    reason='reference venv /tmp/mmpose-ref absent')
def test_acc_pose_matches_the_reference(tmp_path):
    rng = np.random.default_rng(0)
    n, k = 6, 17
    # SimCC at 192x256, 2 bins per pixel; heatmaps 48x64
    gx = np.exp(-0.5 * ((np.arange(384) - rng.uniform(0, 384, (n, k, 1)))
                        / 4)**2).astype(np.float32)
    gy = np.exp(-0.5 * ((np.arange(512) - rng.uniform(0, 512, (n, k, 1)))
                        / 4)**2).astype(np.float32)
    px = np.stack([[_near(rng, gx[i, j], 30) for j in range(k)]
                   for i in range(n)]).astype(np.float32)
    py = np.stack([[_near(rng, gy[i, j], 30) for j in range(k)]
                   for i in range(n)]).astype(np.float32)
    target = np.zeros((n, k, 64, 48), np.float32)
    cy, cx = rng.integers(0, 64, (n, k)), rng.integers(0, 48, (n, k))
    for i in range(n):
        for j in range(k):
            target[i, j, cy[i, j], cx[i, j]] = 1
    pred = np.stack([[np.roll(_near(rng, target[i, j], 4),
                              rng.integers(-4, 5), axis=0)
                      for j in range(k)] for i in range(n)]).astype(np.float32)
    weights = (rng.random((n, k)) > 0.3).astype(np.float32)
    weights[:, 3] = 0  # a keypoint labelled nowhere
    data = str(tmp_path / 'in.npz')
    np.savez(data, px=px, py=py, gx=gx, gy=gy, pred=pred, target=target,
             weights=weights)
    out = str(tmp_path / 'out.npy')
    subprocess.run([REF_PYTHON, '-c', REF_SCRIPT, data, out], check=True,
                   timeout=300, capture_output=True)
    ref_simcc, ref_heat = np.load(out)
    t = {k: torch.from_numpy(v) for k, v in np.load(data).items()}
    ours_simcc = simcc_pck_accuracy(t['px'], t['py'], t['gx'], t['gy'],
                                    t['weights'], (192, 256), 2.0)
    ours_heat = heatmap_pck_accuracy(t['pred'], t['target'], t['weights'])
    assert 0.1 < ref_simcc < 0.9 and 0.1 < ref_heat < 0.9  # not trivial
    assert float(ours_simcc) == pytest.approx(ref_simcc, abs=1e-6)
    assert float(ours_heat) == pytest.approx(ref_heat, abs=1e-6)
