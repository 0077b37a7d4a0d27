"""ExpMomentumEMA: the running average equals its closed form; checkpoints,
validation and testing use the averaged weights."""
import math
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.hooks import Hook
from toy_training import one_thread  # noqa: F401 (autouse fixture)
from toy_training import build_runner, stage_pipeline, toy_cfg
from torch import nn

from rtmpose import checkpoint as ckpt_io
from rtmpose.engine import ExpMomentumEMA


def _momentum(m, gamma, steps):
    return (1 - m) * math.exp(-(1 + steps) / gamma) + m


def _closed_form(snapshots, m, gamma, interval=1):
    """EMA after updates 0..N-1 with sources ``snapshots`` (float64):
    update 0 copies, update t (t % interval == 0) mixes in snapshot t with
    m_t; the result is sum_t w_t * snapshot_t."""
    steps = [t for t in range(1, len(snapshots)) if t % interval == 0]
    weights = np.zeros(len(snapshots))
    weights[0] = 1.0
    for t in steps:
        mt = _momentum(m, gamma, t)
        weights *= 1 - mt
        weights[t] += mt
    assert weights.sum() == pytest.approx(1.0)
    return sum(w * s.double() for w, s in zip(weights, snapshots))


def test_momentum_warm_up():
    ema = ExpMomentumEMA(nn.Linear(2, 2), momentum=0.0002, gamma=2000)
    assert ema.momentum_at(1) == pytest.approx(
        0.9998 * math.exp(-2 / 2000) + 0.0002)
    assert ema.momentum_at(10**6) == pytest.approx(0.0002)
    with pytest.raises(ValueError, match='gamma must be > 0'):
        ExpMomentumEMA(nn.Linear(2, 2), gamma=0)


@pytest.mark.parametrize('interval', [1, 3])
def test_parameters_match_closed_form(interval):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
    ema = ExpMomentumEMA(model, momentum=0.05, gamma=4, interval=interval)
    snapshots, means = [], []
    for _ in range(25):
        with torch.no_grad():
            for p in model.parameters():
                p.normal_()
            model[1].running_mean.normal_()
        snapshots.append(model[0].weight.detach().clone())
        means.append(model[1].running_mean.clone())
        ema.update_parameters(model)
    expected = _closed_form(snapshots, 0.05, 4, interval)
    torch.testing.assert_close(
        ema.module[0].weight.double(), expected, rtol=0, atol=1e-6)
    # an arbitrary sequence is far from its average: the check can fail
    assert (snapshots[-1].double() - expected).abs().max() > 0.1
    # buffers are copied, not averaged, without update_buffers
    torch.testing.assert_close(ema.module[1].running_mean, means[-1])


class _Snapshot(Hook):
    """Model weights after every optimiser step (before the EMA update)."""

    priority = 'HIGH'

    def __init__(self):
        self.weights, self.means = [], []

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        model = runner.model
        self.weights.append(model.linear.weight.detach().clone())
        self.means.append(model.bn.running_mean.clone())


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    work_dir = tmp_path_factory.mktemp('ema')
    runner = build_runner(toy_cfg(work_dir))
    snap = _Snapshot()
    runner.register_hook(snap)
    runner.train()
    return runner, snap, str(work_dir)


def test_ema_hook_matches_closed_form(trained):
    runner, snap, work_dir = trained
    (hook, ) = [h for h in runner.hooks if hasattr(h, 'ema_model')]
    ema = hook.ema_model
    assert isinstance(ema, ExpMomentumEMA) and int(ema.steps) == 12
    for ours, seen in (('linear.weight', snap.weights),
                       ('bn.running_mean', snap.means)):  # update_buffers
        expected = _closed_form(seen, 0.01, 4)
        torch.testing.assert_close(
            ema.module.state_dict()[ours].double(), expected, rtol=0,
            atol=1e-6)
    # the checkpoint's state_dict holds the EMA weights, ema_state_dict the
    # raw ones; safe loading gives both
    ckpt = ckpt_io.load_checkpoint(osp.join(work_dir, 'epoch_3.pth'))
    torch.testing.assert_close(
        ckpt['state_dict']['linear.weight'].double(),
        _closed_form(snap.weights, 0.01, 4), rtol=0, atol=1e-6)
    torch.testing.assert_close(ckpt['ema_state_dict']['module.linear.weight'],
                               snap.weights[-1])
    assert ckpt_io.get_state_dict(ckpt) is ckpt['state_dict']


@pytest.mark.parametrize('with_ema_hook', [True, False])
def test_testing_a_checkpoint_evaluates_the_ema_weights(
        trained, tmp_path, with_ema_hook):
    _, snap, work_dir = trained
    cfg = toy_cfg(
        tmp_path,
        ema=with_ema_hook,
        load_from=osp.join(work_dir, 'epoch_3.pth'),
        test_dataloader=dict(
            batch_size=4,
            num_workers=0,
            sampler=dict(type='DefaultSampler', shuffle=False),
            dataset=dict(type='ToyDataset',
                         pipeline=stage_pipeline(1, jitter=False))),
        test_cfg=dict(),
        test_evaluator=dict(type='ToyWeightMetric'))
    metrics = build_runner(cfg).test()
    expected = _closed_form(snap.weights, 0.01, 4).sum().item()
    assert metrics['weight_sum'] == pytest.approx(expected, abs=1e-5)
    assert abs(snap.weights[-1].sum().item() - expected) > 1e-3
