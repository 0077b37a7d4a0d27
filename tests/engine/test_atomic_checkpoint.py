"""rtmpose.engine.checkpoint: atomic checkpoint writes; the message hub's
buffers through the safe reader."""
import os

import numpy as np
import pytest
import torch
from mmengine.fileio import get_file_backend
from mmengine.logging import HistoryBuffer

from rtmpose import checkpoint as ckpt_read
from rtmpose.engine import checkpoint as ckpt_io
from rtmpose.engine.hooks import PlainCheckpointHook


def _atomic_backend(path):
    return get_file_backend(
        str(path), backend_args=ckpt_io.atomic_backend_args(str(path)))


def test_mmengine_global_state_is_left_alone(tmp_path):
    """rtmpose adds a backend of its own name; mmengine's local backend and
    checkpoint loaders stay mmengine's for the rest of the process."""
    from mmengine.fileio import LocalBackend
    from mmengine.runner.checkpoint import CheckpointLoader, load_from_local
    import rtmpose.engine  # noqa: F401  (registers everything)
    assert type(get_file_backend(str(tmp_path))) is LocalBackend
    assert CheckpointLoader._schemes[''] is load_from_local
    assert isinstance(_atomic_backend(tmp_path), ckpt_io.AtomicLocalBackend)
    assert ckpt_io.atomic_backend_args('s3://bucket/work') is None
    assert ckpt_io.atomic_backend_args(
        str(tmp_path), dict(backend='petrel')) == dict(backend='petrel')


def test_atomic_write_keeps_old_file_on_failure(tmp_path, monkeypatch):
    path = tmp_path / 'ckpt.pth'
    backend = _atomic_backend(path)
    assert isinstance(backend, ckpt_io.AtomicLocalBackend)
    backend.put(b'old', str(path))

    def broken_replace(src, dst):
        raise OSError('disk full')

    monkeypatch.setattr(os, 'replace', broken_replace)
    with pytest.raises(OSError):
        backend.put(b'new and longer', str(path))
    monkeypatch.undo()
    assert path.read_bytes() == b'old'
    assert sorted(os.listdir(tmp_path)) == ['ckpt.pth']


def test_message_hub_buffers_survive_safe_loading(tmp_path):
    buf = HistoryBuffer(max_length=10)
    for v in (1.0, 2.0, 4.0):
        buf.update(v)
    checkpoint = {'message_hub': {'log_scalars': {'train/loss': buf},
                                  'runtime_info': {'epoch': 3}}}
    hook = PlainCheckpointHook()
    hook.before_save_checkpoint(None, checkpoint)
    path = str(tmp_path / 'resume.pth')
    torch.save(checkpoint, path)
    loaded = ckpt_read.load_checkpoint(path)
    hook.after_load_checkpoint(None, loaded)
    restored = loaded['message_hub']['log_scalars']['train/loss']
    assert isinstance(restored, HistoryBuffer)
    assert restored.max_length == 10
    np.testing.assert_allclose(restored.data[0], [1.0, 2.0, 4.0])
    assert restored.mean() == pytest.approx(7 / 3)
    # the raw buffer object itself would have been refused
    torch.save({'b': buf}, path)
    with pytest.raises(ckpt_read.UnsafeCheckpointError, match='HistoryBuffer'):
        ckpt_read.load_checkpoint(path)


@pytest.mark.parametrize('umask, expected', [(0o022, 0o644), (0o077, 0o600),
                                             (0o002, 0o664)])
def test_written_files_follow_the_umask(tmp_path, umask, expected):
    """Checkpoints get the mode of other outputs (0644 with umask 022), not
    the temporary file's 0600."""
    backend = _atomic_backend(tmp_path)
    old = os.umask(umask)
    try:
        path = tmp_path / 'epoch_1.pth'
        backend.put(b'weights', str(path))
        backend.put_text('last', str(tmp_path / 'last_checkpoint'))
    finally:
        os.umask(old)
    assert os.stat(path).st_mode & 0o777 == expected
    assert os.stat(tmp_path / 'last_checkpoint').st_mode & 0o777 == expected
    assert os.umask(old) == old  # the umask is left as it was
