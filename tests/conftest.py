"""Fixtures shared across the test folders."""
import pytest


@pytest.fixture
def hub_dir(tmp_path, monkeypatch):
    """torch hub's folder in ``tmp_path`` (weights cache: ``checkpoints/``),
    no ``RTMPOSE_HOME``, and no network: ``urlopen`` of an http(s) URL
    fails as offline; ``file://`` URLs still open."""
    import urllib.error
    import urllib.request

    import torch.hub

    hub = tmp_path / 'hub'
    monkeypatch.setattr(torch.hub, '_hub_dir', str(hub))
    monkeypatch.delenv('RTMPOSE_HOME', raising=False)
    urlopen = urllib.request.urlopen

    def offline(url, *args, **kwargs):
        if str(url).startswith('file://'):
            return urlopen(url, *args, **kwargs)
        raise urllib.error.URLError('[Errno -3] Temporary failure in name '
                                    'resolution (offline test)')

    monkeypatch.setattr(urllib.request, 'urlopen', offline)
    return hub
