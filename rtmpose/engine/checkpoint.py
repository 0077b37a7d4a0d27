"""Checkpoint writing for the runner: local files written atomically.

Reading (safe unpickling, layouts, loading into a module) is
:mod:`rtmpose.checkpoint`, the floor below the engine.
"""
from typing import Optional

from mmengine.fileio import LocalBackend, register_backend

from rtmpose.fileio import atomic_write


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
