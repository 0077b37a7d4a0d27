"""Keep checkpoints loadable by torch's weights-only unpickler."""
from mmengine.hooks import Hook
from mmengine.logging import HistoryBuffer

from rtmpose.registry import HOOKS

_BUFFER_KEYS = ('log_history', 'count_history', 'max_length')


@HOOKS.register_module()
class PlainCheckpointHook(Hook):
    """Store the message hub's ``HistoryBuffer`` objects as plain dicts.

    mmengine pickles them as class instances, which safe loading refuses; we
    write their three fields instead and rebuild the buffers on load, so
    ``--resume`` works under ``torch.load(weights_only=True)``.
    """

    priority = 'VERY_LOW'  # after every hook that adds to the checkpoint

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        scalars = checkpoint.get('message_hub', {}).get('log_scalars', {})
        for key, buf in scalars.items():
            if isinstance(buf, HistoryBuffer):
                log, count = buf.data
                scalars[key] = dict(
                    log_history=log, count_history=count,
                    max_length=buf.max_length)

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        scalars = checkpoint.get('message_hub', {}).get('log_scalars', {})
        for key, value in scalars.items():
            if isinstance(value, dict) and set(value) == set(_BUFFER_KEYS):
                scalars[key] = HistoryBuffer(**value)
