"""Write ``results.png`` (the run's curves) at the end of training."""
import logging

from mmengine.hooks import Hook

from rtmpose.registry import HOOKS
from rtmpose.visualization.training_curves import plot_training_curves


@HOOKS.register_module()
class ResultsPlotHook(Hook):
    """``WORK_DIR/results.png`` after training (rank 0): loss terms, lr,
    ``acc_pose`` and validation metrics per epoch
    (:func:`~rtmpose.visualization.training_curves.plot_training_curves`).
    ``default_hooks.results_plot`` of ``default_runtime.py`` (``None`` turns
    it off). A failure to plot is a warning, never an error of the
    training."""

    priority = 'VERY_LOW'

    def after_train(self, runner) -> None:
        if runner.rank != 0:
            return
        try:
            plot_training_curves(runner.work_dir)
        except (OSError, ValueError) as err:
            runner.logger.log(logging.WARNING,
                              f'results.png not written: {err}')
