"""mmengine ``Runner`` with safe, strict and atomic checkpoint handling."""
from typing import Callable, Union

from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

from rtmpose.registry import RUNNERS
from . import checkpoint as ckpt_io
from .hooks.plain_checkpoint_hook import PlainCheckpointHook


@RUNNERS.register_module()
class PoseRunner(Runner):
    """The runner of ``tools/train.py`` and ``tools/test.py``.

    Differences from mmengine's ``Runner``:

    - checkpoints are read with torch's weights-only unpickler plus an
      allow-list of numpy types, and written atomically;
    - ``load_from`` is strict unless the config sets
      ``load_from_strict=False``, and logs a matched / missing / unexpected
      report.

    With mmengine's ``EMAHook`` a checkpoint's ``state_dict`` already holds
    the EMA weights (the hook swaps them in before saving), so loading and
    testing a checkpoint evaluates the EMA model.
    """

    def __init__(self, *args, **kwargs):
        ckpt_io.install()
        super().__init__(*args, **kwargs)
        self.load_from_strict = True
        self.register_hook(PlainCheckpointHook())

    @classmethod
    def from_cfg(cls, cfg) -> 'PoseRunner':
        runner = super().from_cfg(cfg)
        runner.load_from_strict = cfg.get('load_from_strict', True)
        return runner

    def load_checkpoint(self,
                        filename: str,
                        map_location: Union[str, Callable] = 'cpu',
                        strict: bool = None,
                        revise_keys: list = [(r'^module\.', '')]) -> dict:
        """Load model weights from ``filename`` and return the whole dict."""
        checkpoint = ckpt_io.load_checkpoint(filename, map_location)
        # Hooks first: the EMA hook swaps raw weights back in on resume.
        self.call_hook('after_load_checkpoint', checkpoint=checkpoint)
        model = self.model.module if is_model_wrapper(
            self.model) else self.model
        state_dict = ckpt_io.revise_state_dict(
            ckpt_io.get_state_dict(checkpoint), revise_keys=revise_keys)
        ckpt_io.load_state_dict(
            model,
            state_dict,
            strict=self.load_from_strict if strict is None else strict,
            source=filename)
        self._has_loaded = True
        return checkpoint
