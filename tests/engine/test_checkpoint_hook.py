"""AtomicCheckpointHook: a kill -9 at any point of a save leaves a checkpoint
that --resume finds and continues from exactly; retention per hook; the old
best is deleted only after the new one is written."""
import os
import os.path as osp

import pytest
import torch
from mmengine.evaluator import BaseMetric
from toy_train_process import process_cfg, run, start, wait_ready
from toy_training import one_thread  # noqa: F401 (autouse fixture)
from toy_training import CallAt, build_runner, final_state, toy_cfg

from rtmpose import checkpoint as ckpt_io
from rtmpose.engine.hooks import AtomicCheckpointHook
from rtmpose.registry import METRICS


@pytest.fixture(scope='module')
def uninterrupted(tmp_path_factory):
    runner = build_runner(process_cfg(tmp_path_factory.mktemp('full')))
    runner.train()
    return final_state(runner)


def _assert_same(state, expected):
    assert state.keys() == expected.keys()
    for key, value in expected.items():
        torch.testing.assert_close(state[key].double(), value.double(),
                                   rtol=0, atol=1e-6,
                                   msg=lambda m: f'{key}: {m}')


def _checkpoints(folder):
    return sorted(n for n in os.listdir(folder) if n.endswith('.pth'))


def _last_checkpoint(folder):
    with open(osp.join(folder, 'last_checkpoint')) as f:
        return f.read()


@pytest.mark.parametrize(
    'block, resumed_from, on_disk, stale_log',
    [
        # iter_6 written and fsynced under its temporary name, not renamed
        (('--block-replace', 'iter_6.pth'), 'iter_4.pth', ['iter_4.pth'],
         'removed 1 temporary file(s)'),
        # iter_6 renamed, last_checkpoint not yet updated
        (('--block-replace', 'last_checkpoint:3'), 'iter_4.pth',
         ['iter_4.pth', 'iter_6.pth'], 'removed 1 temporary file(s)'),
        # iter_6 and last_checkpoint done, iter_4 about to be deleted
        (('--block-remove', 'iter_4.pth'), 'iter_6.pth',
         ['iter_4.pth', 'iter_6.pth'], None),
    ])
def test_kill_9_during_a_save_resumes_exactly(tmp_path, uninterrupted, block,
                                              resumed_from, on_disk,
                                              stale_log):
    work = tmp_path / 'work'
    proc = start(work, *block)
    wait_ready(proc, work)
    proc.kill()  # SIGKILL
    proc.communicate()
    assert _checkpoints(work) == on_disk
    assert osp.basename(_last_checkpoint(work)) == resumed_from
    done = ckpt_io.load_checkpoint(_last_checkpoint(work))['meta']['iter']
    assert int(done) == int(resumed_from[5:-4])

    out = run(work, '--resume', '--out', tmp_path / 'final.pt')
    if stale_log:
        assert stale_log in out
    assert 'temporary file' not in out or stale_log
    _assert_same(torch.load(tmp_path / 'final.pt'), uninterrupted)
    # the retired iter_4 of the killed run is gone too
    assert _checkpoints(work) == ['iter_12.pth']
    assert not [n for n in os.listdir(work) if n.endswith('.part')]


def _crash(runner):
    raise RuntimeError('simulated crash')


def test_each_hook_keeps_its_own_list_across_resume(tmp_path):
    iter_hook = dict(type='CheckpointHook', by_epoch=False, interval=2,
                     max_keep_ckpts=1)

    def cfg(**kwargs):
        cfg = toy_cfg(tmp_path, custom_hooks=[iter_hook], **kwargs)
        cfg.default_hooks.checkpoint.max_keep_ckpts = 1
        return cfg

    cut = build_runner(cfg())
    assert sum(isinstance(h, AtomicCheckpointHook) for h in cut.hooks) == 2
    cut.register_hook(CallAt(7, _crash))
    with pytest.raises(RuntimeError, match='simulated'):
        cut.train()
    assert _checkpoints(tmp_path) == ['epoch_1.pth', 'iter_6.pth']
    hub = ckpt_io.load_checkpoint(str(tmp_path / 'iter_6.pth'))[
        'message_hub']['runtime_info']
    assert hub['keep_ckpt_ids:iter_{}.pth'] == [6]
    assert hub['keep_ckpt_ids:epoch_{}.pth'] == [1]
    build_runner(cfg(resume=True)).train()
    assert _checkpoints(tmp_path) == ['epoch_3.pth', 'iter_12.pth']


@METRICS.register_module(force=True)
class ToyRisingMetric(BaseMetric):
    """1, 2, 3, ... at successive evaluations: every epoch is a new best."""

    calls = 0

    def process(self, data_batch, data_samples):
        self.results.append(0)

    def compute_metrics(self, results):
        type(self).calls += 1
        return dict(score=float(type(self).calls))


def test_old_best_is_deleted_after_the_new_best_is_written(tmp_path,
                                                           monkeypatch):
    cfg = toy_cfg(tmp_path, ema=False)
    cfg.default_hooks.checkpoint = dict(
        type='CheckpointHook', interval=1, max_keep_ckpts=1,
        save_best='score', rule='greater')
    cfg.update(dict(
        val_dataloader=dict(batch_size=3, num_workers=0,
                            sampler=dict(type='DefaultSampler',
                                         shuffle=False),
                            dataset=cfg.train_dataloader.dataset),
        val_evaluator=dict(type='ToyRisingMetric'),
        val_cfg=dict(), train_cfg=dict(max_epochs=3,
                                       val_interval=1)))
    seen = []
    remove = os.remove

    def spying_remove(path):
        name = osp.basename(path)
        seen.append((name, _checkpoints(tmp_path),
                     osp.basename(_last_checkpoint(tmp_path))))
        remove(path)

    monkeypatch.setattr(os, 'remove', spying_remove)
    build_runner(cfg).train()
    monkeypatch.undo()
    retired = [s for s in seen if s[0].startswith('best_')]
    assert [s[0] for s in retired] == ['best_score_epoch_1.pth',
                                       'best_score_epoch_2.pth']
    for name, on_disk, last in retired:
        n = int(name[-5])
        # the next best and the checkpoint that records it exist already
        assert f'best_score_epoch_{n + 1}.pth' in on_disk
        assert last == f'epoch_{n + 1}.pth'
    assert _checkpoints(tmp_path) == ['best_score_epoch_3.pth',
                                      'epoch_3.pth']


def test_checkpoint_hook_names_and_the_mmengine_warning(tmp_path):
    """In the rtmpose scope the reference configs' ``CheckpointHook`` is the
    atomic one; mmengine's, asked for by its scoped name, is kept as
    declared and the start-up check warns about it."""
    from mmengine.hooks import CheckpointHook
    from rtmpose.engine.hooks.startup_check_hook import hook_list_problems
    runner = build_runner(toy_cfg(tmp_path))
    saving = [h for h in runner.hooks if isinstance(h, CheckpointHook)]
    assert [type(h) for h in saving] == [AtomicCheckpointHook]
    assert hook_list_problems(runner.hooks) == []
    cfg = toy_cfg(tmp_path / 'mm')
    cfg.default_hooks.checkpoint.type = 'mmengine.CheckpointHook'
    runner = build_runner(cfg)
    saving = [h for h in runner.hooks if isinstance(h, CheckpointHook)]
    assert [type(h) for h in saving] == [CheckpointHook]
    problems = hook_list_problems(runner.hooks)
    assert len(problems) == 1 and 'AtomicCheckpointHook' in problems[0]


def test_resume_from_a_missing_file_names_what_is_there(tmp_path):
    cut = build_runner(toy_cfg(tmp_path))
    cut.register_hook(CallAt(5, _crash))
    with pytest.raises(RuntimeError, match='simulated'):
        cut.train()
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'iter_99.pth'))
    with pytest.raises(FileNotFoundError, match=r'iter_99.pth does not '
                       r'exist; the newest checkpoint in .* is .*epoch_1.pth'):
        build_runner(toy_cfg(tmp_path, resume=True)).train()
