"""Two-stage augmentation: swap the training pipeline at a given epoch."""
import copy
from typing import List, Optional

from mmengine.dataset import Compose
from mmengine.hooks import Hook

from rtmpose.registry import HOOKS


def pipeline_owner(dataset):
    """The dataset whose ``pipeline`` makes the training samples.

    The outermost dataset with a ``pipeline`` wins (a ``CombinedDataset``'s
    shared pipeline, not its members' converters); wrappers without one
    (``RepeatDataset``, ``ConcatDataset``) are looked through.
    """
    if hasattr(dataset, 'pipeline'):
        return dataset
    if hasattr(dataset, 'dataset'):
        return pipeline_owner(dataset.dataset)
    raise TypeError(f'{type(dataset).__name__} has no "pipeline" to switch '
                    '(nor a wrapped "dataset" that has one)')


@HOOKS.register_module()
class PipelineSwitchHook(Hook):
    """Use ``switch_pipeline`` for the training data from epoch
    ``switch_epoch`` (0-based) to the end.

    RTMPose trains its last 30 epochs with milder augmentation:
    ``switch_epoch = max_epochs - 30``.

    The switch is decided at every epoch start from the epoch number, so a
    run resumed at or after ``switch_epoch`` (also mid-epoch) uses stage 2
    again. Persistent dataloader workers hold their own copy of the dataset:
    their iterator is shut down so the next epoch starts fresh workers that
    copy the switched dataset.

    Args:
        switch_epoch: first epoch (0-based) of stage 2.
        switch_pipeline: transform configs of stage 2.
    """

    priority = 'NORMAL'

    def __init__(self, switch_epoch: int, switch_pipeline: List[dict]):
        if switch_epoch < 0:
            raise ValueError('PipelineSwitchHook: switch_epoch must be >= 0, '
                             f'got {switch_epoch}')
        self.switch_epoch = switch_epoch
        self.switch_pipeline = switch_pipeline
        self.switched_at: Optional[int] = None  # epoch of the switch, if any

    def before_train(self, runner) -> None:
        if self.switch_epoch >= runner.max_epochs:
            runner.logger.warning(
                f'PipelineSwitchHook: switch_epoch={self.switch_epoch} >= '
                f'max_epochs={runner.max_epochs}, stage 2 never runs')

    def before_train_epoch(self, runner) -> None:
        if self.switched_at is not None or runner.epoch < self.switch_epoch:
            return
        loader = runner.train_loop.dataloader
        owner = pipeline_owner(loader.dataset)
        owner.pipeline = Compose(copy.deepcopy(self.switch_pipeline))
        restarted = reset_persistent_workers(loader)
        self.switched_at = runner.epoch
        names = [t.get('type', '?') if isinstance(t, dict) else
                 type(t).__name__ for t in self.switch_pipeline]
        runner.logger.info(
            f'PipelineSwitchHook: epoch {runner.epoch + 1} (0-based '
            f'{runner.epoch}, switch_epoch={self.switch_epoch}): switched '
            f'the training pipeline of {type(owner).__name__} to stage 2 '
            f'{names}' + (', restarting the persistent dataloader workers'
                          if restarted else ''))


def reset_persistent_workers(loader) -> bool:
    """Shut down the live iterator of a persistent-workers loader, so that
    the next ``iter(loader)`` forks workers from the current dataset."""
    iterator = getattr(loader, '_iterator', None)
    if not getattr(loader, 'persistent_workers', False) or iterator is None:
        return False
    loader._iterator = None
    shutdown = getattr(iterator, '_shutdown_workers', None)
    if shutdown is not None:
        shutdown()
    return True
