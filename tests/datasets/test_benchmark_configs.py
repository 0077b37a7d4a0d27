"""The MPII / CrowdPose / AP-10K / COCO-WholeBody recipes, the ViTPose-B
heads of MPII / CrowdPose / AIC and their four-dataset training: each
builds at its paper size with the expected parameter count, then runs one
training iteration and one evaluation on its fixtures (data re-rooted,
input shrunk for CPU speed)."""
import math
from pathlib import Path

import numpy as np
import pytest
import torch
from benchmark_fixtures import (relocate, shrink_input, write_aic,
                                write_ap10k, write_coco, write_crowdpose,
                                write_mpii, write_wholebody)
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.model import revert_sync_batchnorm
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope

from rtmpose.engine import find_setup_problems
from rtmpose.registry import DATASETS, METRICS, MODELS

REPO = Path(__file__).resolve().parents[2]
# config -> (fixture writer, parameters at the config's own input size,
# metric keys to expect)
CONFIGS = {
    'rtmpose/mpii/rtmpose-m_8xb64-210e_mpii-256x256.py':
    (write_mpii, 13_586_842, ['mpii/Head', 'mpii/Mean', 'mpii/Mean@0.1']),
    'rtmpose/crowdpose/rtmpose-m_8xb64-210e_crowdpose-256x192.py':
    (write_crowdpose, 13_474_712,
     ['crowdpose/AP', 'crowdpose/AP(E)', 'crowdpose/AP(H)']),
    'rtmpose/ap10k/rtmpose-m_8xb64-210e_ap10k-256x256.py':
    (write_ap10k, 13_624_475, ['coco/AP', 'coco/AR']),
    'rtmpose/wholebody/rtmpose-m_8xb64-270e_coco-wholebody-256x192.py':
    (write_wholebody, 17_953_039,
     ['coco-wholebody/AP', 'coco-wholebody/face/AP',
      'coco-wholebody/hand/AP']),
    'rtmpose/wholebody/rtmpose-l_8xb64-270e_coco-wholebody-256x192.py':
    (write_wholebody, 33_480_871, ['coco-wholebody/AP']),
    'rtmpose/wholebody/rtmpose-l_8xb32-270e_coco-wholebody-384x288.py':
    (write_wholebody, 33_610_919, ['coco-wholebody/AP']),
    'rtmpose/wholebody/rtmpose-x_8xb32-270e_coco-wholebody-384x288.py':
    (write_wholebody, 56_709_919, ['coco-wholebody/AP']),
    'vitpose/mpii/vitpose-base_8xb64-210e_mpii-256x192.py':
    (write_mpii, 89_993_488, ['mpii/Mean']),
    'vitpose/crowdpose/vitpose-base_8xb64-210e_crowdpose-256x192.py':
    (write_crowdpose, 89_992_974, ['crowdpose/AP(M)']),
    'vitpose/aic/vitpose-base_8xb64-210e_aic-256x192.py':
    (write_aic, 89_992_974, ['aic/AP']),
}
TEST_SIZE = (48, 64)  # (w, h)


@pytest.fixture(scope='module', autouse=True)
def scope_and_threads():
    init_default_scope('rtmpose')
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # small tensors on a shared 2-core machine
    yield
    torch.set_num_threads(threads)


def _params(model_cfg) -> int:
    # Shapes only: no memory, no initialisation.
    with torch.device('meta'):
        model = MODELS.build(model_cfg)
    return sum(p.numel() for p in model.parameters())


def _fixture_cfg(name, root):
    """The config as a dict, its data re-rooted at the fixture, no
    pretrained weights, input shrunk."""
    cfg = Config.fromfile(str(REPO / 'configs' / name))
    cfg.model.backbone.pop('init_cfg', None)
    data_root = cfg.train_dataloader.dataset.data_root
    cfg = relocate(cfg.to_dict(), data_root, f'{root}/')
    return shrink_input(cfg, TEST_SIZE)


def _batches(dataset, batch_size):
    for start in range(0, len(dataset), batch_size):
        yield pseudo_collate([
            dataset[i]
            for i in range(start, min(start + batch_size, len(dataset)))
        ])


@pytest.mark.parametrize('name', sorted(CONFIGS))
def test_config_trains_and_evaluates(tmp_path, name):
    write_fixture, num_params, keys = CONFIGS[name]
    native = Config.fromfile(str(REPO / 'configs' / name))
    native.model.backbone.pop('init_cfg', None)
    assert _params(native.model) == num_params
    # sizes agree across model, codecs, pipelines and the stage-2 hook
    assert find_setup_problems(native) == []

    write_fixture(tmp_path)
    cfg = _fixture_cfg(name, tmp_path)
    model = revert_sync_batchnorm(MODELS.build(cfg['model']))

    train_set = DATASETS.build(cfg['train_dataloader']['dataset'])
    optim_wrapper = build_optim_wrapper(model, cfg['optim_wrapper'])
    model.train()
    data = next(_batches(train_set, 2))
    losses = model.train_step(data, optim_wrapper)
    assert math.isfinite(losses['loss_kpt'].item())

    val_set = DATASETS.build(cfg['val_dataloader']['dataset'])
    # head, metainfo and samples agree on the keypoints
    assert find_setup_problems(
        cfg, {'train_dataloader.dataset': train_set,
              'val_dataloader.dataset': val_set}) == []
    metric = METRICS.build(cfg['val_evaluator'])
    metric.dataset_meta = val_set.metainfo
    model.eval()
    for data in _batches(val_set, 2):
        with torch.no_grad():
            outputs = model.val_step(data)
        for sample in outputs:
            assert sample.pred_instances.keypoints.shape == \
                (1, cfg['model']['head']['out_channels'], 2)
        metric.process(data, outputs)
    result = metric.evaluate(len(val_set))
    for key in keys:
        assert np.isfinite(result[key]) or key.startswith('mpii'), key
        assert key in result


MULTI = ('vitpose/multi/'
         'vitpose-base-multihead_8xb128-210e_coco-aic-mpii-crowdpose-256x192.py')
# member data_root -> fixture writer
MEMBERS = {'data/coco/': write_coco, 'data/aic/': write_aic,
           'data/mpii/': write_mpii, 'data/crowdpose/': write_crowdpose}


def test_four_dataset_vitpose_trains_every_head(tmp_path):
    native = Config.fromfile(str(REPO / 'configs' / MULTI))
    native.model.backbone.pop('init_cfg', None)
    # backbone + 4 classic decoders (17 / 14 / 16 / 14 keypoints)
    assert _params(native.model) == 102_591_037
    assert find_setup_problems(native) == []

    cfg = native.to_dict()
    for data_root, write_fixture in MEMBERS.items():
        root = tmp_path / data_root.split('/')[1]
        write_fixture(root)
        cfg = relocate(cfg, data_root, f'{root}/')
    cfg = shrink_input(cfg, TEST_SIZE)
    model = revert_sync_batchnorm(MODELS.build(cfg['model']))
    train_set = DATASETS.build(cfg['train_dataloader']['dataset'])
    firsts = np.cumsum([0] + train_set.member_sizes[:-1])
    data = pseudo_collate([train_set[int(i)] for i in firsts])
    assert [s.dataset_name for s in data['data_samples']] == [
        'coco', 'aic', 'mpii', 'crowdpose'
    ]
    model.train()
    losses = model.train_step(
        data, build_optim_wrapper(model, cfg['optim_wrapper']))
    for name in ('coco', 'aic', 'mpii', 'crowdpose'):
        assert math.isfinite(losses[f'loss_kpt_{name}'].item()), name

    val_set = DATASETS.build(cfg['val_dataloader']['dataset'])
    metric = METRICS.build(cfg['val_evaluator'])
    metric.dataset_meta = val_set.metainfo
    model.eval()
    for data in _batches(val_set, 2):
        with torch.no_grad():
            metric.process(data, model.val_step(data))
    assert 'coco/AP' in metric.evaluate(len(val_set))
