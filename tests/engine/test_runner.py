"""What a run does is declared by its config: ``default_runtime.py`` names the
train loop and the hooks, ``PoseRunner`` registers none of its own."""
import json
import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.runner import EpochBasedTrainLoop
from toy_training import one_thread  # noqa: F401 (autouse fixture)
from toy_training import build_runner, toy_cfg

from rtmpose.engine.hooks import (AtomicCheckpointHook, ConsoleReportHook,
                                  InterruptCheckpointHook, NonFiniteLossHook,
                                  PlainCheckpointHook, ResultsPlotHook,
                                  StartupCheckHook)
from rtmpose.engine.resumable_loop import ResumableEpochBasedTrainLoop

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
GUARDS = dict(checkpoint='AtomicCheckpointHook',
              plain_checkpoint='PlainCheckpointHook',
              startup_check='StartupCheckHook',
              interrupt='InterruptCheckpointHook',
              non_finite_loss='NonFiniteLossHook',
              results_plot='ResultsPlotHook', console='ConsoleReportHook')
OURS = (AtomicCheckpointHook, PlainCheckpointHook, StartupCheckHook,
        InterruptCheckpointHook, NonFiniteLossHook, ResultsPlotHook,
        ConsoleReportHook)


def _declared_again(cfg, *names) -> None:
    """Hooks that ``toy_cfg`` turns off, back as ``default_runtime.py`` has
    them."""
    runtime = Config.fromfile(osp.join(ROOT, 'configs', '_base_',
                                       'default_runtime.py'))
    for name in names:
        cfg.default_hooks[name] = runtime.default_hooks[name]


def _ours(runner) -> list:
    return [type(h) for h in runner.hooks if isinstance(h, OURS)]


def test_default_runtime_declares_the_loop_and_every_guard(tmp_path):
    cfg = toy_cfg(tmp_path)
    _declared_again(cfg, 'console', 'results_plot')
    runner = build_runner(cfg)
    assert isinstance(runner.build_train_loop(runner._train_loop),
                      ResumableEpochBasedTrainLoop)
    # priority order; the interrupt check runs after the checkpoint hook of
    # the same priority, so an interval checkpoint of that iteration exists
    assert _ours(runner) == [
        StartupCheckHook, NonFiniteLossHook, AtomicCheckpointHook,
        PlainCheckpointHook, InterruptCheckpointHook, ResultsPlotHook,
        ConsoleReportHook]


def test_runner_injects_nothing(tmp_path):
    """A config that does not inherit default_runtime.py gets mmengine's
    plain loop and hooks: nothing is added behind its back."""
    cfg = toy_cfg(tmp_path)
    plain = Config(dict(
        cfg.to_dict(), train_cfg=dict(by_epoch=True, max_epochs=2),
        default_hooks=dict(checkpoint=dict(type='mmengine.CheckpointHook'))))
    runner = build_runner(plain)
    assert type(runner.build_train_loop(
        runner._train_loop)) is EpochBasedTrainLoop
    assert _ours(runner) == []


@pytest.mark.parametrize('off', ['interrupt', 'results_plot', 'console',
                                 'non_finite_loss', 'startup_check'])
def test_none_turns_a_declared_hook_off(tmp_path, off):
    cfg = toy_cfg(tmp_path)
    _declared_again(cfg, 'console', 'results_plot')
    cfg.default_hooks[off] = None
    kinds = {h.__name__ for h in _ours(build_runner(cfg))}
    assert kinds == set(GUARDS.values()) - {GUARDS[off]}


@pytest.mark.parametrize('verbose, bar', [(False, True), (True, False)])
def test_console_bar_follows_verbose(tmp_path, verbose, bar):
    cfg = toy_cfg(tmp_path, verbose=verbose)
    cfg.default_hooks.console = dict(type='ConsoleReportHook')
    runner = build_runner(cfg)
    hook, = [h for h in runner.hooks if isinstance(h, ConsoleReportHook)]
    hook.before_run(runner)
    assert hook.progress_bar is bar


def test_every_config_declares_the_loop_and_guards():
    with open(osp.join(ROOT, 'tests', 'configs', 'resolved_configs.json')) as f:
        resolved = json.load(f)
    assert len(resolved) > 40
    for name, cfg in resolved.items():
        assert cfg['train_cfg']['type'] == 'ResumableEpochBasedTrainLoop', \
            name
        assert {key: cfg['default_hooks'][key]['type']
                for key in GUARDS} == GUARDS, name


def test_load_from_is_strict_unless_the_config_says_not(tmp_path):
    import torch
    runner = build_runner(toy_cfg(tmp_path / 'a', ema=False))
    state = dict(runner.model.state_dict(), extra=torch.zeros(1))
    path = str(tmp_path / 'extra.pth')
    torch.save(dict(state_dict=state), path)
    with pytest.raises(RuntimeError, match='1 unexpected'):
        runner.load_checkpoint(path)
    lenient = build_runner(toy_cfg(tmp_path / 'b', ema=False,
                                   load_from_strict=False))
    lenient.load_checkpoint(path)
    assert lenient._has_loaded


def test_reference_style_train_cfg_on_the_declared_loop(tmp_path):
    """mmpose's configs write ``train_cfg = dict(by_epoch=True, ...)``; on
    default_runtime.py's loop type that is redundant, and ``by_epoch=False``
    is refused naming the fix (mmengine alone refuses both)."""
    cfg = toy_cfg(tmp_path / 'a', train_cfg=dict(
        type='ResumableEpochBasedTrainLoop', by_epoch=True, max_epochs=2))
    runner = build_runner(cfg)
    loop = runner.build_train_loop(runner._train_loop)
    assert isinstance(loop, ResumableEpochBasedTrainLoop)
    assert loop.max_epochs == 2
    # any epoch-based loop the registry names, scoped or not
    cfg = toy_cfg(tmp_path / 'c', train_cfg=dict(
        type='mmengine.EpochBasedTrainLoop', by_epoch=True, max_epochs=3))
    runner = build_runner(cfg)
    loop = runner.build_train_loop(runner._train_loop)
    assert type(loop) is EpochBasedTrainLoop and loop.max_epochs == 3
    cfg = toy_cfg(tmp_path / 'b', train_cfg=dict(
        type='ResumableEpochBasedTrainLoop', by_epoch=False, max_iters=5))
    runner = build_runner(cfg)
    with pytest.raises(ValueError, match="type='IterBasedTrainLoop'"):
        runner.build_train_loop(runner._train_loop)
