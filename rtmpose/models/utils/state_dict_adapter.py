"""Foreign checkpoint layouts converted on load, whichever loader loads.

A module that reads another code base's key names (MAE / official ViTPose
for ``VisionTransformer``, mmpose 0.x ``keypoint_head`` for
``TopdownPoseEstimator``) names a method that renames its OWN keys (its
prefix stripped) in :func:`register_state_dict_adapter`. The method becomes
a ``load_state_dict`` pre-hook (as in mmpose), so a plain
``model.load_state_dict(torch.load(path, weights_only=True)['state_dict'])``
converts on the way in; torch runs the hooks parents first.

:func:`adapt_state_dict` applies the same methods in the same order without
loading, for loaders that match keys before they load
(``rtmpose.checkpoint.load_state_dict`` reports matched / missing
keys first). Such a loader adapts, then loads, and the hooks run again on
the converted keys, so every adapter must leave its own layout unchanged.
"""
import re
from collections import OrderedDict
from typing import Dict

from torch import Tensor, nn

# name of the module attribute holding the adapter method's name; a string
# survives deepcopy (EMA) and pickling without binding to the old module
_ADAPTER_ATTR = '_state_dict_adapter'


def rename_mmpose0_keys(state_dict: Dict[str, Tensor]) -> 'OrderedDict':
    """mmpose 0.x top-down models (e.g. the official ViTPose) name the head
    ``keypoint_head``; ours ``head``. Other keys are left as they are."""
    return OrderedDict((re.sub(r'^keypoint_head\.', 'head.', k), v)
                       for k, v in state_dict.items())


def register_state_dict_adapter(module: nn.Module, method: str) -> None:
    """Convert ``module``'s keys with ``getattr(module, method)`` on every
    ``load_state_dict`` (plain torch, mmengine or ours).

    ``method(state_dict) -> state_dict`` gets the keys under the module's
    prefix, stripped, and must return its own layout unchanged.
    """
    if not callable(getattr(module, method, None)):
        raise AttributeError(f'{type(module).__name__} has no method '
                             f'{method!r} to adapt state_dicts with')
    setattr(module, _ADAPTER_ATTR, method)
    module._register_load_state_dict_pre_hook(_adapt_on_load, with_module=True)


def _adapt_on_load(module: nn.Module, state_dict: dict, prefix: str,
                   *unused) -> None:
    """Pre-hook: the keys under ``prefix`` replaced, in place, by their
    adapted versions (the children then see the adapted keys)."""
    adapted = _adapt_under(module, state_dict, prefix)
    if adapted is not state_dict:
        state_dict.clear()
        state_dict.update(adapted)


def _adapt_under(module: nn.Module, state_dict: Dict[str, Tensor],
                 prefix: str) -> Dict[str, Tensor]:
    """``state_dict`` with the keys under ``prefix`` adapted by ``module``'s
    own adapter; the same object where nothing is under ``prefix``."""
    part = OrderedDict((k[len(prefix):], v) for k, v in state_dict.items()
                       if k.startswith(prefix))
    if not part:
        return state_dict
    adapt = getattr(module, getattr(module, _ADAPTER_ATTR))
    out = OrderedDict((k, v) for k, v in state_dict.items()
                      if not k.startswith(prefix))
    out.update((prefix + k, v) for k, v in adapt(part).items())
    return out


def adapt_state_dict(model: nn.Module,
                     state_dict: Dict[str, Tensor]) -> 'OrderedDict':
    """``state_dict`` converted by every adapter in ``model``, parents
    first, exactly as the pre-hooks convert it during a load."""
    out = OrderedDict(state_dict)
    for name, module in model.named_modules():
        if getattr(module, _ADAPTER_ATTR, None) is not None:
            out = _adapt_under(module, out, name + '.' if name else '')
    return out
