"""Atomic file writes: a reader, or a kill at any moment, sees either the old
file or the complete new one, never a half-written file.

The one place the project writes files atomically (checkpoints, ONNX models,
published weights, dataset markers). Standard library only, so tools import
it without torch or mmengine.

A write goes to a temporary file in the target's folder (same file system,
so the rename is atomic), is fsynced, renamed over the target, and the
folder is fsynced so the rename itself survives a power loss. The file gets
mode 0666 minus the umask (0644 under the usual umask 022), like ``open``;
``tempfile.mkstemp`` would give 0600. Temporary names are
``.{name}.{8 hex digits}.part``: :func:`remove_stale_temp_files` finds the
ones a killed process left behind.
"""
import contextlib
import os
import os.path as osp
import re
import secrets
from typing import IO, Iterator, List, Optional, Union

TEMP_SUFFIX = '.part'
_TEMP_NAME = re.compile(r'^\..+\.[0-9a-f]{8}\.part$')

PathLike = Union[str, 'os.PathLike[str]']


def temp_name_for(path: PathLike) -> str:
    """A fresh temporary path next to ``path``."""
    path = os.fspath(path)
    folder, name = osp.split(osp.abspath(path))
    return osp.join(folder, f'.{name}.{secrets.token_hex(4)}{TEMP_SUFFIX}')


def is_temp_name(name: str) -> bool:
    """Whether the base name ``name`` is one of our temporary names."""
    return bool(_TEMP_NAME.match(name))


def fsync_folder(folder: PathLike) -> None:
    """Make a rename or removal inside ``folder`` durable."""
    try:
        fd = os.open(os.fspath(folder), os.O_RDONLY)
    except OSError:  # e.g. a platform without directory file descriptors
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems refuse fsync on a directory
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: PathLike) -> Iterator[str]:
    """Yield a temporary path to write ``path``'s new content to (for
    writers that take a file name); on success it is fsynced and renamed to
    ``path``; on error it is removed and ``path`` is left as it was. An
    ``OSError`` that names no file (a full disk) gets ``path`` as its
    file name."""
    path = os.fspath(path)
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    tmp = temp_name_for(path)
    try:
        yield tmp
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException as err:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)
        if isinstance(err, OSError) and err.errno and err.filename is None:
            # e.g. ENOSPC from write(): name the file
            raise type(err)(err.errno, err.strerror, path) from err
        raise
    fsync_folder(folder)


@contextlib.contextmanager
def atomic_open(path: PathLike, mode: str = 'wb',
                encoding: Optional[str] = None) -> Iterator[IO]:
    """``open(path, mode)`` for writing, but atomic: the content appears at
    ``path`` only when the ``with`` block ends without an error.

    Args:
        path: the target file.
        mode: ``'w'`` or ``'wb'``.
        encoding: text encoding for ``'w'`` (default utf-8).
    """
    if mode not in ('w', 'wb'):
        raise ValueError(f'atomic_open: mode must be "w" or "wb", got {mode}')
    with atomic_path(path) as tmp:
        # O_EXCL: never follow or reuse someone else's file; 0o666 & ~umask
        # as open() gives.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        if mode == 'w':
            f = os.fdopen(fd, mode, encoding=encoding or 'utf-8')
        else:
            f = os.fdopen(fd, mode)
        with f:
            yield f


def atomic_write(path: PathLike, data: Union[bytes, str],
                 encoding: str = 'utf-8') -> None:
    """Write ``data`` (bytes, or text in ``encoding``) to ``path``
    atomically."""
    if isinstance(data, str):
        data = data.encode(encoding)
    with atomic_open(path, 'wb') as f:
        f.write(data)


def remove_stale_temp_files(folder: PathLike) -> List[str]:
    """Remove the temporary files that killed writers left in ``folder``
    (not recursive) and return their paths. Call it only where no other
    process is writing into ``folder``."""
    folder = os.fspath(folder)
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    removed = []
    for name in sorted(names):
        path = osp.join(folder, name)
        if is_temp_name(name) and osp.isfile(path):
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)
                removed.append(path)
    return removed
