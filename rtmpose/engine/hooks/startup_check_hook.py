"""Run the start-up checks once the datasets of the run are built."""
from collections import Counter
from typing import List

from mmengine.hooks import CheckpointHook as MMEngineCheckpointHook
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import BaseLoop

from rtmpose.registry import HOOKS
from ..startup_checks import check_setup
from .checkpoint_hook import AtomicCheckpointHook

# hooks that must not run twice (two signal handlers, two loss checks)
_ONCE = ('InterruptCheckpointHook', 'NonFiniteLossHook', 'StartupCheckHook',
         'PlainCheckpointHook', 'ConsoleReportHook', 'ResultsPlotHook')


def hook_list_problems(hooks: list) -> List[str]:
    """Warnings about a runner's hooks: mmengine's ``CheckpointHook`` (not
    atomic) and guards registered more than once."""
    problems = []
    if any(isinstance(h, MMEngineCheckpointHook)
           and not isinstance(h, AtomicCheckpointHook) for h in hooks):
        problems.append(
            "mmengine's CheckpointHook writes checkpoints in place and "
            'deletes old ones first: a kill during a save can leave none. '
            "type='AtomicCheckpointHook' (or 'CheckpointHook' in the "
            'rtmpose scope) takes the same arguments.')
    counts = Counter(type(h).__name__ for h in hooks)
    twice = [name for name in _ONCE if counts[name] > 1]
    if twice:
        problems.append(
            f'{", ".join(twice)} registered more than once: '
            'default_runtime.py declares them in default_hooks; change them '
            'there (default_hooks=dict(non_finite_loss=dict(...))) instead '
            'of adding them to custom_hooks')
    return problems


@HOOKS.register_module()
class StartupCheckHook(Hook):
    """Stop before training / testing when config, model and data disagree
    (:func:`rtmpose.engine.startup_checks.check_setup`);
    ``default_hooks.startup_check`` of ``default_runtime.py``.

    Also warns about the hook list: a guard registered twice (e.g. in
    ``custom_hooks`` as well as in ``default_hooks``) and mmengine's own
    ``CheckpointHook``, whose saves are not atomic."""

    priority = 'VERY_HIGH'

    def before_run(self, runner) -> None:
        for problem in hook_list_problems(runner.hooks):
            runner.logger.warning(problem)
        datasets = {}
        for key, attr in (('train_dataloader', '_train_loop'),
                          ('val_dataloader', '_val_loop'),
                          ('test_dataloader', '_test_loop')):
            loop = getattr(runner, attr, None)
            if isinstance(loop, BaseLoop):
                datasets[f'{key}.dataset'] = loop.dataloader.dataset
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        check_setup(runner.cfg, datasets, model)
