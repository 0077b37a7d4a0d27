"""The RTMDet training augmentation against mmdet 3.3.0's, run in the
reference venv (skipped without it): same inputs, same random draws, same
images and boxes."""
import os
import subprocess

import numpy as np
import pytest
from mmengine.dataset import Compose

from rtmpose.registry import TRANSFORMS
from det_fixtures import painted_sample

REF_PYTHON = '/tmp/mmpose-ref/bin/python'

PIPELINE = [
    dict(type='CachedMosaic', img_scale=(100, 80), pad_val=114.0,
         max_cached_images=6, random_pop=True),
    dict(type='RandomResize', scale=(200, 160), ratio_range=(0.5, 1.5),
         keep_ratio=True),
    dict(type='RandomCrop', crop_size=(100, 80)),
    dict(type='RandomFlip', prob=1.0),
    dict(type='Pad', size=(100, 80), pad_val=dict(img=(114, 114, 114))),
    dict(type='CachedMixUp', img_scale=(100, 80), ratio_range=(0.5, 1.5),
         max_cached_images=4, pad_val=114.0),
]

# both draw from numpy's global generator in the same order
REF_SCRIPT = r'''
import sys
import numpy as np
from mmengine.dataset import Compose
from mmdet.registry import TRANSFORMS
from mmdet.utils import register_all_modules
from mmdet.structures.bbox import HorizontalBoxes
register_all_modules()
import ast
data = np.load(sys.argv[1], allow_pickle=True)
pipeline = Compose(ast.literal_eval(str(data['pipeline'])))
np.random.seed(int(data['seed']))
outs = {}
for i in range(int(data['n'])):
    r = dict(img=data[f'img{i}'], img_shape=data[f'img{i}'].shape[:2],
             gt_bboxes=HorizontalBoxes(data[f'boxes{i}']),
             gt_bboxes_labels=data[f'labels{i}'],
             gt_ignore_flags=data[f'ignore{i}'])
    r = pipeline(r)
    if r is None:
        continue
    outs[f'img{i}'] = r['img']
    outs[f'boxes{i}'] = r['gt_bboxes'].numpy()
    outs[f'labels{i}'] = r['gt_bboxes_labels']
np.savez(sys.argv[2], **outs)
'''

SAMPLES = [
    ([[5, 5, 40, 60], [60, 30, 110, 100]], [0, 1], (120, 160)),
    ([[20, 10, 90, 50]], [2], (100, 100)),
    ([[0, 0, 30, 30], [100, 70, 160, 120]], [3, 4], (130, 170)),
    ([[40, 40, 120, 110]], [5], (120, 160)),
    ([[70, 0, 160, 45]], [6], (90, 200)),
]


@pytest.mark.skipif(not os.path.exists(REF_PYTHON),
                    reason='reference venv /tmp/mmpose-ref absent')
def test_training_augmentation_matches_mmdet(tmp_path):
    n = 16
    samples = [painted_sample(*SAMPLES[i % len(SAMPLES)][:2],
                              hw=SAMPLES[i % len(SAMPLES)][2])
               for i in range(n)]
    arrays = dict(pipeline=repr(PIPELINE), seed=5, n=n)
    for i, s in enumerate(samples):
        arrays.update({f'img{i}': s['img'], f'boxes{i}': s['gt_bboxes'],
                       f'labels{i}': s['gt_bboxes_labels'],
                       f'ignore{i}': s['gt_ignore_flags']})
    np.savez(tmp_path / 'in.npz', **arrays)
    script = tmp_path / 'ref.py'
    script.write_text(REF_SCRIPT)
    subprocess.run([REF_PYTHON, str(script), str(tmp_path / 'in.npz'),
                    str(tmp_path / 'out.npz')], check=True,
                   env=dict(os.environ, PYTHONPATH='', OMP_NUM_THREADS='1'))
    ref = np.load(tmp_path / 'out.npz')

    pipeline = Compose([TRANSFORMS.build(t) for t in PIPELINE])
    np.random.seed(5)
    compared = 0
    for i, s in enumerate(samples):
        out = pipeline(s)
        assert (out is None) == (f'img{i}' not in ref), f'sample {i}'
        if out is None:
            continue
        np.testing.assert_array_equal(out['img'], ref[f'img{i}'],
                                      err_msg=f'sample {i}')
        np.testing.assert_allclose(out['gt_bboxes'], ref[f'boxes{i}'],
                                   atol=1e-4, err_msg=f'sample {i}')
        np.testing.assert_array_equal(out['gt_bboxes_labels'],
                                      ref[f'labels{i}'])
        compared += 1
    assert compared >= 10
