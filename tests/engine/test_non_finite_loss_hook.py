"""NonFiniteLossHook: a NaN / inf loss stops training at that iteration
before the step, naming the iteration and the loss terms, and the previous
checkpoint stays as it was; or the step is skipped up to N times."""
import hashlib
import os
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from toy_training import one_thread  # noqa: F401 (autouse fixture)
from toy_training import CallAt, build_runner, stage_pipeline, toy_cfg

from rtmpose import checkpoint as ckpt_io
from rtmpose.engine import PoseRunner
from rtmpose.engine.hooks import NonFiniteLossError, NonFiniteLossHook
from rtmpose.registry import TRANSFORMS

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEMO = osp.join(ROOT, 'configs/demo/rtmpose-t_demo.py')
POISONED = 5  # sample index whose target is NaN


@TRANSFORMS.register_module(force=True)
class ToyPoison:

    def __call__(self, results):
        if results['idx'] == POISONED:
            results['y'] = np.full_like(results['y'], np.nan)
        return results


def _sha(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def _demo_cfg(tmp_path, lr):
    cfg = Config.fromfile(DEMO)
    cfg.merge_from_dict({
        'train_dataloader.dataset.data_root': str(tmp_path / 'data'),
        'train_dataloader.dataset.synthetic_cfg': dict(
            num_train_images=12, num_val_images=4, seed=0),
        'train_dataloader.num_workers': 0,
        'train_dataloader.persistent_workers': False,
        'train_dataloader.batch_size': 4,
        'optim_wrapper.optimizer.lr': lr,
        'train_cfg.max_epochs': 2,
        'default_hooks.checkpoint': dict(
            type='CheckpointHook', by_epoch=False, interval=1,
            max_keep_ckpts=1),
        'work_dir': str(tmp_path / 'work'),
        'log_level': 'WARNING'})
    for key in ('val', 'test'):
        for part in ('dataloader', 'cfg', 'evaluator'):
            cfg[f'{key}_{part}'] = None
    return cfg


def test_lr_1e6_stops_at_the_first_nan_with_checkpoint_intact(tmp_path):
    runner = PoseRunner.from_cfg(_demo_cfg(tmp_path, lr=1e6))
    written = {}

    def record(runner):
        last = runner.message_hub.get_info('last_ckpt')
        written[osp.basename(last)] = _sha(last)

    runner.register_hook(CallAt(runner.iter + 1, record, priority='LOWEST'))
    with pytest.raises(NonFiniteLossError,
                       match=r'iteration 2 \(epoch 1\): non-finite loss: '
                       r'loss=nan, loss_kpt=nan') as err:
        runner.train()
    assert 'no checkpoint was written' in str(err.value)
    assert 'iter_1.pth' in str(err.value)
    work = tmp_path / 'work'
    assert sorted(n for n in os.listdir(work) if n.endswith('.pth')) == [
        'iter_1.pth']
    assert written == {'iter_1.pth': _sha(work / 'iter_1.pth')}
    ckpt = ckpt_io.load_checkpoint(str(work / 'iter_1.pth'))
    assert int(ckpt['meta']['iter']) == 1
    assert all(torch.isfinite(v).all() for v in ckpt['state_dict'].values()
               if v.is_floating_point())
    # the step of iteration 2 was not taken: the parameters are iteration
    # 1's (with EMAHook the checkpoint keeps the raw ones in ema_state_dict)
    raw = ckpt['ema_state_dict']
    params = dict(runner.model.named_parameters())
    assert params
    for name, value in params.items():
        torch.testing.assert_close(value.detach(), raw[f'module.{name}'],
                                   rtol=0, atol=0)


def _poisoned_cfg(tmp_path, **hook):
    pipeline = stage_pipeline(1)
    pipeline.insert(-1, dict(type='ToyPoison'))
    cfg = toy_cfg(tmp_path, ema=False, switch_epoch=3,
                  train_dataloader=dict(
                      batch_size=3, num_workers=0,
                      sampler=dict(type='DefaultSampler', shuffle=True),
                      dataset=dict(type='ToyDataset', pipeline=pipeline)))
    # default_runtime.py declares the hook: a config changes it by name
    cfg.default_hooks.non_finite_loss.update(hook)
    return cfg


def test_skip_drops_the_step_up_to_max_skips(tmp_path):
    runner = build_runner(_poisoned_cfg(tmp_path, action='skip',
                                        max_skips=3))
    hooks = [h for h in runner.hooks if isinstance(h, NonFiniteLossHook)]
    assert len(hooks) == 1 and hooks[0].max_skips == 3
    runner.train()
    assert hooks[0].skipped == 3  # the poisoned sample once per epoch
    assert len(runner.model.seen) == 12
    assert all(torch.isfinite(v).all()
               for v in runner.model.state_dict().values())


def test_skip_then_stop_after_max_skips(tmp_path):
    runner = build_runner(_poisoned_cfg(tmp_path, action='skip',
                                        max_skips=2))
    with pytest.raises(NonFiniteLossError, match=r'2 step\(s\) skipped'):
        runner.train()
    batches = [idx for idx, _ in runner.model.seen]
    poisoned = [i for i, idx in enumerate(batches) if POISONED in idx]
    assert len(poisoned) == 3 and len(batches) == poisoned[-1] + 1


def test_stop_is_the_default_and_arguments_are_checked(tmp_path):
    runner = build_runner(_poisoned_cfg(tmp_path))
    with pytest.raises(NonFiniteLossError, match=r'loss=nan'):
        runner.train()
    assert sum(POISONED in idx for idx, _ in runner.model.seen) == 1
    with pytest.raises(ValueError, match='action'):
        NonFiniteLossHook(action='ignore')
    with pytest.raises(ValueError, match='max_skips'):
        NonFiniteLossHook(action='skip', max_skips=-1)
