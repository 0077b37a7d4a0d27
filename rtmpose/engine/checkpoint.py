"""Safe checkpoint I/O: allow-listed unpickling, strict loading with a report,
and atomic writes.

Published mmpose checkpoints are dicts holding ``state_dict`` (tensors), maybe
``ema_state_dict`` and a ``meta`` dict with numpy arrays. They load with
``torch.load(weights_only=True)`` once numpy's array/scalar reconstructors are
allowed; anything else (a pickled callable, an arbitrary class) is refused.
"""
import logging
import os
import os.path as osp
import pickletools
import re
import zipfile
from collections import OrderedDict
from typing import Dict, Iterable, List, Optional, Tuple, Union

import numpy as np
import torch
from mmengine.fileio import LocalBackend, register_backend
from mmengine.logging import print_log
from torch import nn

from rtmpose.fileio import atomic_write


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


def load_checkpoint(source: str, map_location=None) -> dict:
    """Safely load a checkpoint from a local path or an http(s) URL (cached
    under torch hub's ``checkpoints`` folder)."""
    if source.startswith(('http://', 'https://')):
        return _load_from_url(source, map_location)
    return load_checkpoint_file(osp.expanduser(source), map_location)


def _load_from_url(url: str, map_location=None) -> dict:
    cache_dir = osp.join(torch.hub.get_dir(), 'checkpoints')
    os.makedirs(cache_dir, exist_ok=True)
    path = osp.join(cache_dir, osp.basename(url.split('?')[0]))
    if not osp.isfile(path):
        torch.hub.download_url_to_file(url, path, progress=True)
    return load_checkpoint_file(path, map_location)


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
    """Keep the keys under ``prefix`` (stripped) and apply regex renames."""
    if prefix:
        state_dict = OrderedDict((k[len(prefix):], v)
                                 for k, v in state_dict.items()
                                 if k.startswith(prefix))
        if not state_dict:
            raise KeyError(f'no key in the checkpoint starts with "{prefix}"')
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
    summary = (f'loaded {source}: {len(matched)}/{len(own)} keys matched '
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


def _short_list(keys: list, limit: int = 8) -> str:
    shown = ', '.join(keys[:limit])
    return shown + (f' ... (+{len(keys) - limit} more)'
                    if len(keys) > limit else '')


class AtomicLocalBackend(LocalBackend):
    """Local file backend whose writes never leave a half-written file
    (:func:`rtmpose.fileio.atomic_write`): an interrupted save keeps the
    previous checkpoint intact."""

    def put(self, obj: bytes, filepath) -> None:
        atomic_write(str(filepath), obj)

    def put_text(self, obj: str, filepath, encoding: str = 'utf-8') -> None:
        atomic_write(str(filepath), obj, encoding)


# A backend of its own name: mmengine's 'local' backend stays as it is for
# everything else in the process.
ATOMIC_BACKEND = 'atomic_local'
register_backend(ATOMIC_BACKEND, AtomicLocalBackend)


def atomic_backend_args(out_dir: str,
                        backend_args: Optional[dict] = None
                        ) -> Optional[dict]:
    """``backend_args`` that write to the local folder ``out_dir``
    atomically; other backends (``s3://``, petrel, ...) are returned as
    given."""
    backend = (backend_args or {}).get('backend', 'local')
    if '://' in str(out_dir) or backend not in ('local', ATOMIC_BACKEND):
        return backend_args
    return dict(backend_args or {}, backend=ATOMIC_BACKEND)
