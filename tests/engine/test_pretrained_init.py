"""Pretrained backbones: published-layout files load through
``prefix='backbone.'`` strictly, URLs are fetched once into torch hub's
cache, and an unreachable URL stops training before the first iteration
with one message that says how to go on. No network: ``file://`` URLs and
an offline ``urlopen`` (the ``hub_dir`` fixture)."""
import pytest
import torch
from mmengine.registry import init_default_scope
from toy_training import one_thread  # noqa: F401 (autouse fixture)
from toy_training import build_runner, toy_cfg

from rtmpose import checkpoint, hub
from rtmpose.engine import pretrained_init
from rtmpose.engine.pretrained_init import (fetch_pretrained,
                                            pretrained_checkpoints)
from rtmpose.hub import WeightsUnavailableError
from rtmpose.registry import MODELS

URL = ('https://download.openmmlab.com/mmpose/v1/projects/rtmposev1/'
       'cspnext-m_udp-aic-coco_210e-256x192-f2f7d6f6_20230130.pth')


def _backbone(init_cfg=None):
    # mmengine's init dispatch finds our Pretrained in our scope only
    init_default_scope('rtmpose')
    torch.manual_seed(0)
    return MODELS.build(dict(type='CSPNeXt', deepen_factor=0.167,
                             widen_factor=0.125, init_cfg=init_cfg))


def _published(path, backbone) -> None:
    """A file laid out as a published pose model: ``state_dict`` with the
    backbone under ``backbone.``, head keys next to it, numpy meta."""
    state = {f'backbone.{k}': v + 1 for k, v in
             backbone.state_dict().items() if v.is_floating_point()}
    state.update({f'backbone.{k}': v for k, v in
                  backbone.state_dict().items() if not v.is_floating_point()})
    state['head.final_layer.weight'] = torch.ones(17, 8, 1, 1)
    torch.save({'state_dict': state, 'meta': {'epoch': 210}}, path)


def test_published_layout_loads_strictly_through_the_prefix(tmp_path,
                                                           monkeypatch):
    path = tmp_path / 'published.pth'
    reference = _backbone()
    _published(path, reference)
    backbone = _backbone(dict(type='Pretrained', prefix='backbone.',
                              checkpoint=str(path)))
    logged = []
    monkeypatch.setattr(checkpoint, 'print_log',
                        lambda msg, **kwargs: logged.append(msg))
    backbone.init_weights()
    for key, value in reference.state_dict().items():
        expected = value + 1 if value.is_floating_point() else value
        assert torch.equal(backbone.state_dict()[key], expected), key
    # the init report: what, from where, into what, how much
    total = len(reference.state_dict())
    assert logged == [
        f"loaded 'backbone.*' of {path} into CSPNeXt: {total}/{total} keys "
        'matched (100.0% of values), 0 missing, 0 unexpected, 0 shape '
        'mismatches']


def test_wrong_prefix_fails_naming_the_missing_keys(tmp_path):
    path = tmp_path / 'published.pth'
    _published(path, _backbone())
    backbone = _backbone(dict(type='Pretrained', prefix='head.',
                              checkpoint=str(path)))
    with pytest.raises(RuntimeError, match='strict loading failed') as err:
        backbone.init_weights()
    assert 'missing: stem.0.conv.weight' in str(err.value)
    typo = _backbone(dict(type='Pretrained', prefix='backbones.',
                          checkpoint=str(path)))
    with pytest.raises(RuntimeError, match="starts with 'backbones.'") as err:
        typo.init_weights()
    assert 'its keys start with backbone., head.' in str(err.value)
    assert 'CSPNeXt keys missing: stem.0.conv.weight' in str(err.value)


def test_url_is_fetched_once_into_the_hub_cache(tmp_path, hub_dir):
    path = tmp_path / 'mirror' / 'cspnext.pth'
    path.parent.mkdir()
    reference = _backbone()
    _published(path, reference)
    url = path.as_uri()
    init = dict(type='Pretrained', prefix='backbone.', checkpoint=url)
    cached = hub_dir / 'checkpoints' / 'cspnext.pth'
    assert fetch_pretrained(dict(backbone=dict(init_cfg=init))) == [
        str(cached)]
    path.unlink()  # from now on only the cache has it
    backbone = _backbone(init)
    backbone.init_weights()
    key = 'stem.0.conv.weight'
    assert torch.equal(backbone.state_dict()[key],
                       reference.state_dict()[key] + 1)


def test_offline_error_names_url_cache_and_both_ways_out(hub_dir):
    model = dict(type='TopdownPoseEstimator', backbone=dict(
        type='CSPNeXt', init_cfg=dict(type='Pretrained', prefix='backbone.',
                                      checkpoint=URL)))
    assert list(pretrained_checkpoints(model)) == [
        ('model.backbone.init_cfg', URL)]
    with pytest.raises(WeightsUnavailableError) as err:
        fetch_pretrained(model)
    message = str(err.value)
    assert URL in message
    assert str(hub_dir / 'checkpoints' /
               'cspnext-m_udp-aic-coco_210e-256x192-f2f7d6f6_20230130.pth'
               ) in message
    assert 'Temporary failure in name resolution' in message
    assert '--cfg-options model.backbone.init_cfg.checkpoint=/path/file.pth' \
        in message
    assert '--cfg-options model.backbone.init_cfg=None' in message
    assert not (hub_dir / 'checkpoints').exists() or not any(
        (hub_dir / 'checkpoints').iterdir())  # no partial file left


def test_training_stops_before_the_first_iteration(tmp_path, hub_dir):
    runner = build_runner(toy_cfg(tmp_path, max_epochs=1))
    runner.cfg.model['init_cfg'] = dict(type='Pretrained', checkpoint=URL)
    with pytest.raises(WeightsUnavailableError,
                       match=r'model\.init_cfg needs pretrained weights'):
        runner.train()
    assert runner.iter == 0


def test_a_missing_local_file_stops_training_too(tmp_path):
    runner = build_runner(toy_cfg(tmp_path, max_epochs=1))
    missing = tmp_path / 'work_dirs' / 'pretrain' / 'epoch_5.pth'
    runner.cfg.model['init_cfg'] = dict(type='Pretrained',
                                        checkpoint=str(missing))
    with pytest.raises(WeightsUnavailableError) as err:
        runner.train()
    assert runner.iter == 0
    assert str(err.value).startswith(
        f'model.init_cfg needs pretrained weights, and {missing} does not '
        'exist')
    assert '--cfg-options model.init_cfg=None' in str(err.value)



@pytest.mark.parametrize('rank', [0, 1])
def test_under_distributed_training_rank_0_fetches_first(rank, tmp_path,
                                                         hub_dir,
                                                         monkeypatch):
    """Rank 0 fetches, then meets the others at a barrier (also when it
    fails: no rank waits forever); the others fetch after it."""
    events = []
    monkeypatch.setattr(pretrained_init, 'get_dist_info', lambda: (rank, 2))
    monkeypatch.setattr(pretrained_init, 'barrier',
                        lambda: events.append('barrier'))
    monkeypatch.setattr(hub, '_download',
                        lambda *args: events.append('download'))
    model = dict(init_cfg=dict(type='Pretrained', checkpoint=URL))
    with pytest.raises(WeightsUnavailableError):  # nothing was written
        fetch_pretrained(model)
    assert events == (['download', 'barrier'] if rank == 0 else
                      ['barrier', 'download'])
