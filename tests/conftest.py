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


@pytest.fixture
def serve_model(tmp_path, hub_dir, monkeypatch):
    """``serve_model(name)`` publishes random weights of the index's model
    ``name`` under its published file name at a ``file://`` URL, points the
    index at it (with the file's real sha256 prefix) and returns the model
    whose weights were saved. Nothing is fetched until a test asks for the
    name."""
    from dataclasses import replace

    import torch

    from rtmpose import hub, model_index
    from rtmpose.apis import init_model

    mirror = tmp_path / 'mirror'
    mirror.mkdir(exist_ok=True)

    def serve(name):
        info = model_index.MODELS[name]
        torch.manual_seed(0)
        model = init_model(info.config)
        path = mirror / hub.file_name(info.weights)
        torch.save({'state_dict': model.state_dict(),
                    'meta': {'epoch': 1}}, path)
        monkeypatch.setitem(
            model_index.MODELS, name,
            replace(info, weights=path.as_uri(),
                    sha256=hub.sha256_of(str(path))[:8]))
        return model

    return serve
