"""A toy model, dataset and transforms that run through PoseRunner in about a
second: 12 samples of 4 numbers, batch 3 -> 4 iterations per epoch.

The model records, for every training batch, the sample indices and the
pipeline stage that made them (``model.seen``), so tests can check the
sample order and the two-stage switch; ``ToyJitter`` draws from python's
and numpy's global generators and the model's dropout from torch's, so the
weights depend on every random state a resume has to restore.
"""
import itertools
import os.path as osp
import random

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import BaseDataset
from mmengine.evaluator import BaseMetric
from mmengine.hooks import Hook
from mmengine.model import BaseModel
from torch import nn

from rtmpose.engine import PoseRunner
from rtmpose.registry import DATASETS, METRICS, MODELS, TRANSFORMS

RUNTIME = osp.join(osp.dirname(osp.dirname(osp.dirname(osp.abspath(
    __file__)))), 'configs', '_base_', 'default_runtime.py')

NUM_SAMPLES, BATCH_SIZE = 12, 3
_RUN_IDS = itertools.count()
ITERS_PER_EPOCH = NUM_SAMPLES // BATCH_SIZE


@pytest.fixture(scope='module', autouse=True)
def one_thread():
    """Tiny tensors on a busy 2-core machine: one thread is 5x faster."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@DATASETS.register_module(force=True)
class ToyDataset(BaseDataset):

    def __init__(self, pipeline=(), test_mode=False):
        super().__init__(pipeline=list(pipeline), test_mode=test_mode,
                         serialize_data=False)

    def load_data_list(self):
        rng = np.random.RandomState(0)
        x = rng.randn(NUM_SAMPLES, 4).astype(np.float32)
        y = x @ np.array([1., -2., .5, 3.], np.float32) + 0.1
        return [dict(x=x[i], y=y[i:i + 1], idx=i) for i in range(NUM_SAMPLES)]


@TRANSFORMS.register_module(force=True)
class ToyStage:
    """Tag the sample with the pipeline stage that made it."""

    def __init__(self, stage):
        self.stage = stage

    def __call__(self, results):
        results['stage'] = self.stage
        return results


@TRANSFORMS.register_module(force=True)
class ToyJitter:
    """Random noise from python's and numpy's global generators."""

    def __call__(self, results):
        noise = np.random.randn(4).astype(np.float32) * 0.1
        results['x'] = results['x'] + noise * random.random()
        return results


@TRANSFORMS.register_module(force=True)
class ToyPack:

    def __call__(self, results):
        return dict(
            inputs=torch.from_numpy(np.asarray(results['x'])),
            target=torch.from_numpy(np.asarray(results['y'])),
            idx=results['idx'],
            stage=results.get('stage', 0))


@MODELS.register_module(force=True)
class ToyModel(BaseModel):

    def __init__(self, dropout=0.2):
        super().__init__()
        self.bn = nn.BatchNorm1d(4)
        self.drop = nn.Dropout(dropout)
        self.linear = nn.Linear(4, 1)
        self.seen = []  # (sample indices, stages) per training batch

    def forward(self, inputs, target, idx, stage, mode='tensor'):
        x = torch.stack(inputs)
        pred = self.linear(self.drop(self.bn(x)))
        if mode == 'loss':
            self.seen.append((list(idx), list(stage)))
            return dict(loss=((pred - torch.stack(target))**2).mean())
        # predict: every sample reports the weights it was evaluated with
        return [self.linear.weight.detach().clone() for _ in inputs]


@METRICS.register_module(force=True)
class ToyWeightMetric(BaseMetric):
    """Reports the sum of the linear weights the model evaluated with."""

    def process(self, data_batch, data_samples):
        self.results.extend(float(w.sum()) for w in data_samples)

    def compute_metrics(self, results):
        return dict(weight_sum=results[0])


class CallAt(Hook):
    """Call ``fn(runner)`` after training iteration ``at`` (1-based)."""

    priority = 'LOW'  # before the checkpoint hooks of that iteration

    def __init__(self, at, fn, priority='LOW'):
        self.at, self.fn, self.priority = at, fn, priority

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if runner.iter + 1 == self.at:
            self.fn(runner)


def stage_pipeline(stage, jitter=True):
    return [dict(type='ToyStage', stage=stage)] + (
        [dict(type='ToyJitter')] if jitter else []) + [dict(type='ToyPack')]


def toy_cfg(work_dir, max_epochs=3, switch_epoch=2, num_workers=0,
            jitter=True, ema=True, custom_hooks=(), **kwargs):
    """A config with the whole recipe: AdamW, warm-up + flat + cosine, EMA,
    two-stage pipeline."""
    hooks = [
        dict(type='PipelineSwitchHook', switch_epoch=switch_epoch,
             switch_pipeline=stage_pipeline(2, jitter))
    ]
    if ema:
        hooks.append(
            dict(type='EMAHook', ema_type='ExpMomentumEMA', momentum=0.01,
                 gamma=4, update_buffers=True, priority=49))
    # mmengine keys its logger, message hub and visualizer by name (the
    # experiment's timestamp by default): runs in the same second must not
    # share them.
    name = f'{osp.basename(str(work_dir))}-{next(_RUN_IDS)}'
    cfg = Config.fromfile(RUNTIME)  # the loop and hooks every config gets
    cfg.merge_from_dict(dict(
        work_dir=str(work_dir),
        model=dict(type='ToyModel'),
        train_dataloader=dict(
            batch_size=BATCH_SIZE,
            num_workers=num_workers,
            persistent_workers=num_workers > 0,
            sampler=dict(type='DefaultSampler', shuffle=True),
            dataset=dict(type='ToyDataset',
                         pipeline=stage_pipeline(1, jitter))),
        train_cfg=dict(max_epochs=max_epochs),
        val_cfg=None, test_cfg=None,  # no validation unless a test adds it
        optim_wrapper=dict(optimizer=dict(
            type='AdamW', lr=0.05, weight_decay=0.01)),
        param_scheduler=[
            dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0,
                 end=3),
            dict(type='CosineAnnealingLR', eta_min=0.005, begin=1,
                 end=max_epochs, T_max=max_epochs - 1, by_epoch=True,
                 convert_to_iter_based=True),
        ],
        default_hooks=dict(
            checkpoint=dict(type='CheckpointHook', interval=1),
            logger=dict(type='LoggerHook', interval=1),
            console=None, results_plot=None),
        custom_hooks=hooks + list(custom_hooks),
        randomness=dict(seed=7),
        experiment_name=name,
        visualizer=dict(name=name),
        env_cfg=dict(mp_cfg=dict(mp_start_method='fork')),
        log_level='WARNING', verbose=True))
    cfg.update(kwargs)
    return cfg


def build_runner(cfg) -> PoseRunner:
    return PoseRunner.from_cfg(cfg)


def final_state(runner) -> dict:
    """Model weights (raw, not EMA) and the EMA weights at the end."""
    model = runner.model
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    for hook in runner.hooks:
        if hasattr(hook, 'ema_model'):
            state.update({f'ema.{k}': v.detach().clone()
                          for k, v in hook.ema_model.state_dict().items()})
    return state
