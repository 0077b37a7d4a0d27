"""Start-up checks: every kind of disagreement stops the run and names the
values and where they come from."""
import copy
import os.path as osp

import numpy as np
import torch
import pytest
from mmengine.config import Config

from rtmpose.engine import (PoseRunner, SetupError, check_setup,
                            find_setup_problems)

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = osp.join(ROOT, 'configs/rtmpose/coco')
M_CONFIG = osp.join(CONFIGS, 'rtmpose-m_8xb256-420e_coco-256x192.py')
TOPDOWN_AFFINE = 5  # index in the m config's pipelines
GENERATE_TARGET = 10


@pytest.fixture(scope='module')
def m_cfg():
    return Config.fromfile(M_CONFIG)


@pytest.mark.parametrize('name', [
    'rtmpose-t_8xb256-420e_coco-256x192.py',
    'rtmpose-m_8xb256-420e_coco-256x192.py',
    'rtmpose-m_8xb256-420e_coco-384x288.py',
    'rtmpose-l_8xb256-420e_coco-384x288.py',
])
def test_shipped_configs_pass(name):
    assert find_setup_problems(Config.fromfile(osp.join(CONFIGS, name))) == []


def _train_pipeline(cfg):
    return cfg['train_dataloader']['dataset']['pipeline']


def _break(cfg, how):
    cfg = copy.deepcopy(cfg.to_dict())
    how(cfg)
    return cfg


DECODER = 'model.head.decoder'  # the reference of every size and ratio
BROKEN = {
    'head (h, w)': (
        lambda c: c['model']['head'].update(input_size=(256, 192)),
        ['(w, h) order: model.head.input_size=(256, 192) is '
         f'{DECODER}.input_size=(192, 256) reversed']),
    'affine (h, w)': (
        lambda c: _train_pipeline(c)[TOPDOWN_AFFINE].update(
            input_size=(256, 192)),
        [f'(w, h) order: train_dataloader.dataset.pipeline[{TOPDOWN_AFFINE}]'
         f'.input_size=(256, 192) is {DECODER}.input_size=(192, 256) '
         'reversed']),
    'encoder size': (
        lambda c: _train_pipeline(c)[GENERATE_TARGET]['encoder'].update(
            input_size=(192, 192)),
        ['input_size mismatch: train_dataloader.dataset.pipeline'
         f'[{GENERATE_TARGET}].encoder.input_size=(192, 192) but '
         f'{DECODER}.input_size=(192, 256)']),
    'decoder size': (
        lambda c: c['model']['head']['decoder'].update(input_size=(288, 384)),
        ['input_size mismatch: train_dataloader.dataset.pipeline'
         f'[{TOPDOWN_AFFINE}].input_size=(192, 256) but '
         f'{DECODER}.input_size=(288, 384)']),
    'val affine': (
        lambda c: c['val_dataloader']['dataset']['pipeline'][2].update(
            input_size=(288, 384)),
        ['input_size mismatch: val_dataloader.dataset.pipeline[2].'
         'input_size=(288, 384)']),
    'stage-2 affine': (
        lambda c: c['custom_hooks'][1]['switch_pipeline'][TOPDOWN_AFFINE]
        .update(input_size=(256, 192)),
        [f'(w, h) order: custom_hooks[1].switch_pipeline[{TOPDOWN_AFFINE}]'
         '.input_size=(256, 192)']),
    'split ratio': (
        lambda c: c['model']['head'].update(simcc_split_ratio=3.0),
        ['simcc_split_ratio mismatch: model.head.simcc_split_ratio=3 but '
         f'{DECODER}.simcc_split_ratio=2']),
}


@pytest.mark.parametrize('case', sorted(BROKEN))
def test_config_disagreement_is_named(m_cfg, case):
    how, expected = BROKEN[case]
    cfg = _break(m_cfg, how)
    problems = find_setup_problems(cfg)
    for message in expected:
        assert any(message in p for p in problems), (message, problems)
    with pytest.raises(SetupError, match='the config does not add up'):
        check_setup(cfg)


def test_unused_stage_2_is_not_checked(m_cfg):
    """A switch after max_epochs never runs (the hook warns about that)."""
    cfg = _break(m_cfg, BROKEN['stage-2 affine'][0])
    cfg['train_cfg']['max_epochs'] = 390
    assert find_setup_problems(cfg) == []


class _Dataset:
    """Stands in for a built dataset: metainfo and the first sample."""

    def __init__(self, num_kpts=17, sample_kpts=17, **meta):
        self.metainfo = dict(
            num_keypoints=num_kpts,
            sigmas=np.full(num_kpts, 0.05, np.float32),
            dataset_keypoint_weights=np.ones(num_kpts, np.float32),
            flip_indices=list(range(num_kpts)))
        self.metainfo.update(meta)
        self.sample_kpts = sample_kpts
        self.ann_file = 'data/x/train.json'

    def __len__(self):
        return 3

    def get_data_info(self, idx):
        return dict(keypoints=np.zeros((1, self.sample_kpts, 2), np.float32))


DATA_CASES = {
    'head vs metainfo': (
        _Dataset(num_kpts=14, sample_kpts=14),
        'model.head.out_channels=17 but train_dataloader.dataset (_Dataset) '
        'metainfo num_keypoints=14'),
    'annotation': (
        _Dataset(sample_kpts=14),
        'train_dataloader.dataset: the first annotation (data/x/train.json) '
        'has 14 keypoints but train_dataloader.dataset (_Dataset) metainfo '
        'num_keypoints=17'),
    'sigmas': (
        _Dataset(sigmas=np.ones(16)),
        'metainfo sigmas: 16 values for num_keypoints=17'),
    'weights': (
        _Dataset(dataset_keypoint_weights=np.ones(18)),
        'metainfo dataset_keypoint_weights: 18 values for num_keypoints=17'),
    'flip length': (
        _Dataset(flip_indices=list(range(16))),
        'flip_indices has 16 entries for num_keypoints=17'),
    'flip range': (
        _Dataset(flip_indices=list(range(16)) + [17]),
        'flip_indices [17] out of range [0, 17)'),
    'flip symmetry': (
        _Dataset(flip_indices=[1, 2, 0] + list(range(3, 17))),
        'flip_indices is not symmetric: keypoints [0, 1, 2]'),
}


@pytest.mark.parametrize('case', sorted(DATA_CASES))
def test_data_disagreement_is_named(m_cfg, case):
    dataset, message = DATA_CASES[case]
    problems = find_setup_problems(
        m_cfg, {'train_dataloader.dataset': dataset})
    assert any(message in p for p in problems), problems
    assert find_setup_problems(
        m_cfg, {'train_dataloader.dataset': _Dataset()}) == []


def test_output_keypoint_indices_set_the_evaluated_keypoints(m_cfg):
    """A 19-keypoint model evaluated on 17 (the CSPNeXt pre-training)."""
    cfg = _break(m_cfg, lambda c: (
        c['model']['head'].update(out_channels=19),
        c['model']['test_cfg'].update(
            output_keypoint_indices=list(range(17)))))
    datasets = {'train_dataloader.dataset': _Dataset(19, 19),
                'val_dataloader.dataset': _Dataset()}
    assert find_setup_problems(cfg, datasets) == []
    datasets['test_dataloader.dataset'] = _Dataset(14, 14)
    assert find_setup_problems(cfg, datasets) == [
        'len(model.test_cfg.output_keypoint_indices)=17 but '
        'test_dataloader.dataset (_Dataset) metainfo num_keypoints=14']


def test_runner_stops_before_training(tmp_path):
    """Through PoseRunner: the real (synthetic) COCO dataset and a head
    with 14 outputs."""
    data_root = str(tmp_path / 'data')
    cfg = Config.fromfile(osp.join(ROOT, 'configs/demo/rtmpose-t_demo.py'))
    cfg.merge_from_dict({
        'work_dir': str(tmp_path / 'work'),
        'model.head.out_channels': 14,
        'train_dataloader.dataset.data_root': data_root,
        'train_dataloader.dataset.synthetic_cfg': dict(
            num_train_images=4, num_val_images=2, image_size=(160, 120)),
        'train_dataloader.num_workers': 0,
        'train_dataloader.persistent_workers': False,
        'val_dataloader': None, 'val_cfg': None, 'val_evaluator': None,
        'log_level': 'WARNING',
    })
    runner = PoseRunner.from_cfg(cfg)
    with pytest.raises(SetupError) as err:
        runner.train()
    assert 'model.head.out_channels=14 but train_dataloader.dataset ' \
        '(SyntheticCocoDataset) metainfo num_keypoints=17' in str(err.value)
    assert runner.iter == 0


def _built(cfg_dict):
    from mmengine.registry import init_default_scope

    from rtmpose.registry import MODELS
    init_default_scope('rtmpose')
    return MODELS.build(cfg_dict['model'])


def test_forgotten_head_in_channels_is_named(m_cfg):
    """The README's new size (deepen 0.5, widen 0.625) without
    head.in_channels=640: caught before the first iteration."""
    cfg = copy.deepcopy(m_cfg.to_dict())
    cfg['model']['backbone'].update(deepen_factor=0.5, widen_factor=0.625)
    cfg['model']['backbone']['norm_cfg'] = dict(type='BN')
    model = _built(cfg)
    model.train()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    rng = torch.get_rng_state()
    problems = find_setup_problems(cfg, model=model)
    assert problems == [
        'model.head.in_channels=768 but model.backbone outputs 640 channels '
        '(its last feature map at input size (192, 256)); set '
        'model.head.in_channels=640'
    ]
    with pytest.raises(SetupError, match=r'model\.head\.in_channels=768'):
        check_setup(cfg, model=model)
    # the dry forward changed nothing: weights, BN statistics, mode, RNG
    assert model.training
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    assert torch.equal(torch.get_rng_state(), rng)
    cfg['model']['head']['in_channels'] = 640
    assert find_setup_problems(cfg, model=_built(cfg)) == []


def test_stride_16_backbone_gets_no_false_error(m_cfg):
    """A stride-16 backbone under RTMCCHead: the head's map size follows
    the backbone's declared stride, and the checks find nothing."""
    cfg = copy.deepcopy(m_cfg.to_dict())
    cfg['model']['backbone'].update(norm_cfg=dict(type='BN'),
                                    out_indices=(3, ))
    cfg['model']['head']['in_channels'] = 384
    model = _built(cfg)
    assert model.backbone.out_strides == (16, )
    assert model.head.in_featuremap_size == (12, 16)  # (192, 256) / 16
    assert find_setup_problems(cfg, model=model) == []


def test_wrong_declarations_are_named_by_the_dry_forward(m_cfg):
    """A written in_featuremap_size and a backbone declaring the wrong
    stride: the dry forward measures the map."""
    cfg = copy.deepcopy(m_cfg.to_dict())
    cfg['model']['backbone']['norm_cfg'] = dict(type='BN')
    cfg['model']['head']['in_featuremap_size'] = (6, 6)
    model = _built(cfg)
    model.backbone.out_strides = (16, )
    assert find_setup_problems(cfg, model=model) == [
        'model.backbone declares a (12, 16) (w, h) last map '
        '(out_strides=(16,)) for a (192, 256) input but gives (6, 8)',
        'model.head.in_featuremap_size=(6, 6) but model.backbone gives a '
        '6x8 (w x h) map for the input size (192, 256)'
    ]


@pytest.mark.parametrize('step, arg, value, message', [
    (1, 'padding', 1.5, 'val_dataloader.dataset.pipeline[1].padding=1.5 but '
     "the model's input spec has bbox_padding=1.25"),
    (2, 'use_udp', True, 'val_dataloader.dataset.pipeline[2].use_udp=True '
     "but the model's input spec has use_udp=False"),
])
def test_pipeline_against_the_input_spec(m_cfg, step, arg, value, message):
    """Transforms declare which arguments the model's input spec fixes."""
    cfg = copy.deepcopy(m_cfg.to_dict())
    cfg['model']['backbone']['norm_cfg'] = dict(type='BN')
    model = _built(cfg)
    cfg['val_dataloader']['dataset']['pipeline'][step][arg] = value
    problems = find_setup_problems(cfg, model=model)
    assert len(problems) == 1 and problems[0].startswith(message), problems
