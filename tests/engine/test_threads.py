"""--threads: the default count and the warning on a busy machine."""
import os

import pytest
import torch

from rtmpose.engine.threads import busy_warning, physical_cores, set_threads


@pytest.fixture
def restore_threads():
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


def test_physical_cores():
    assert 1 <= physical_cores() <= os.cpu_count()


def test_busy_warning_when_load_exceeds_the_cores():
    message = busy_warning(2, cores=2, load=3.5)
    assert 'load average 3.5 on 2 physical cores' in message
    assert 'torch uses 2 threads' in message and '--threads 1' in message
    assert busy_warning(2, cores=2, load=1.9) is None
    assert busy_warning(1, cores=2, load=9.0) is None  # nothing to lower


def test_set_threads(restore_threads, monkeypatch):
    assert set_threads(1) == 1 and torch.get_num_threads() == 1
    monkeypatch.setenv('OMP_NUM_THREADS', '1')
    assert set_threads() == 1
    monkeypatch.delenv('OMP_NUM_THREADS')
    assert set_threads() == physical_cores() == torch.get_num_threads()
    with pytest.raises(ValueError, match='--threads must be >= 1'):
        set_threads(0)


def test_set_threads_warns_on_a_busy_machine(restore_threads, monkeypatch):
    from rtmpose.engine import threads as threads_module
    logged = []
    monkeypatch.setattr(threads_module, 'print_log',
                        lambda msg, **kw: logged.append((msg, kw['level'])))
    monkeypatch.setattr(threads_module, 'physical_cores', lambda: 2)
    monkeypatch.setattr(threads_module.os, 'getloadavg',
                        lambda: (5.0, 4.0, 3.0))
    assert set_threads(2) == 2
    assert len(logged) == 1 and logged[0][1] == 30  # logging.WARNING
    assert 'load average 5.0 on 2 physical cores' in logged[0][0]
    set_threads(1)
    assert len(logged) == 1
