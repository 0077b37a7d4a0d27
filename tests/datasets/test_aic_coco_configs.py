"""The COCO + AIC recipes: same as their COCO counterparts except the
training data, which combine COCO train and AIC train in the COCO layout."""
import re
from pathlib import Path

import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope

from rtmpose.registry import MODELS

REPO = Path(__file__).resolve().parents[2]
CONFIG_DIR = REPO / 'configs' / 'rtmpose' / 'coco'
SPEC = REPO.parent / 'shared' / 'spec' / 'README.md'
AIC_TO_COCO = [(0, 6), (1, 8), (2, 10), (3, 5), (4, 7), (5, 9), (6, 12),
               (7, 14), (8, 16), (9, 11), (10, 13), (11, 15)]
# aic-coco config -> its COCO-only counterpart
PAIRS = {
    f'rtmpose-{size}_8xb256-420e_aic-coco-{res}.py':
    f'rtmpose-{size}_8xb256-420e_coco-{res}.py'
    for size, res in [('t', '256x192'), ('s', '256x192'), ('m', '256x192'),
                      ('l', '256x192'), ('m', '384x288')]
}
# Variables the aic-coco configs add to build their train dataloader.
HELPERS = {'aic_coco_mapping', 'dataset_coco', 'dataset_aic'}
# the reference clips gradients in its COCO-only 384x288 recipe, not in the
# AIC + COCO one
CLIPPED = {'rtmpose-m_8xb256-420e_coco-384x288.py'}


def _load(name):
    return Config.fromfile(str(CONFIG_DIR / name)).to_dict()


@pytest.mark.parametrize('name', sorted(PAIRS))
def test_only_the_training_data_differ(name):
    cfg, coco = _load(name), _load(PAIRS[name])
    assert set(cfg) - HELPERS == set(coco)
    if PAIRS[name] in CLIPPED:
        assert coco['optim_wrapper'].pop('clip_grad') == dict(
            max_norm=35, norm_type=2)
    for key in coco:
        if key != 'train_dataloader':
            assert cfg[key] == coco[key], key
    loader, coco_loader = cfg['train_dataloader'], coco['train_dataloader']
    for key in set(coco_loader) - {'dataset', 'sampler'}:
        assert loader[key] == coco_loader[key], key
    assert loader['sampler'] == dict(type='MultiSourceSampler', shuffle=True)

    dataset = loader['dataset']
    assert dataset['type'] == 'CombinedDataset'
    assert dataset['metainfo'] == dict(
        from_file='configs/_base_/datasets/coco.py')
    assert dataset['test_mode'] is False
    # The shared pipeline is the COCO recipe's, at this config's size.
    assert dataset['pipeline'] == coco_loader['dataset']['pipeline']
    # COCO three times + AIC once per epoch.
    assert dataset['sample_ratio_factor'] == [3.0, 1.0]

    coco_member, aic_member = dataset['datasets']
    assert coco_member == dict(
        type='CocoDataset', data_root='data/coco/', data_mode='topdown',
        ann_file='annotations/person_keypoints_train2017.json',
        data_prefix=dict(img='train2017/'), pipeline=[])
    assert aic_member['type'] == 'AicDataset'
    assert aic_member['data_root'] == 'data/aic/'
    assert aic_member['ann_file'] == 'annotations/aic_train.json'
    assert aic_member['data_prefix'] == dict(
        img='ai_challenger_keypoint_train_20170902/'
        'keypoint_train_images_20170902/')
    (converter, ) = aic_member['pipeline']
    assert converter['type'] == 'KeypointConverter'
    assert converter['num_keypoints'] == 17
    assert [tuple(m) for m in converter['mapping']] == AIC_TO_COCO


# Parameters (M) of the reference models at 256x192 (spec table).
PARAMS_M = {'t': 3.34, 's': 5.47, 'm': 13.59, 'l': 27.66}


@pytest.mark.parametrize('name', sorted(PAIRS))
def test_model_builds(name):
    init_default_scope('rtmpose')
    cfg = Config.fromfile(str(CONFIG_DIR / name))
    model = MODELS.build(cfg.model)
    assert model.head.out_channels == 17
    if '256x192' in name:
        params = sum(p.numel() for p in model.parameters()) / 1e6
        assert params == pytest.approx(PARAMS_M[name[8]], abs=0.01)


@pytest.mark.skipif(not SPEC.is_file(), reason='reference spec absent')
def test_mapping_is_the_spec_mapping():
    line = next(line for line in SPEC.read_text().splitlines()
                if 'AI Challenger' in line and '→' in line)
    pairs = [(int(a), int(b)) for a, b in re.findall(r'(\d+)→(\d+)', line)]
    assert pairs == AIC_TO_COCO
