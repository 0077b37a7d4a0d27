"""Run the start-up checks once the datasets of the run are built."""
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import BaseLoop

from rtmpose.registry import HOOKS
from ..startup_checks import check_setup


@HOOKS.register_module()
class StartupCheckHook(Hook):
    """Stop before training / testing when config, model and data disagree
    (:func:`rtmpose.engine.startup_checks.check_setup`). ``PoseRunner``
    registers it."""

    priority = 'VERY_HIGH'

    def before_run(self, runner) -> None:
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
