"""Stop (or skip the step) when the training loss is NaN or infinite."""
import math
from typing import Dict, Optional

import torch
from mmengine.dist import all_reduce, get_world_size
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.optim import OptimWrapperDict

from rtmpose.registry import HOOKS

_ACTIONS = ('stop', 'skip')


class NonFiniteLossError(RuntimeError):
    """Training stopped at an iteration whose loss was NaN or infinite."""


@HOOKS.register_module()
class NonFiniteLossHook(Hook):
    """Check the loss of every training iteration before the optimiser step.

    A NaN or infinite loss (an absurd learning rate, a bad sample) would
    otherwise turn every weight into NaN and the following checkpoints with
    it. With ``action='stop'`` training stops at that iteration with
    :class:`NonFiniteLossError`, naming the iteration and every loss term;
    the step is not taken and no checkpoint is written, so the files on disk
    stay those of the last good iteration. With ``action='skip'`` the
    iteration's step is dropped (no backward, no optimiser update) up to
    ``max_skips`` times in a run, then it stops as above.

    ``default_runtime.py`` declares it as ``default_hooks.non_finite_loss``;
    ``default_hooks = dict(non_finite_loss=dict(action='skip',
    max_skips=10))`` skips instead. Under distributed training the ranks
    agree on every check, so they all skip or stop together.

    Args:
        action: ``'stop'`` or ``'skip'``.
        max_skips: with ``'skip'``, the most steps dropped in a run.
    """

    priority = 'VERY_HIGH'

    def __init__(self, action: str = 'stop', max_skips: int = 10):
        if action not in _ACTIONS:
            raise ValueError(f'NonFiniteLossHook: action must be one of '
                             f'{_ACTIONS}, got {action!r}')
        if not isinstance(max_skips, int) or max_skips < 0:
            raise ValueError('NonFiniteLossHook: max_skips must be an int '
                             f'>= 0, got {max_skips!r}')
        self.action = action
        self.max_skips = max_skips if action == 'skip' else 0
        self.skipped = 0
        self._terms: Dict[str, torch.Tensor] = {}
        self._runner = None
        self._wrapped = []  # (object, attribute) pairs to give back

    def before_train(self, runner) -> None:
        self._runner = runner
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        self._wrap(model, 'parse_losses', self._parse_losses)
        wrappers = runner.optim_wrapper.values() if isinstance(
            runner.optim_wrapper, OptimWrapperDict) else [runner.optim_wrapper]
        for wrapper in wrappers:
            self._wrap(wrapper, 'update_params', self._update_params)

    def after_train(self, runner) -> None:
        self.release()

    def release(self) -> None:
        """Put the model's and optimiser wrappers' own methods back (also
        called by ``PoseRunner.train`` when training ends with an
        exception)."""
        for obj, name in self._wrapped:
            del obj.__dict__[name]
        self._wrapped = []

    def _wrap(self, obj, name: str, guard) -> None:
        if name in obj.__dict__:  # wrapped already (a second train())
            return
        original = getattr(obj, name)
        obj.__dict__[name] = lambda *args, **kwargs: guard(
            original, *args, **kwargs)
        self._wrapped.append((obj, name))

    def _parse_losses(self, original, *args, **kwargs):
        loss, log_vars = original(*args, **kwargs)
        # tensors, read only on failure: no device sync per iteration
        self._terms = {k: torch.as_tensor(v).detach()
                       for k, v in log_vars.items()}
        return loss, log_vars

    def _update_params(self, original, loss, *args, **kwargs):
        # on the loss's device: one host sync per step, also with the
        # ranks' all_reduce in between
        bad = ~torch.isfinite(loss.detach()).all()
        if get_world_size() > 1:
            bad = bad.to(torch.int32).reshape(1)
            all_reduce(bad, op='max')
        if not bad.item():
            return original(loss, *args, **kwargs)
        runner = self._runner
        terms = ', '.join(f'{k}={float(v):.6g}'
                          for k, v in self._terms.items())
        if math.isfinite(float(loss.detach())):
            terms += ' (here finite; another rank had a non-finite loss)'
        where = (f'iteration {runner.iter + 1} (epoch {runner.epoch + 1}): '
                 f'non-finite loss: {terms or float(loss.detach())}')
        if self.skipped < self.max_skips:
            self.skipped += 1
            runner.logger.warning(
                f'{where}; step skipped ({self.skipped} of at most '
                f'{self.max_skips})')
            return None
        raise NonFiniteLossError(
            f'{where}. Training stopped before this optimiser step; no '
            f'checkpoint was written{self._last_good(runner)}. Lower the '
            'learning rate or check the data; to skip such steps set '
            "default_hooks=dict(non_finite_loss=dict(action='skip', "
            'max_skips=N))' + (f' ({self.skipped} step(s) skipped already)'
                               if self.skipped else ''))

    @staticmethod
    def _last_good(runner) -> str:
        last: Optional[str] = runner.message_hub.get_info('last_ckpt')
        return f', the last one is {last}' if last else ''
