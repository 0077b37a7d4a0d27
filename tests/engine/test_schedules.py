"""The RTMPose recipe's optimiser and lr schedule, the batch-size warning and
the schedule plot."""
import glob
import importlib.util
import json
import math
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope
from toy_training import one_thread  # noqa: F401 (autouse fixture)
from toy_training import build_runner, toy_cfg

from rtmpose.engine.scheduler_simulation import (iters_per_epoch,
                                                 simulate_param_schedulers)
from rtmpose.registry import MODELS

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
M_CONFIG = osp.join(
    ROOT, 'configs/rtmpose/coco/rtmpose-m_8xb256-420e_coco-256x192.py')


def _flat_cosine(t, epoch_length, base=4e-3, eta_min=2e-4, epochs=420,
                 warmup=1000, start_factor=1e-5):
    """Paper Table 7: linear warm-up, flat, cosine over the second half.

    mmengine's LinearLR with ``end=1000`` reaches the base lr at iteration
    999 (its ``end`` is exclusive)."""
    t = np.asarray(t, dtype=np.float64)
    warm = start_factor + (1 - start_factor) * np.minimum(t, warmup - 1) / (
        warmup - 1)
    half = epochs // 2 * epoch_length
    cosine = eta_min + (base - eta_min) * (
        1 + np.cos(np.pi * (t - half) / half)) / 2
    return np.where(t < half, base * warm, cosine)


@pytest.mark.parametrize('epoch_length', [5, 12])
def test_m_config_lr_is_warmup_flat_cosine(epoch_length):
    cfg = Config.fromfile(M_CONFIG)
    lr = simulate_param_schedulers(cfg, epoch_length)['lr']
    assert lr.shape == (420 * epoch_length, )
    expected = _flat_cosine(np.arange(len(lr)), epoch_length)
    np.testing.assert_allclose(lr, expected, rtol=1e-6)
    half = 210 * epoch_length
    for t, value in ((0, 4e-8), (999, 4e-3), (half, 4e-3),
                     (half + half // 2, 2.1e-3)):
        assert lr[t] == pytest.approx(value, rel=1e-6)
    assert lr[-1] == pytest.approx(2e-4, rel=1e-3)
    # a wrong formula (warm-up to 1000, cosine to 0) is told apart
    assert np.abs(_flat_cosine(np.arange(len(lr)), epoch_length, eta_min=0)
                  - lr).max() > 1e-4


def test_momentum_schedule_is_reported():
    cfg = dict(
        train_cfg=dict(max_epochs=4),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1, momentum=0.9)),
        param_scheduler=[
            dict(type='CosineAnnealingMomentum', eta_min=0.8, by_epoch=True,
                 begin=0, end=4)
        ])
    values = simulate_param_schedulers(cfg, epoch_length=3)
    assert values['lr'].tolist() == [0.1] * 12
    assert values['momentum'][0] == pytest.approx(0.9)
    assert values['momentum'][-1] == pytest.approx(0.8 + 0.1 * (
        1 + math.cos(math.pi * 3 / 4)) / 2)


def test_iters_per_epoch():
    assert iters_per_epoch(149813, 256, 8) == 74  # ceil(18727 / 256)
    assert iters_per_epoch(10, 3) == 4
    assert iters_per_epoch(10, 3, drop_last=True) == 3


def test_adamw_without_decay_on_norms_and_biases():
    cfg = Config.fromfile(M_CONFIG)
    init_default_scope('rtmpose')
    model = MODELS.build(cfg.model)
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    optimizer = wrapper.optimizer
    assert type(optimizer).__name__ == 'AdamW'
    decay = {id(p): g['weight_decay'] for g in optimizer.param_groups
             for p in g['params']}
    names = dict(model.named_parameters())
    norm_params = {
        id(p) for m in model.modules()
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)
        for p in m.parameters()}
    assert norm_params
    for name, p in names.items():
        if id(p) in norm_params or name.endswith('.bias'):
            assert decay[id(p)] == 0, name
    conv = names['backbone.stem.0.conv.weight']
    assert decay[id(conv)] == 0.05
    # paper Table 7: lr 4e-3 at total batch 1024 (the reference's 8xb256
    # configs keep that base; PoseRunner warns that 2048 != 1024)
    assert cfg.auto_scale_lr.base_batch_size == 1024


def _log_text(runner):
    (log_file, ) = glob.glob(osp.join(runner.log_dir, '*.log'))
    with open(log_file) as f:
        return f.read()


def test_batch_size_warning_without_auto_scale_lr(tmp_path):
    runner = build_runner(
        toy_cfg(tmp_path / 'off', max_epochs=2,
                auto_scale_lr=dict(base_batch_size=16)))
    runner.train()
    assert ('total batch size 3 (1 process(es) x 3) differs from '
            'auto_scale_lr.base_batch_size=16: training with lr 0.05 as '
            'configured; with --auto-scale-lr it would be 0.009375 '
            '(x0.1875)') in _log_text(runner)
    runner = build_runner(
        toy_cfg(tmp_path / 'on', max_epochs=2,
                auto_scale_lr=dict(base_batch_size=16, enable=True)))
    runner.train()
    assert 'differs from auto_scale_lr' not in _log_text(runner)
    group = runner.optim_wrapper.optimizer.param_groups[0]
    assert group['initial_lr'] == pytest.approx(0.009375)


def _tool():
    spec = importlib.util.spec_from_file_location(
        'vis_scheduler', osp.join(ROOT, 'tools/analysis/vis_scheduler.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vis_scheduler_tool(tmp_path, capsys):
    out = str(tmp_path / 'lr.png')
    values = _tool().main([M_CONFIG, '--out', out, '--dataset-size', '4096',
                           '--ngpus', '8'])
    assert len(values['lr']) == 420 * 2  # 512 samples per GPU, batch 256
    with open(out, 'rb') as f:
        assert f.read(8) == b'\x89PNG\r\n\x1a\n'
    assert f'plotted lr to {out}' in capsys.readouterr().out
    # the GPUs default to the config name's 8xb256
    assert len(_tool().main([M_CONFIG, '--out', out, '--dataset-size',
                             '4096'])['lr']) == 420 * 2
    assert _tool().gpus_in_name('rtmpose-t_demo.py') == 1


def test_weight_decay_and_momentum_schedules_are_plotted(tmp_path, capsys):
    config = tmp_path / 'wd.py'
    config.write_text(
        f"_base_ = ['{M_CONFIG}']\n"
        'param_scheduler = [\n'
        "    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0,"
        ' end=10),\n'
        "    dict(type='CosineAnnealingParamScheduler', "
        "param_name='weight_decay', eta_min=0.0, begin=0, end=420,"
        ' by_epoch=True),\n'
        "    dict(type='ConstantMomentum', factor=0.5, begin=0, end=210,"
        ' by_epoch=True)]\n')
    out = str(tmp_path / 'sched.png')
    values = _tool().main([str(config), '--out', out, '--dataset-size',
                           '2048', '--ngpus', '8'])
    assert list(values) == ['lr', 'weight_decay', 'momentum']
    assert len(values['weight_decay']) == 420
    assert values['weight_decay'][0] == pytest.approx(0.05)
    assert values['weight_decay'][-1] < 1e-5
    assert values['momentum'][0] == pytest.approx(0.45)  # AdamW betas[0]
    assert values['momentum'][-1] == pytest.approx(0.9)
    assert 'plotted lr, weight_decay, momentum' in capsys.readouterr().out


def test_vis_scheduler_counts_the_dataset(tmp_path):
    data_root = str(tmp_path / 'data')
    out = str(tmp_path / 'lr.png')
    values = _tool().main([
        osp.join(ROOT, 'configs/demo/rtmpose-t_demo.py'), '--out', out,
        '--cfg-options', f'train_dataloader.dataset.data_root={data_root}',
        'train_dataloader.dataset.synthetic_cfg.num_train_images=8',
        'train_dataloader.dataset.synthetic_cfg.num_val_images=4',
        'train_dataloader.batch_size=4'
    ])
    with open(osp.join(data_root,
                       'annotations/person_keypoints_train.json')) as f:
        people = len(json.load(f)['annotations'])
    cfg = Config.fromfile(osp.join(ROOT, 'configs/demo/rtmpose-t_demo.py'))
    epochs = cfg.train_cfg.max_epochs
    assert len(values['lr']) == epochs * math.ceil(people / 4)
    assert osp.isfile(out)
