"""rtmpose.model_index: the names, checked against the reference's own model
index, resolvable configs, parameter counts of the built models."""
import json

import pytest
import torch
from mmengine.registry import init_default_scope

from rtmpose import hub, model_index
from rtmpose.config_loading import find_config, load_config
from rtmpose.registry import MODELS

_V1 = 'https://download.openmmlab.com/mmpose/v1/'
_RTM = _V1 + 'projects/rtmposev1/'
_VIT = _V1 + 'body_2d_keypoint/topdown_heatmap/coco/'
# The reference's facts, copied from the mmpose repository (main, commit
# 759b39c1): configs/body_2d_keypoint/rtmpose/coco/rtmpose_coco.yml,
# configs/wholebody_2d_keypoint/rtmpose/coco-wholebody/
# rtmpose_coco-wholebody.yml, configs/body_2d_keypoint/topdown_heatmap/coco/
# vitpose_coco.yml (Weights, AP / Whole AP) and projects/rtmpose/README.md
# (RTMDet person and RTMPose-x whole-body: download links, AP columns).
# name -> (weights URL, AP in %)
REFERENCE = {
    'rtmpose-t': (_RTM + 'rtmpose-tiny_simcc-aic-coco_pt-aic-coco_420e-'
                  '256x192-cfc8f33d_20230126.pth', 68.5),
    'rtmpose-s': (_RTM + 'rtmpose-s_simcc-aic-coco_pt-aic-coco_420e-256x192-'
                  'fcb2599b_20230126.pth', 72.2),
    'rtmpose-m': (_RTM + 'rtmpose-m_simcc-aic-coco_pt-aic-coco_420e-256x192-'
                  '63eb25f7_20230126.pth', 75.8),
    'rtmpose-l': (_RTM + 'rtmpose-l_simcc-aic-coco_pt-aic-coco_420e-256x192-'
                  'f016ffe0_20230126.pth', 76.5),
    'rtmpose-m-384x288': (_RTM + 'rtmpose-m_simcc-aic-coco_pt-aic-coco_420e-'
                          '384x288-a62a0b32_20230228.pth', 77.0),
    'rtmpose-l-384x288': (_RTM + 'rtmpose-l_simcc-aic-coco_pt-aic-coco_420e-'
                          '384x288-97d6cb0f_20230228.pth', 77.3),
    'rtmpose-t-coco': (_RTM + 'rtmpose-tiny_simcc-coco_pt-aic-coco_420e-'
                       '256x192-e613ba3f_20230127.pth', 68.2),
    'rtmpose-s-coco': (_RTM + 'rtmpose-s_simcc-coco_pt-aic-coco_420e-256x192-'
                       '8edcf0d7_20230127.pth', 71.6),
    'rtmpose-m-coco': (_RTM + 'rtmpose-m_simcc-coco_pt-aic-coco_420e-256x192-'
                       'd8dd5ca4_20230127.pth', 74.6),
    'rtmpose-l-coco': (_RTM + 'rtmpose-l_simcc-coco_pt-aic-coco_420e-256x192-'
                       '1352a4d2_20230127.pth', 75.8),
    'rtmpose-m-wholebody': (_RTM + 'rtmpose-m_simcc-coco-wholebody_pt-aic-'
                            'coco_270e-256x192-cd5e845c_20230123.pth', 58.2),
    'rtmpose-l-wholebody': (_RTM + 'rtmpose-l_simcc-coco-wholebody_pt-aic-'
                            'coco_270e-256x192-6f206314_20230124.pth', 61.1),
    'rtmpose-l-wholebody-384x288': (
        _RTM + 'rtmpose-l_simcc-coco-wholebody_pt-aic-coco_270e-384x288-'
        'eaeb96c8_20230125.pth', 64.8),
    'rtmpose-x-wholebody': (_RTM + 'rtmpose-x_simcc-coco-wholebody_pt-body7_'
                            '270e-384x288-401dfc90_20230629.pth', 65.3),
    'vitpose-s': (_VIT + 'td-hm_ViTPose-small_8xb64-210e_coco-256x192-'
                  '62d7a712_20230314.pth', 73.9),
    'vitpose-b': (_VIT + 'td-hm_ViTPose-base_8xb64-210e_coco-256x192-'
                  '216eae50_20230314.pth', 75.7),
    'vitpose-l': (_VIT + 'td-hm_ViTPose-large_8xb64-210e_coco-256x192-'
                  '53609f55_20230314.pth', 78.2),
    'vitpose-h': (_VIT + 'td-hm_ViTPose-huge_8xb64-210e_coco-256x192-'
                  'e32adcd4_20230314.pth', 78.8),
    'vitpose-s-simple': (_VIT + 'td-hm_ViTPose-small-simple_8xb64-210e_coco-'
                         '256x192-4c101a76_20230314.pth', 73.6),
    'vitpose-b-simple': (_VIT + 'td-hm_ViTPose-base-simple_8xb64-210e_coco-'
                         '256x192-0b8234ea_20230407.pth', 75.6),
    'vitpose-l-simple': (_VIT + 'td-hm_ViTPose-large-simple_8xb64-210e_coco-'
                         '256x192-3a7ee9e1_20230314.pth', 78.0),
    'vitpose-h-simple': (_VIT + 'td-hm_ViTPose-huge-simple_8xb64-210e_coco-'
                         '256x192-ffd48c05_20230314.pth', 78.9),
    'rtmdet-nano': (_V1 + 'projects/rtmpose/rtmdet_nano_8xb32-100e_coco-'
                    'obj365-person-05d8511e.pth', 40.3),
    'rtmdet-m': (_V1 + 'projects/rtmpose/rtmdet_m_8xb32-100e_coco-obj365-'
                 'person-235e8209.pth', 62.5),
}


def test_index_equals_the_reference_model_index():
    assert sorted(model_index.MODELS) == sorted(REFERENCE)
    for name, (url, ap) in REFERENCE.items():
        info = model_index.MODELS[name]
        assert (info.weights, info.ap) == (url, ap), name
        # the hash the file name carries (the reference's publish tool)
        assert info.sha256 == url.rsplit('-', 1)[1][:8], name


def test_solutions_name_index_models():
    for solution in model_index.SOLUTIONS.values():
        assert model_index.MODELS[solution.detector].task == 'detection'
        assert model_index.MODELS[solution.pose].task != 'detection'
    assert (model_index.SOLUTIONS['body'].detector,
            model_index.SOLUTIONS['body'].pose) == ('rtmdet-nano',
                                                    'rtmpose-m')


def test_configs_resolve_and_declare_the_input_size():
    for info in model_index.MODELS.values():
        cfg = load_config(info.config)
        assert find_config(info.config).endswith(info.config)
        if info.task == 'detection':
            continue
        affine = [t for t in cfg.test_dataloader.dataset.pipeline
                  if t.type == 'TopdownAffine'][0]
        assert tuple(affine.input_size) == info.input_size, info.name


@pytest.mark.parametrize('name', ['rtmpose-t', 'rtmpose-x-wholebody',
                                  'vitpose-s', 'rtmdet-nano'])
def test_params_are_those_of_the_built_model(name):
    info = model_index.MODELS[name]
    cfg = load_config(info.config)
    cfg.model.get('backbone', {}).pop('init_cfg', None)
    init_default_scope('rtmpose')
    with torch.device('meta'):  # counts without allocating
        model = MODELS.build(cfg.model)
    numel = sum(p.numel() for p in model.parameters())
    assert round(numel / 1e6, 2) == info.params_m


def test_resolve_names_and_paths():
    info = model_index.MODELS['rtmpose-m']
    assert model_index.resolve('rtmpose-m') == (info.config, info.weights,
                                                info.sha256)
    assert model_index.resolve('rtmpose-m', 'mine.pth') == (
        info.config, 'mine.pth', None)
    assert model_index.resolve('my_config.py', 'x.pth') == (
        'my_config.py', 'x.pth', None)
    assert hub.expected_sha256(info.weights) == info.sha256
    with pytest.raises(ValueError, match=r"'body' is a solution \(rtmdet-"
                       r'nano \+ rtmpose-m\): use it with PoseInferencer'):
        model_index.resolve('body')


def test_a_local_index_file_changes_and_adds_entries(tmp_path):
    index = tmp_path / 'index.json'
    mine = dict(task='body', config='configs/demo/rtmpose-t_demo.py',
                weights='file:///mirror/demo.pth', sha256=None,
                input_size=[192, 256], dataset='synthetic', ap=0.0,
                params_m=0.1)
    index.write_text(json.dumps({
        'rtmpose-m': {'weights': 'file:///mirror/m.pth', 'sha256': 'abcd'},
        'demo': mine}))
    models = model_index.with_overrides(model_index.MODELS, str(index))
    assert models['rtmpose-m'].weights == 'file:///mirror/m.pth'
    assert models['rtmpose-m'].config == model_index.MODELS[
        'rtmpose-m'].config
    assert models['demo'].input_size == (192, 256)
    assert model_index.MODELS['rtmpose-m'].sha256 == '63eb25f7'  # unchanged
    index.write_text(json.dumps({'new': {'weights': 'x'}}))
    with pytest.raises(ValueError, match='new model new needs every field'):
        model_index.with_overrides(model_index.MODELS, str(index))
