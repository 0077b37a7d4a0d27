"""``init_cfg=dict(type='Pretrained', ...)`` with safe, strict loading."""
from typing import Optional

from torch import nn

from rtmpose.registry import WEIGHT_INITIALIZERS
from . import checkpoint as ckpt_io


@WEIGHT_INITIALIZERS.register_module(name='Pretrained')
class PretrainedInit:
    """Initialise a module from (a prefix of) a checkpoint file.

    Args:
        checkpoint: local path or URL.
        prefix: keep only keys starting with it, stripped, e.g. ``'backbone.'``
            to take the backbone of a whole pose model.
        map_location: passed to ``torch.load``.
        strict: fail on missing, unexpected or mis-shaped keys.
    """

    def __init__(self,
                 checkpoint: str,
                 prefix: Optional[str] = None,
                 map_location: str = 'cpu',
                 strict: bool = True):
        self.checkpoint = checkpoint
        self.prefix = prefix
        self.map_location = map_location
        self.strict = strict

    def __call__(self, module: nn.Module) -> None:
        loaded = ckpt_io.load_checkpoint(self.checkpoint, self.map_location)
        state_dict = ckpt_io.revise_state_dict(
            ckpt_io.get_state_dict(loaded), prefix=self.prefix)
        ckpt_io.load_state_dict(
            module, state_dict, strict=self.strict, source=self.checkpoint)

    def _get_init_info(self) -> str:
        return f'{self.__class__.__name__}: load from {self.checkpoint}'
