"""The Python API by model name: ``init_model('rtmpose-m')``,
``PoseInferencer('body')``, ``PoseInferencer('rtmpose-m',
detector='rtmdet-nano')``; weights from ``file://`` mirrors (``serve_model``),
never the network."""
import os

import numpy as np
import pytest
import torch

from rtmpose import hub, model_index
from rtmpose.apis import PoseInferencer, init_model


def _same_weights(a, b) -> None:
    for key, value in a.state_dict().items():
        assert torch.equal(b.state_dict()[key], value), key


def test_init_model_by_name_fetches_verifies_and_loads(serve_model, hub_dir):
    published = serve_model('rtmpose-t')
    model = init_model('rtmpose-t')
    _same_weights(published, model)
    assert model.cfg.filename.endswith(
        'configs/rtmpose/coco/rtmpose-t_8xb256-420e_aic-coco-256x192.py')
    cached = hub_dir / 'checkpoints' / hub.file_name(
        model_index.MODELS['rtmpose-t'].weights)
    assert model_index.cached_weights(
        model_index.MODELS['rtmpose-t']) == str(cached)
    # a local checkpoint replaces the published weights
    torch.save({'state_dict': {k: v + 1 for k, v in
                               published.state_dict().items()
                               if v.is_floating_point()}},
               hub_dir / 'mine.pth')
    with pytest.raises(RuntimeError, match='strict loading failed'):
        init_model('rtmpose-t', str(hub_dir / 'mine.pth'))  # BN counters


def test_wrong_hash_is_refused_and_never_loaded(serve_model, monkeypatch,
                                                hub_dir):
    serve_model('rtmpose-t')
    info = model_index.MODELS['rtmpose-t']
    monkeypatch.setitem(model_index.MODELS, 'rtmpose-t',
                        type(info)(**{**info.__dict__,
                                      'sha256': '00000000'}))
    with pytest.raises(hub.WeightsUnavailableError,
                       match=r'expected 00000000\.\.\. \(a corrupt download'):
        init_model('rtmpose-t')
    assert os.listdir(hub_dir / 'checkpoints') == []


def test_offline_name_says_where_to_put_the_file(hub_dir, tmp_path,
                                                 monkeypatch):
    home = tmp_path / 'weights'
    monkeypatch.setenv('RTMPOSE_HOME', str(home))
    info = model_index.MODELS['rtmpose-m']
    with pytest.raises(hub.WeightsUnavailableError) as err:
        init_model('rtmpose-m')
    message = str(err.value)
    assert info.weights in message and 'unreachable' in message
    assert str(home / hub.file_name(info.weights)) in message


def test_unknown_name_suggests_close_ones():
    with pytest.raises(KeyError, match="did you mean rtmpose-m"):
        model_index.get_model('rtmpose-mm')


def test_solution_and_named_detector(serve_model):
    pose = serve_model('rtmpose-m')
    serve_model('rtmdet-nano')
    img = np.full((240, 320, 3), 127, np.uint8)
    body = PoseInferencer('body')
    _same_weights(pose, body.backend.model)
    assert body.detector.model.cfg.filename.endswith(
        'rtmdet_nano_320-8xb32_coco-person.py')
    explicit = PoseInferencer('rtmpose-m', detector='rtmdet-nano')
    assert type(explicit.detector) is type(body.detector)
    results = list(body(img))
    assert len(results) == 1 and results[0].detected
    assert results[0].keypoints.shape[1:] == (17, 2)
