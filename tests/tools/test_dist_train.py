"""tools/dist_train.sh: 2 processes, gloo on CPU, a tiny RTMPose with the
whole recipe (EMA, two stages, flat-cosine); and tools/slurm_train.sh's
srun command line."""
import json
import os
import os.path as osp
import socket
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmengine.model import BaseModel
from torch import nn

from rtmpose import checkpoint as ckpt_io
from rtmpose.apis import init_model
from rtmpose.engine import PoseRunner

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

TINY_CONFIG = """
_base_ = ['{root}/configs/rtmpose/coco/rtmpose-t_8xb256-420e_coco-256x192.py']
max_epochs = 2
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=2),
    dict(type='CosineAnnealingLR', eta_min=1e-4, begin=1, end=max_epochs,
         T_max=1, by_epoch=True, convert_to_iter_based=True),
]
codec = dict(type='SimCCLabel', input_size=(64, 64), sigma=(2.8, 2.8),
             simcc_split_ratio=2.0, normalize=False, use_dark=False)
# the backbone keeps the base's SyncBN: synchronised over gloo; random init
# (offline)
model = dict(backbone=dict(init_cfg=None),
             head=dict(input_size=codec['input_size'],
                       in_featuremap_size=(2, 2), decoder=codec))
train_pipeline = [
    dict(type='LoadImage'), dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='GenerateTarget', encoder=codec), dict(type='PackPoseInputs')]
train_pipeline_stage2 = [
    dict(type='LoadImage'), dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='GenerateTarget', encoder=codec), dict(type='PackPoseInputs')]
val_pipeline = [
    dict(type='LoadImage'), dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='PackPoseInputs')]
data_root = '{data_root}/'
synthetic_cfg = dict(num_train_images=8, num_val_images=4,
                     image_size=(160, 120))
dataset = dict(type='SyntheticCocoDataset', data_root=data_root,
               synthetic_cfg=synthetic_cfg)
train_dataloader = dict(
    _delete_=True, batch_size=4, num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(dataset, ann_file='annotations/person_keypoints_train.json',
                 data_prefix=dict(img='images/train/'),
                 pipeline=train_pipeline))
val_dataloader = dict(
    _delete_=True, batch_size=8, num_workers=0, drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
    dataset=dict(dataset, ann_file='annotations/person_keypoints_val.json',
                 data_prefix=dict(img='images/val/'), test_mode=True,
                 pipeline=val_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(
    type='CocoMetric',
    ann_file=data_root + 'annotations/person_keypoints_val.json')
test_evaluator = val_evaluator
custom_hooks = [
    dict(type='EMAHook', ema_type='ExpMomentumEMA', momentum=0.0002,
         update_buffers=True, priority=49),
    dict(type='PipelineSwitchHook', switch_epoch=1,
         switch_pipeline=train_pipeline_stage2)]
default_hooks = dict(logger=dict(interval=1), checkpoint=dict(interval=1))
"""


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def test_two_process_gloo_training(tmp_path):
    config = str(tmp_path / 'tiny_rtmpose.py')
    with open(config, 'w') as f:
        f.write(TINY_CONFIG.format(root=ROOT, data_root=tmp_path / 'data'))
    work_dir = str(tmp_path / 'work')
    env = dict(os.environ, PORT=str(_free_port()), OMP_NUM_THREADS='1',
               PYTHONPATH=ROOT, PYTHON=sys.executable,
               CUDA_VISIBLE_DEVICES='')  # the CPU (gloo) case
    proc = subprocess.run(
        ['bash', osp.join(ROOT, 'tools/dist_train.sh'), config, '2',
         '--work-dir', work_dir, '-v'],  # the whole log on the console
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-4000:]
    assert log.count('no CUDA: using the gloo backend, not nccl') == 1
    # CSPNeXt takes its CPU training layout before DDP wraps it
    assert 'Grad strides do not match' not in log
    assert 'Distributed training: True' in log and 'GPU number: 2' in log
    assert 'total batch size 8 (2 process(es) x 4) differs' in log
    with open(tmp_path / 'data/annotations/person_keypoints_train.json') as f:
        people = len(json.load(f)['annotations'])
    per_epoch = -(-(-(-people // 2)) // 4)  # ceil(ceil(people / 2) / 4)
    assert f'Epoch(train) [2][{per_epoch}/{per_epoch}]' in log
    assert 'switched the training pipeline' in log
    assert 'coco/AP' in log

    # rank 0 wrote the checkpoint; all of it loads safely
    ckpt = ckpt_io.load_checkpoint(osp.join(work_dir, 'epoch_2.pth'))
    assert ckpt['meta']['epoch'] == 2 and ckpt['meta']['iter'] == 2 * per_epoch
    sigmas = ckpt['meta']['dataset_meta']['sigmas']
    assert isinstance(sigmas, np.ndarray) and sigmas.shape == (17, )
    assert int(ckpt['ema_state_dict']['steps']) == 2 * per_epoch
    model = init_model(config, osp.join(work_dir, 'epoch_2.pth'))
    key = 'head.cls_x.weight'
    assert torch.equal(model.state_dict()[key], ckpt['state_dict'][key])
    # state_dict holds the EMA weights, not the raw ones
    assert not torch.equal(ckpt['state_dict'][key],
                           ckpt['ema_state_dict'][f'module.{key}'])


def test_slurm_train_command_line(tmp_path):
    """srun is faked: it prints the command it was given."""
    fake = tmp_path / 'srun'
    fake.write_text('#!/usr/bin/env bash\necho "srun $*"\n')
    fake.chmod(0o755)
    env = dict(os.environ, PATH=f'{tmp_path}:{os.environ["PATH"]}')
    script = osp.join(ROOT, 'tools/slurm_train.sh')

    def run(*args):
        out = subprocess.run(['bash', script, *args], env=env, cwd=ROOT,
                             capture_output=True, text=True, timeout=30)
        assert out.returncode == 0, out.stderr
        return out.stdout

    out = run('gpu', 'job1', 'cfg.py', 'work', '16', '--resume')
    assert '-p gpu --job-name=job1 --gres=gpu:8 --ntasks=16 ' \
        '--ntasks-per-node=8' in out
    assert out.strip().endswith(
        'tools/train.py cfg.py --work-dir=work --launcher=slurm --resume')
    out = run('gpu', 'job2', 'cfg.py', 'work', '--amp')  # default 8 GPUs
    assert '--ntasks=8' in out and out.strip().endswith('--amp')
    out = run('gpu', 'job3', 'cfg.py', 'work', '2')
    assert '--gres=gpu:2 --ntasks=2 --ntasks-per-node=2' in out
    with pytest.raises(AssertionError):
        run('gpu', 'job4')  # too few arguments


class _SyncBNModel(BaseModel):

    def __init__(self):
        super().__init__()
        self.bn = nn.SyncBatchNorm(4)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        return self.bn(inputs)


def test_sync_bn_becomes_bn_on_one_process(tmp_path):
    """Configs ask for SyncBN; a single process trains with plain BN."""
    runner = PoseRunner(model=_SyncBNModel(), work_dir=str(tmp_path),
                        default_scope='rtmpose',
                        experiment_name='sync-bn-one-process')
    (bn, ) = [m for m in runner.model.modules()
              if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    assert not isinstance(bn, nn.SyncBatchNorm)
    assert not runner.distributed
