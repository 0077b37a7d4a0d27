"""Reading weights: allow-listed unpickling, the layouts checkpoints come in,
and :func:`load_weights`, the one way the package loads weights into a module
(with a report of which keys came from where).

Published mmpose checkpoints are dicts holding ``state_dict`` (tensors), maybe
``ema_state_dict`` and a ``meta`` dict with numpy arrays. They load with
``torch.load(weights_only=True)`` once numpy's array/scalar reconstructors are
allowed; anything else (a pickled callable, an arbitrary class) is refused.

The lowest floor of the package (torch, numpy and mmengine's logger only):
models, engine, apis and tools all load through it.
"""
import logging
import os.path as osp
import pickletools
import re
import zipfile
from collections import OrderedDict
from typing import Dict, Iterable, List, Optional, Tuple, Union

import numpy as np
import torch
from mmengine.logging import print_log
from torch import nn

from rtmpose import hub


def _numpy_safe_globals() -> list:
    """numpy objects that a plain array/scalar pickle references."""
    multiarray = np.core.multiarray
    allowed = [np.ndarray, np.dtype]
    # Files written under numpy 1.x name ``numpy.core``; under 2.x ``numpy._core``.
    for module in ('numpy.core.multiarray', 'numpy._core.multiarray'):
        allowed.append((multiarray._reconstruct, f'{module}._reconstruct'))
        allowed.append((multiarray.scalar, f'{module}.scalar'))
    for name in dir(np.dtypes):
        obj = getattr(np.dtypes, name)
        if isinstance(obj, type) and issubclass(obj, np.dtype):
            allowed.append((obj, f'numpy.dtypes.{name}'))
    return allowed


SAFE_GLOBALS = _numpy_safe_globals()


class UnsafeCheckpointError(RuntimeError):
    """A checkpoint needs objects outside the allow-list to be unpickled."""


def load_checkpoint_file(filename: str,
                         map_location: Union[str, torch.device, None] = 'cpu'
                         ) -> dict:
    """Load a checkpoint file with torch's safe (weights-only) unpickler.

    Raises:
        FileNotFoundError: the file does not exist.
        UnsafeCheckpointError: the file needs objects beyond tensors and plain
            Python/numpy values, whatever its format (torch zip, torch's
            legacy format, a plain pickle); the message lists them.
        RuntimeError: the file is empty or unreadable; the message says why.
    """
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint file not found: {filename}')
    if osp.getsize(filename) == 0:
        raise RuntimeError(f'could not read checkpoint {filename}: the file '
                           'is empty (0 bytes; an interrupted download or '
                           'copy?)')
    with torch.serialization.safe_globals(SAFE_GLOBALS):
        try:
            return torch.load(
                filename, map_location=map_location, weights_only=True)
        except Exception as err:  # torch raises UnpicklingError or others
            unsafe = _unsafe_globals(filename)
            if not unsafe:
                raise RuntimeError(f'could not read checkpoint {filename}: '
                                   f'{_reason(err)}') from err
            raise UnsafeCheckpointError(
                f'refusing to load {filename}: it needs {unsafe}, which are '
                'not tensors or plain Python/numpy values. Loading it would '
                'run code from the file. If you trust its source, unpickle it '
                'once outside rtmpose and save only its tensors.') from err


def _reason(err: Exception) -> str:
    """torch's error without its advice to turn weights-only loading off."""
    text = str(err)
    marker = 'WeightsUnpickler error: '
    if marker in text:
        text = text.split(marker, 1)[1].strip().split('\n\n', 1)[0]
        return (f'not a torch checkpoint or pickle that loads safely '
                f'({text.strip() or type(err).__name__})')
    return text or type(err).__name__


def _unsafe_globals(filename: str) -> list:
    """Importable names the file's pickles reference beyond what safe
    loading allows."""
    if zipfile.is_zipfile(filename):
        try:
            found = torch.serialization.get_unsafe_globals_in_checkpoint(
                filename)
        except Exception:  # a damaged zip: nothing to list
            return []
    else:  # torch's legacy format (consecutive pickles) or a plain pickle
        found = _pickle_globals(filename)
    allowed = {name for _, name in (g for g in SAFE_GLOBALS
                                    if isinstance(g, tuple))}
    allowed |= {f'{g.__module__}.{g.__qualname__}'
                for g in SAFE_GLOBALS if not isinstance(g, tuple)}
    try:  # what torch's weights-only unpickler accepts by itself
        from torch._weights_only_unpickler import _get_allowed_globals
        allowed |= set(_get_allowed_globals())
    except (ImportError, AttributeError):
        pass
    return [name for name in dict.fromkeys(found) if name not in allowed]


_STRING_OPS = {'SHORT_BINUNICODE', 'BINUNICODE', 'BINUNICODE8', 'UNICODE',
               'SHORT_BINSTRING', 'BINSTRING', 'STRING'}


def _pickle_globals(filename: str, max_pickles: int = 8) -> List[str]:
    """``module.name`` of every global that the pickles at the start of
    ``filename`` reference, read with ``pickletools`` (nothing is run)."""
    found = []
    with open(filename, 'rb') as f:
        for _ in range(max_pickles):
            strings, memo, count, top = [], {}, 0, None
            try:
                for op, arg, _ in pickletools.genops(f):
                    name = op.name
                    if name in ('GLOBAL', 'INST'):
                        found.append(arg.replace(' ', '.'))
                    elif name == 'STACK_GLOBAL' and len(strings) >= 2:
                        found.append(f'{strings[-2]}.{strings[-1]}')
                    if name in _STRING_OPS:
                        top = arg
                        strings.append(arg)
                    elif name == 'MEMOIZE':
                        memo[count] = top
                        count += 1
                    elif name in ('PUT', 'BINPUT', 'LONG_BINPUT'):
                        memo[int(arg)] = top
                    elif name in ('GET', 'BINGET', 'LONG_BINGET') and \
                            memo.get(int(arg)) is not None:
                        top = memo[int(arg)]
                        strings.append(top)
                    else:
                        top = None
            except Exception:  # past the pickles (raw tensor data, EOF)
                break
    return found


def load_checkpoint(source: str,
                    map_location: Union[str, torch.device, None] = 'cpu',
                    sha256: Optional[str] = None) -> dict:
    """Safely load a checkpoint from a local path or a URL (``http(s)://``,
    ``file://``), which :func:`rtmpose.hub.fetch` fetches once into the
    cache; ``sha256`` is the expected prefix of the file's hash."""
    return load_checkpoint_file(hub.local_path(source, sha256), map_location)


def get_state_dict(checkpoint: dict) -> dict:
    """The model weights inside a loaded checkpoint dict.

    Files written with mmengine's ``EMAHook`` hold the EMA weights in
    ``state_dict`` already (the raw ones go to ``ema_state_dict``).
    """
    if 'state_dict' in checkpoint:
        return checkpoint['state_dict']
    if 'model' in checkpoint and isinstance(checkpoint['model'], dict):
        return checkpoint['model']
    if all(isinstance(v, torch.Tensor) for v in checkpoint.values()):
        return checkpoint
    raise KeyError('checkpoint holds no weights: expected a "state_dict" '
                   f'key, got keys {sorted(checkpoint)[:10]}')


def revise_state_dict(state_dict: dict,
                      prefix: Optional[str] = None,
                      revise_keys: Iterable[Tuple[str, str]] = ((r'^module\.',
                                                                 ''), )
                      ) -> 'OrderedDict':
    """Keep the keys under ``prefix`` (stripped; none may be left) and apply
    regex renames."""
    if prefix:
        state_dict = OrderedDict((k[len(prefix):], v)
                                 for k, v in state_dict.items()
                                 if k.startswith(prefix))
    out = OrderedDict()
    for key, value in state_dict.items():
        for pattern, repl in revise_keys:
            key = re.sub(pattern, repl, key)
        out[key] = value
    return out


def load_state_dict(module: nn.Module,
                    state_dict: Dict[str, torch.Tensor],
                    strict: bool = True,
                    source: str = 'checkpoint',
                    logger: Union[str, logging.Logger] = 'current') -> dict:
    """Copy ``state_dict`` into ``module`` and log a matched/missing report.

    Returns a dict with ``matched``, ``missing``, ``unexpected`` and
    ``mismatched`` key lists. With ``strict`` any missing, unexpected or
    shape-mismatched key raises ``RuntimeError`` before anything is copied.

    A module with an ``adapt_state_dict(state_dict) -> state_dict`` method
    first renames foreign checkpoint layouts (other code bases' key names)
    to its own.
    """
    adapt = getattr(module, 'adapt_state_dict', None)
    if callable(adapt):
        state_dict = adapt(state_dict)
    own = module.state_dict()
    matched, mismatched = [], []
    for key, value in state_dict.items():
        if key in own:
            if own[key].shape == value.shape:
                matched.append(key)
            else:
                mismatched.append(
                    f'{key}: checkpoint {tuple(value.shape)} vs model '
                    f'{tuple(own[key].shape)}')
    missing = [k for k in own if k not in state_dict]
    unexpected = [k for k in state_dict if k not in own]
    numel = sum(own[k].numel() for k in matched)
    total = sum(v.numel() for v in own.values()) or 1
    report = dict(
        matched=matched,
        missing=missing,
        unexpected=unexpected,
        mismatched=mismatched)
    summary = (f'loaded {source} into {type(module).__name__}: '
               f'{len(matched)}/{len(own)} keys matched '
               f'({100.0 * numel / total:.1f}% of values), '
               f'{len(missing)} missing, {len(unexpected)} unexpected, '
               f'{len(mismatched)} shape mismatches')
    details = ''.join(
        f'\n  {name}: {_short_list(keys)}'
        for name, keys in (('missing', missing), ('unexpected', unexpected),
                           ('shape mismatch', mismatched)) if keys)
    if strict and (missing or unexpected or mismatched):
        raise RuntimeError(f'strict loading failed, {summary}{details}')
    module.load_state_dict(
        OrderedDict((k, state_dict[k]) for k in matched), strict=False)
    print_log(
        summary + details,
        logger=logger,
        level=logging.WARNING if details else logging.INFO)
    return report


def load_weights(module: nn.Module,
                 source: Union[str, dict],
                 prefix: Optional[str] = None,
                 strict: bool = True,
                 map_location: Union[str, torch.device, None] = 'cpu',
                 sha256: Optional[str] = None,
                 revise_keys: Iterable[Tuple[str, str]] = ((r'^module\.',
                                                            ''), ),
                 name: Optional[str] = None,
                 logger: Union[str, logging.Logger] = 'current') -> dict:
    """Load weights into ``module``: the one loader of the package.

    Reads ``source`` safely (:func:`load_checkpoint`; a URL is fetched once
    into the cache, see :mod:`rtmpose.hub`), takes its weights whatever the
    published layout (``state_dict``, ``model`` or a bare tensor dict; a
    DDP ``module.`` prefix dropped), keeps the keys under ``prefix``
    (stripped, e.g. ``'backbone.'`` for the backbone of a whole pose model)
    and copies them in with :func:`load_state_dict`, whose log line says
    what was loaded from where.

    Args:
        module: the module to fill.
        source: a local path, a URL, or an already loaded checkpoint dict.
        prefix: keep only the keys starting with it.
        strict: fail on any missing, unexpected or mis-shaped key.
        map_location: passed to ``torch.load``.
        sha256: expected prefix of a downloaded file's sha256 (hex).
        revise_keys: regex renames applied after the prefix is stripped.
        name: how the report names a ``source`` given as a dict.

    Returns:
        The report: ``matched``, ``missing``, ``unexpected`` and
        ``mismatched`` key lists and ``source`` (what was loaded, from
        where).

    Raises:
        RuntimeError: no key of the checkpoint starts with ``prefix`` (the
            message names the prefixes it has and the module's keys left
            missing); strict loading failed (the keys are named); the file
            could not be read or fetched.
    """
    if isinstance(source, dict):
        where = name or 'the given checkpoint'
    else:
        path = hub.local_path(str(source), sha256)
        where = str(source) if path == str(source) else \
            f'{source} (file {path})'
        source = path
    state_dict = read_weights(source, map_location, revise_keys=revise_keys)
    selected = revise_state_dict(state_dict, prefix, revise_keys=())
    if prefix:
        where = f"'{prefix}*' of {where}"
    if not selected:
        heads = sorted({k.split('.', 1)[0] + '.' for k in state_dict})
        raise RuntimeError(
            f'nothing to load: no key of {where} starts with {prefix!r} '
            f'(its keys start with {_short_list(heads)}); '
            f'{type(module).__name__} keys missing: '
            f'{_short_list(list(module.state_dict()))}')
    report = load_state_dict(
        module, selected, strict=strict, source=where, logger=logger)
    report['source'] = where
    return report


def read_weights(source: Union[str, dict],
                 map_location: Union[str, torch.device, None] = 'cpu',
                 sha256: Optional[str] = None,
                 revise_keys: Iterable[Tuple[str, str]] = ((r'^module\.',
                                                            ''), )
                 ) -> 'OrderedDict':
    """The weights of ``source`` (a path, a URL or a loaded checkpoint
    dict) as one flat state dict, whatever the published layout
    (``state_dict``, ``model`` or bare tensors), keys renamed by
    ``revise_keys`` (by default a DDP ``module.`` prefix dropped)."""
    checkpoint = source if isinstance(source, dict) else load_checkpoint(
        source, map_location, sha256)
    return revise_state_dict(get_state_dict(checkpoint),
                             revise_keys=revise_keys)


def _short_list(keys: list, limit: int = 8) -> str:
    shown = ', '.join(keys[:limit])
    return shown + (f' ... (+{len(keys) - limit} more)'
                    if len(keys) > limit else '')


