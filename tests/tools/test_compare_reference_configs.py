"""tools/analysis/compare_reference_configs.py: equivalent spellings compare
equal, real differences show, and every published config resolves to its
reference recipe apart from the README's documented deviations.

The comparison against the reference runs when the reference venv exists
(``RTMPOSE_REFERENCE_PYTHON``, default ``/tmp/mmpose-ref/bin/python``; built
by ``../shared/tools/setup_reference.sh``) and skips otherwise; the
``projects/rtmpose`` pairs also need the mmpose repository
(``RTMPOSE_REFERENCE_REPO``).
"""
import importlib.util
import os
import os.path as osp

import pytest

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
REFERENCE_PYTHON = os.environ.get('RTMPOSE_REFERENCE_PYTHON',
                                  '/tmp/mmpose-ref/bin/python')
needs_reference = pytest.mark.skipif(
    not osp.exists(REFERENCE_PYTHON),
    reason=f'no reference venv at {REFERENCE_PYTHON}')


@pytest.fixture(scope='module')
def tool():
    spec = importlib.util.spec_from_file_location(
        'compare_reference_configs',
        osp.join(ROOT, 'tools/analysis/compare_reference_configs.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _loader(dataset, sampler=None):
    return dict(train_dataloader=dict(
        batch_size=2, sampler=sampler or dict(type='DefaultSampler',
                                              shuffle=True),
        dataset=dataset))


def test_equivalent_spellings_compare_equal(tool):
    blur = dict(type='Blur', p=0.1)
    drop = dict(type='CoarseDropout', max_holes=1, p=1.)
    member = dict(type='CocoDataset', data_root='data/',
                  ann_file='coco/a.json',
                  data_prefix=dict(img='coco/train2017/'))
    reference = _loader(dict(
        type='CombinedDataset',
        datasets=[dict(type='RepeatDataset', times=3, dataset=member),
                  dict(type='AicDataset', ann_file='data/aic/b.json')],
        pipeline=[dict(type='LoadImage', backend_args=dict(backend='local')),
                  dict(type='mmdet.YOLOXHSVRandomAug', _scope_='mmdet'),
                  dict(type='Albumentation', transforms=[blur, drop])]))
    ours = _loader(dict(
        type='CombinedDataset',
        datasets=[dict(type='CocoDataset', data_root='data/coco/',
                       ann_file='a.json', data_prefix=dict(img='train2017/')),
                  dict(type='AicDataset', ann_file='data/aic/b.json')],
        sample_ratio_factor=[3, 1],
        pipeline=[dict(type='LoadImage'), dict(type='YOLOXHSVRandomAug'),
                  blur, drop]), dict(type='MultiSourceSampler', shuffle=True))
    assert tool.diff(tool.recipe(ours, 'ours'),
                     tool.recipe(reference, 'reference')) == []


def test_reference_defaults_and_aliases_compare_equal(tool):
    reference = dict(
        default_scope='mmdet',
        train_cfg=dict(by_epoch=True, max_epochs=3),
        val_evaluator=dict(type='CocoMetric', metric='bbox',
                           format_only=False),
        model=dict(type='TopdownPoseEstimator',
                   neck=dict(type='FeatureMapProcessor', scale_factor=4.0,
                             apply_relu=True),
                   head=dict(type='HeatmapHead', deconv_out_channels=[],
                             deconv_kernel_sizes=[],
                             final_layer=dict(kernel_size=3, padding=1))))
    ours = dict(
        default_scope='rtmpose',
        train_cfg=dict(type='ResumableEpochBasedTrainLoop', max_epochs=3),
        val_evaluator=dict(type='CocoDetMetric'),
        model=dict(type='TopdownPoseEstimator',
                   head=dict(type='HeatmapHead', deconv_out_channels=None,
                             deconv_kernel_sizes=None, upsample_factor=4,
                             final_layer=dict(kernel_size=3)),
                   test_cfg=dict(shift_heatmap=False)))
    assert tool.diff(tool.recipe(ours, 'ours'),
                     tool.recipe(reference, 'reference')) == []


def test_real_differences_show_with_their_paths(tool):
    steps = [dict(type='LoadImage'), dict(type='Resize', scale=[640, 640]),
             dict(type='PackDetInputs')]
    reference = dict(
        optim_wrapper=dict(optimizer=dict(type='AdamW', lr=5e-4)),
        val_dataloader=dict(dataset=dict(
            pipeline=steps[:2] + [dict(type='LoadAnnotations')] + steps[2:],
            data_root='data/', data_prefix=dict(img='pose/CrowdPose/'))))
    ours = dict(
        optim_wrapper=dict(optimizer=dict(type='AdamW', lr=4e-3)),
        val_dataloader=dict(dataset=dict(
            pipeline=steps, data_root='data/crowdpose/',
            data_prefix=dict(img=''))))
    assert tool.diff(tool.recipe(ours, 'ours'),
                     tool.recipe(reference, 'reference')) == [
        ('optim_wrapper.optimizer.lr', 4e-3, 5e-4),
        ('val_dataloader.dataset.data_prefix.img', 'data/crowdpose/',
         'data/pose/CrowdPose/'),
        ('val_dataloader.dataset.pipeline[2]', tool.ABSENT,
         dict(type='LoadAnnotations')),
    ]


def test_fixed_items_while_nothing_differs_under_them(tool):
    config = 'configs/rtmpose/crowdpose/rtmpose-m_x.py'
    assert tool.fixed(config, []) == [
        ('model.backbone.init_cfg', 'pre-trained CSPNeXt (issue 18.1, 18.2)'),
        ('optim_wrapper.optimizer.lr', 'lr 5e-4 (18.5)'),
        ('param_scheduler', 'cosine floor 2.5e-5 (18.5)')]
    assert [p for p, _ in tool.fixed(config, [
        'param_scheduler[1].eta_min', 'optim_wrapper.optimizer.lr_mult'])
    ] == ['model.backbone.init_cfg', 'optim_wrapper.optimizer.lr']


def test_documented_deviations_are_in_the_readme(tool):
    with open(osp.join(ROOT, 'README.md')) as f:
        readme = f.read()
    heading = '## Configs: where they differ from the reference, and why'
    assert heading in readme
    section = readme.split(heading)[1].split('\n## ')[0]
    for _, _, reason in tool.DEVIATIONS:
        assert f'**{reason}.**' in section, reason


def test_every_pair_names_an_existing_config(tool):
    missing = [c for c in tool.PAIRS if not osp.isfile(osp.join(ROOT, c))]
    assert not missing
    assert len(tool.PAIRS) == 29  # issue 18's list


@needs_reference
def test_published_configs_resolve_to_the_reference_recipe(tool):
    repo = os.environ.get('RTMPOSE_REFERENCE_REPO')
    rows = tool.compare(sorted(tool.PAIRS), REFERENCE_PYTHON, repo)
    status = {r['config']: r['status'] for r in rows}
    assert set(status.values()) <= {'compared', 'skipped'}, [
        (r['config'], r.get('reason')) for r in rows
        if r['status'] == 'error']
    # only the projects/rtmpose pairs need the repository
    assert all(status[c] == 'compared' for c, ref in tool.PAIRS.items()
               if repo or ref.startswith('mmpose:'))
    undocumented = [(r['config'], d['path'], d['ours'], d['reference'])
                    for r in rows for d in r['differences']
                    if not d['documented']]
    assert not undocumented


@needs_reference
def test_a_changed_recipe_is_reported(tool, monkeypatch):
    config = ('configs/rtmpose/crowdpose/'
              'rtmpose-m_8xb64-210e_crowdpose-256x192.py')
    resolve = tool.resolve_ours

    def changed(name):
        cfg = resolve(name)
        cfg['optim_wrapper']['optimizer']['lr'] = 4e-3
        return cfg

    monkeypatch.setattr(tool, 'resolve_ours', changed)
    (row, ) = tool.compare([config], REFERENCE_PYTHON, None)
    assert [(d['path'], d['ours'], d['reference'])
            for d in row['differences'] if not d['documented']] == [
        ('optim_wrapper.optimizer.lr', 4e-3, 5e-4)]
