"""rtmpose.fileio: atomic writes keep the old file on failure, give umask
modes and need only the standard library."""
import os
import stat
import subprocess
import sys

import pytest

from rtmpose import fileio


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize('umask, expected', [(0o022, 0o644),
                                             (0o077, 0o600)])
def test_mode_honours_umask(tmp_path, umask, expected):
    old = os.umask(umask)
    try:
        fileio.atomic_write(tmp_path / 'a.txt', 'hello')
    finally:
        os.umask(old)
    assert (tmp_path / 'a.txt').read_text() == 'hello'
    assert _mode(tmp_path / 'a.txt') == expected


def test_error_keeps_old_file_and_leaves_no_temp(tmp_path):
    path = tmp_path / 'model.bin'
    fileio.atomic_write(path, b'old')
    with pytest.raises(ZeroDivisionError):
        with fileio.atomic_open(path) as f:
            f.write(b'new, half written')
            1 / 0
    assert path.read_bytes() == b'old'
    assert os.listdir(tmp_path) == ['model.bin']


def test_replace_failure_keeps_old_file(tmp_path, monkeypatch):
    path = tmp_path / 'ckpt.pth'
    fileio.atomic_write(path, b'old')

    def broken_replace(src, dst):
        raise OSError(28, 'No space left on device')

    monkeypatch.setattr(os, 'replace', broken_replace)
    with pytest.raises(OSError, match='No space left on device: .*ckpt.pth'):
        fileio.atomic_write(path, b'new')
    monkeypatch.undo()
    assert path.read_bytes() == b'old'
    assert os.listdir(tmp_path) == ['ckpt.pth']


def test_atomic_path_for_writers_that_take_a_name(tmp_path):
    target = tmp_path / 'sub' / 'out.txt'
    with fileio.atomic_path(target) as tmp:
        assert os.path.dirname(tmp) == str(target.parent)
        assert fileio.is_temp_name(os.path.basename(tmp))
        with open(tmp, 'w') as f:
            f.write('x')
        assert not target.exists()  # not before the block ends
    assert target.read_text() == 'x'


def test_text_mode_and_bad_mode(tmp_path):
    with fileio.atomic_open(tmp_path / 't.txt', 'w') as f:
        f.write('z\u00e9')
    assert (tmp_path / 't.txt').read_text(encoding='utf-8') == 'z\u00e9'
    with pytest.raises(ValueError, match='mode'):
        with fileio.atomic_open(tmp_path / 't.txt', 'a'):
            pass


def test_stale_temp_files_are_found_and_removed(tmp_path):
    stale = fileio.temp_name_for(tmp_path / 'iter_5.pth')
    with open(stale, 'wb') as f:
        f.write(b'half')
    (tmp_path / 'iter_4.pth').write_bytes(b'good')
    (tmp_path / '.hidden.part').write_bytes(b'not ours')
    assert fileio.remove_stale_temp_files(tmp_path) == [stale]
    assert sorted(os.listdir(tmp_path)) == ['.hidden.part', 'iter_4.pth']
    assert fileio.remove_stale_temp_files(tmp_path / 'absent') == []


def test_imports_without_torch_or_mmengine():
    code = ('import sys, rtmpose.fileio; '
            'print(sorted(m for m in ("torch", "mmengine", "numpy") '
            'if m in sys.modules))')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True,
                         text=True, check=True, env=dict(os.environ))
    assert out.stdout.strip() == '[]'
