"""``rtmpose models`` and the commands by model name (``predict body``,
``test rtmpose-t``); weights from ``file://`` mirrors (``serve_model``) or
nowhere (offline)."""
import json
import sys

import cv2
import numpy as np
import pytest

from rtmpose import cli, hub, model_index
from rtmpose.cli import models


def _row(table: str, name: str) -> str:
    return next(line for line in table.splitlines()
                if line.split()[:1] == [name])


def test_models_lists_names_and_what_is_cached(serve_model, tmp_path,
                                               capsys):
    table = models.main([])
    assert capsys.readouterr().out.strip() == table
    assert _row(table, 'rtmpose-m').split() == [
        'rtmpose-m', 'body', '256x192', '75.8', '13.6M', 'not', 'fetched']
    assert _row(table, 'rtmdet-nano').split()[1:4] == [
        'detection', '320x320', '40.3']
    assert 'body           rtmdet-nano + rtmpose-m' in table
    serve_model('rtmpose-t')
    hub.fetch(model_index.MODELS['rtmpose-t'].weights)
    assert _row(models.main([]), 'rtmpose-t').endswith('cached')
    # a folder of pre-downloaded files counts too
    folder = tmp_path / 'predownloaded'
    folder.mkdir()
    name = hub.file_name(model_index.MODELS['rtmpose-s'].weights)
    (folder / name).write_bytes(b'weights')
    table = models.main(['--weights-dir', str(folder), '--task', 'body'])
    assert _row(table, 'rtmpose-s').endswith('cached')
    assert 'rtmdet-nano' not in table.split('solutions')[0]


def test_predict_body_by_name(serve_model, tmp_path):
    serve_model('rtmpose-m')
    serve_model('rtmdet-nano')
    image = tmp_path / 'photo.jpg'
    cv2.imwrite(str(image), np.full((240, 320, 3), 127, np.uint8))
    out = tmp_path / 'out.jpg'
    pred = cli.main(['predict', 'body', '--input', str(image), '--output',
                     str(out)])
    assert cv2.imread(str(out)).shape == (240, 320, 3)
    with open(pred) as f:
        assert len(json.load(f)['keypoint_names']) == 17


def test_test_by_name_loads_the_published_weights(monkeypatch):
    from rtmpose.engine import launch
    built = []

    class Runner:

        def test(self):
            return {}

    def build_runner(cfg):
        built.append(cfg)
        return Runner()

    monkeypatch.setattr(launch, 'build_runner', build_runner)
    cli.main(['test', 'rtmpose-t'])
    info = model_index.MODELS['rtmpose-t']
    assert built[0].load_from == info.weights
    assert built[0].filename.endswith(info.config)


def test_offline_command_ends_with_one_message(hub_dir, tmp_path,
                                               monkeypatch):
    image = tmp_path / 'photo.jpg'
    cv2.imwrite(str(image), np.zeros((8, 8, 3), np.uint8))
    monkeypatch.setattr(sys, 'argv', [
        'rtmpose', 'predict', 'rtmpose-m', '--input', str(image), '--output',
        str(tmp_path / 'out.jpg')])
    with pytest.raises(SystemExit) as err:
        cli.console_main()
    message = str(err.value.code)
    url = model_index.MODELS['rtmpose-m'].weights
    assert message.startswith(f'rtmpose: cannot fetch {url}: unreachable')
    assert str(hub_dir / 'checkpoints' / hub.file_name(url)) in message


def test_index_file_from_the_environment(tmp_path):
    """What a wheel test or a private mirror uses: RTMPOSE_MODEL_INDEX."""
    import os
    import subprocess
    index = tmp_path / 'index.json'
    index.write_text(json.dumps({'demo-t': dict(
        task='body', config='configs/demo/rtmpose-t_demo.py',
        weights=(tmp_path / 'demo.pth').as_uri(), sha256=None,
        input_size=[192, 256], dataset='synthetic', ap=1.5, params_m=0.2)}))
    root = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    env = dict(os.environ, RTMPOSE_MODEL_INDEX=str(index), PYTHONPATH=root)
    out = subprocess.run(
        [sys.executable, '-m', 'rtmpose.cli', 'models', '--task', 'body'],
        env=env, capture_output=True, text=True, check=True).stdout
    assert _row(out, 'demo-t').split() == [
        'demo-t', 'body', '256x192', '1.5', '0.2M', 'not', 'fetched']
