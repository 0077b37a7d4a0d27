"""Two processes x batch 3 (gloo on CPU, spawned here) train, checkpoint,
resume and validate as one process x batch 6 does (all on CPU, CUDA hidden).

The case covered is the CPU one: ``norm_cfg=dict(type='SyncBN')`` builds
rtmpose's :class:`SyncBatchNorm`, which all-reduces the batch statistics
over gloo, so the BatchNorm of each process normalises over the 6 samples of
both, as the single process does (with plain BN each would use its own 3:
the loss curves then differ by up to 42% on this toy). A distributed CUDA
run trains with torch's ``nn.SyncBatchNorm`` instead
(``PoseRunner.wrap_model`` converts the layers); these tests hide CUDA and
do not run that case.

The toy: 12 samples of 4 numbers, Linear(4, 8) -> SyncBN -> ReLU ->
Linear(8, 1), SGD with momentum, 3 epochs of 2 iterations, validation on
all 12 samples after each epoch. The config's ``dist_cfg`` names nccl, as
the published configs do: without CUDA the runner uses gloo.
"""
import glob
import math
import os
import os.path as osp
import socket

import numpy as np
import pytest
import torch
import torch.multiprocessing as mp
from mmcv.cnn import build_norm_layer
from mmengine.config import Config
from mmengine.dataset import BaseDataset
from mmengine.evaluator import BaseMetric
from mmengine.hooks import Hook
from mmengine.model import BaseModel
from torch import nn

from rtmpose.checkpoint import load_checkpoint
from rtmpose.engine import PoseRunner
from rtmpose.registry import DATASETS, METRICS, MODELS, TRANSFORMS

RUNTIME = osp.join(osp.dirname(osp.dirname(osp.dirname(osp.abspath(
    __file__)))), 'configs', '_base_', 'default_runtime.py')
NUM_SAMPLES, EPOCHS = 12, 3


@DATASETS.register_module(force=True)
class DistToyDataset(BaseDataset):
    """Features of different scales and offsets, so that BN matters."""

    def __init__(self, pipeline=(), test_mode=False):
        super().__init__(pipeline=list(pipeline), test_mode=test_mode,
                         serialize_data=False)

    def load_data_list(self):
        rng = np.random.RandomState(0)
        x = (rng.randn(NUM_SAMPLES, 4) * [1., 2., .5, 3.] +
             [1., -1., 0., 2.]).astype(np.float32)
        y = np.tanh(x @ np.array([1., -.5, .5, .3], np.float32))[:, None]
        return [dict(x=x[i], y=y[i], idx=i) for i in range(NUM_SAMPLES)]


@TRANSFORMS.register_module(force=True)
class DistToyPack:

    def __call__(self, results):
        return dict(inputs=torch.from_numpy(results['x']),
                    target=torch.from_numpy(results['y']), idx=results['idx'])


@MODELS.register_module(force=True)
class DistToyModel(BaseModel):
    """Records, per training batch, the sample indices and the loss."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        _, self.bn = build_norm_layer(dict(type='SyncBN'), 8)
        self.fc2 = nn.Linear(8, 1)
        self.seen, self.losses = [], []

    def forward(self, inputs, target, idx, mode='tensor'):
        pred = self.fc2(torch.relu(self.bn(self.fc1(torch.stack(inputs)))))
        errors = ((pred - torch.stack(target))**2).squeeze(1)
        if mode == 'loss':
            loss = errors.mean()
            self.seen.append(list(idx))
            self.losses.append(float(loss.detach()))
            return dict(loss=loss)
        return [dict(idx=i, error=float(e)) for i, e in zip(idx, errors)]


@METRICS.register_module(force=True)
class DistToyMetric(BaseMetric):
    """The mean squared error over the samples of all processes, and how
    many there were."""

    def process(self, data_batch, data_samples):
        self.results.extend(data_samples)

    def compute_metrics(self, results):
        return dict(mse=math.fsum(r['error'] for r in results) / len(results),
                    count=len(results),
                    distinct=len({r['idx'] for r in results}))


def _cfg(work_dir, batch_size, launcher='none', resume_from=None):
    name = osp.basename(work_dir)
    cfg = Config.fromfile(RUNTIME)
    cfg.merge_from_dict(dict(
        work_dir=work_dir, launcher=launcher,
        model=dict(type='DistToyModel'),
        train_dataloader=dict(
            batch_size=batch_size, num_workers=0,
            sampler=dict(type='DefaultSampler', shuffle=True),
            dataset=dict(type='DistToyDataset',
                         pipeline=[dict(type='DistToyPack')])),
        val_dataloader=dict(
            batch_size=4, num_workers=0,
            sampler=dict(type='DefaultSampler', shuffle=False,
                         round_up=False),
            dataset=dict(type='DistToyDataset', test_mode=True,
                         pipeline=[dict(type='DistToyPack')])),
        val_evaluator=dict(type='DistToyMetric'),
        train_cfg=dict(max_epochs=EPOCHS, val_interval=1), test_cfg=None,
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1, momentum=0.9)),
        default_hooks=dict(
            checkpoint=dict(interval=1), logger=dict(interval=1),
            console=None, results_plot=None, startup_check=None),
        randomness=dict(seed=3),
        experiment_name=name, visualizer=dict(name=name),
        log_level='INFO', verbose=False))
    if resume_from:
        cfg.merge_from_dict(dict(resume=True, load_from=resume_from))
    return cfg


def _train(cfg) -> dict:
    """Train; what this process saw and ended with."""
    runner = PoseRunner.from_cfg(cfg)
    metrics = []
    runner.register_hook(_MetricRecorder(metrics), 'LOWEST')
    runner.train()
    model = runner.model.module if hasattr(runner.model, 'module') \
        else runner.model
    return dict(seen=model.seen, losses=model.losses, metrics=metrics,
                state={k: v.clone() for k, v in model.state_dict().items()},
                norm_type=type(model.bn).__name__)


class _MetricRecorder(Hook):

    def __init__(self, out):
        self.out = out

    def after_val_epoch(self, runner, metrics=None):
        self.out.append(dict(metrics))


def _worker(rank: int, port: int, tmp: str) -> None:
    torch.set_num_threads(1)
    runs = {}
    if rank == 0:  # the reference: one process x batch 6
        runs['one'] = _train(_cfg(osp.join(tmp, 'one'), 6))
    os.environ.update(RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE='2',
                      MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
    runs['run'] = _train(_cfg(osp.join(tmp, 'two'), 3, 'pytorch'))
    runs['resumed'] = _train(
        _cfg(osp.join(tmp, 'resumed'), 3, 'pytorch',
             resume_from=osp.join(tmp, 'two', 'epoch_1.pth')))
    torch.save(runs, osp.join(tmp, f'rank{rank}.pt'))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.fixture(scope='module')
def runs(tmp_path_factory):
    """Two spawned processes: rank 0 first trains one process x batch 6
    alone; then both train x batch 3, and again resumed from the first
    run's epoch-1 checkpoint. CUDA is hidden from them: the CPU case, also
    on a GPU machine."""
    tmp = str(tmp_path_factory.mktemp('dist'))
    visible = os.environ.get('CUDA_VISIBLE_DEVICES')
    os.environ['CUDA_VISIBLE_DEVICES'] = ''  # inherited by the processes
    try:
        mp.start_processes(_worker, args=(_free_port(), tmp), nprocs=2,
                           start_method='spawn')
    finally:
        if visible is None:
            del os.environ['CUDA_VISIBLE_DEVICES']
        else:
            os.environ['CUDA_VISIBLE_DEVICES'] = visible
    ranks = [torch.load(osp.join(tmp, f'rank{r}.pt'), weights_only=False)
             for r in range(2)]
    return tmp, ranks[0].pop('one'), ranks


def test_same_batches_and_loss_curve(runs):
    _, one, ranks = runs
    two = [r['run'] for r in ranks]
    assert one['norm_type'] == two[0]['norm_type'] == 'SyncBatchNorm'
    iters = EPOCHS * NUM_SAMPLES // 6
    assert len(one['seen']) == len(two[0]['seen']) == iters
    # the sampler splits each batch of 6 between the ranks
    for step in range(iters):
        a, b = two[0]['seen'][step], two[1]['seen'][step]
        assert not set(a) & set(b)
        assert sorted(a + b) == sorted(one['seen'][step])
    # the loss of batch 6 is the mean of the two batch-3 losses
    mean_loss = np.mean([two[0]['losses'], two[1]['losses']], axis=0)
    np.testing.assert_allclose(mean_loss, one['losses'], rtol=1e-5)
    # the weights move: a curve, not a constant
    assert one['losses'][-1] < 0.5 * one['losses'][0]


def test_weights_and_bn_statistics_match(runs):
    _, one, ranks = runs
    two = [r['run'] for r in ranks]
    for key, value in one['state'].items():
        # every rank holds the same weights and BN running statistics
        assert torch.equal(two[0]['state'][key], two[1]['state'][key]), key
        torch.testing.assert_close(two[0]['state'][key], value, rtol=1e-5,
                                   atol=1e-6, msg=key)
    assert int(one['state']['bn.num_batches_tracked']) == EPOCHS * 2


def test_validation_gathers_all_samples(runs):
    _, one, ranks = runs
    two = [r['run'] for r in ranks]
    assert len(one['metrics']) == len(two[0]['metrics']) == EPOCHS
    for epoch in range(EPOCHS):
        m0, m1 = two[0]['metrics'][epoch], two[1]['metrics'][epoch]
        assert m0 == m1  # rank 0's metrics, broadcast to every rank
        assert m0['count'] == m0['distinct'] == NUM_SAMPLES
        assert m0['mse'] == pytest.approx(one['metrics'][epoch]['mse'],
                                          rel=1e-5)


def test_checkpoints_and_resume(runs):
    tmp, _, ranks = runs
    two = [r['run'] for r in ranks]
    work_dir = osp.join(tmp, 'two')
    # rank 0 saved each epoch once, atomically (no temporary files left),
    # and the config
    files = [f for f in os.listdir(work_dir)
             if osp.isfile(osp.join(work_dir, f))]
    assert sorted(files) == ['default_runtime.py', 'epoch_1.pth',
                             'epoch_2.pth', 'epoch_3.pth', 'last_checkpoint']
    # one log file: rank 0's
    assert len(glob.glob(osp.join(work_dir, '*', '*.log'))) == 1
    ckpt = load_checkpoint(osp.join(work_dir, f'epoch_{EPOCHS}.pth'))
    for key, value in two[0]['state'].items():
        assert torch.equal(ckpt['state_dict'][key], value), key
    # resumed from epoch 1 on both ranks: the same epochs 2-3 and weights
    for rank in ranks:
        resumed, run = rank['resumed'], rank['run']
        assert resumed['losses'] == run['losses'][2:]
        assert resumed['metrics'] == run['metrics'][1:]
        for key, value in run['state'].items():
            assert torch.equal(resumed['state'][key], value), key
