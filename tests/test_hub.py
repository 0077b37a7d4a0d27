"""rtmpose.hub: a URL's file fetched once into the cache, verified by its
sha256 prefix, looked up in RTMPOSE_HOME first. ``file://`` URLs stand in
for the network (the ``hub_dir`` fixture keeps http(s) offline)."""
import hashlib
import os

import pytest

from rtmpose import hub


def _mirror(tmp_path, name='model-1a2b3c4d.pth', data=b'weights' * 1000):
    folder = tmp_path / 'mirror'
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(data)
    return (folder / name).as_uri(), hashlib.sha256(data).hexdigest()


def test_fetched_once_then_served_from_the_cache(tmp_path, hub_dir, capsys):
    url, sha = _mirror(tmp_path)
    path = hub.fetch(url, sha[:8])
    # progress as a plain line on a pipe
    assert 'download model-1a2b3c4d.pth (MiB): 100%' in capsys.readouterr(
    ).out
    assert path == str(hub_dir / 'checkpoints' / 'model-1a2b3c4d.pth')
    os.remove(tmp_path / 'mirror' / 'model-1a2b3c4d.pth')
    assert hub.fetch(url, sha[:8]) == path  # no second download
    assert sorted(os.listdir(hub_dir / 'checkpoints')) == [
        'model-1a2b3c4d.pth']


def test_corrupt_cached_file_is_named_and_fetched_again(tmp_path, hub_dir):
    url, sha = _mirror(tmp_path)
    cached = hub_dir / 'checkpoints' / 'model-1a2b3c4d.pth'
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b'weights' * 10)  # a partial copy
    with pytest.warns(UserWarning, match=f'{cached}: sha256 [0-9a-f]{{8}}'
                      rf'\.\.\., expected {sha[:8]}'):
        assert hub.fetch(url, sha[:8]) == str(cached)
    assert hashlib.sha256(cached.read_bytes()).hexdigest() == sha


def test_wrong_hash_download_is_refused_and_not_kept(tmp_path, hub_dir):
    url, sha = _mirror(tmp_path)
    with pytest.raises(hub.WeightsUnavailableError,
                       match=r'has sha256 [0-9a-f]{8}\.\.\., expected '
                       r'00000000\.\.\. \(a corrupt download'):
        hub.fetch(url, '00000000')
    assert os.listdir(hub_dir / 'checkpoints') == []


def test_offline_message_names_url_and_where_to_put_the_file(
        tmp_path, hub_dir, monkeypatch):
    url = 'https://download.openmmlab.com/x/model-1a2b3c4d_20230101.pth'
    monkeypatch.setenv('RTMPOSE_HOME', str(tmp_path / 'home'))
    with pytest.raises(hub.WeightsUnavailableError) as err:
        hub.fetch(url)
    message = str(err.value)
    assert message.startswith(f'cannot fetch {url}: unreachable (')
    assert f"put it at {tmp_path / 'home' / 'model-1a2b3c4d_20230101.pth'}" \
        f" or {hub_dir / 'checkpoints' / 'model-1a2b3c4d_20230101.pth'}" \
        in message


def test_rtmpose_home_is_searched_first(tmp_path, hub_dir, monkeypatch):
    data = b'pre-downloaded'
    home = tmp_path / 'home'
    home.mkdir()
    (home / 'model-1a2b3c4d.pth').write_bytes(data)
    monkeypatch.setenv('RTMPOSE_HOME', str(home))
    sha = hashlib.sha256(data).hexdigest()[:8]
    url = 'https://example.org/model-1a2b3c4d.pth'  # offline: never opened
    assert hub.fetch(url, sha) == str(home / 'model-1a2b3c4d.pth')
    assert hub.find_cached(url, sha) == str(home / 'model-1a2b3c4d.pth')


def test_openmmlab_names_carry_their_hash():
    base = 'https://download.openmmlab.com/mmpose/v1/projects/rtmposev1/'
    assert hub.expected_sha256(
        base + 'cspnext-m_udp-aic-coco_210e-256x192-f2f7d6f6_20230130.pth'
    ) == 'f2f7d6f6'
    assert hub.expected_sha256(
        'https://download.openmmlab.com/mmpose/v1/projects/rtmpose/'
        'rtmdet_nano_8xb32-100e_coco-obj365-person-05d8511e.pth') == \
        '05d8511e'
    assert hub.expected_sha256(base + 'mae_pretrain_vit_base_20230913.pth') \
        is None
    assert hub.expected_sha256('https://example.org/x-f2f7d6f6.pth') is None
