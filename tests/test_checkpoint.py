"""rtmpose.checkpoint: safe reading, the published layouts, load_weights
and its report."""
import os

import numpy as np
import pytest
import torch
from torch import nn

from rtmpose import checkpoint as ckpt_io

def _model():
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.Flatten(), nn.Linear(4, 2))


def _published(model):
    """A file laid out like a published mmpose checkpoint."""
    return {
        'meta': {
            'epoch': 420,
            'mmengine_version': '0.4.0',
            'dataset_meta': {
                'sigmas': np.array([0.026, 0.025], dtype=np.float32),
                'joint_weights': np.ones(2),
                'num_keypoints': np.int64(2),
                'flip_indices': [1, 0],
            },
        },
        'state_dict': {f'backbone.{k}': v
                       for k, v in model.state_dict().items()},
    }


def test_published_checkpoint_loads_safely(tmp_path):
    src = _model()
    path = str(tmp_path / 'published.pth')
    torch.save(_published(src), path)

    loaded = ckpt_io.load_checkpoint(path)
    assert loaded['meta']['dataset_meta']['sigmas'].dtype == np.float32
    dst = nn.Sequential(
        nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.Flatten(), nn.Linear(4, 2))
    report = ckpt_io.load_state_dict(
        dst, ckpt_io.revise_state_dict(loaded['state_dict'], 'backbone.'))
    assert len(report['matched']) == len(src.state_dict())
    for key, value in src.state_dict().items():
        assert torch.equal(dst.state_dict()[key], value)


def test_strict_loading_names_missing_and_unexpected_keys(tmp_path):
    state = dict(_model().state_dict())
    state.pop('3.bias')
    state['extra.weight'] = torch.zeros(1)
    with pytest.raises(RuntimeError, match=r'missing: 3\.bias') as err:
        ckpt_io.load_state_dict(_model(), state, strict=True)
    assert 'extra.weight' in str(err.value)
    # non-strict copies what matches and reports the rest
    report = ckpt_io.load_state_dict(_model(), state, strict=False)
    assert report['missing'] == ['3.bias']
    assert report['unexpected'] == ['extra.weight']


def test_shape_mismatch_is_reported():
    state = dict(_model().state_dict())
    state['3.weight'] = torch.zeros(5, 4)
    with pytest.raises(RuntimeError, match=r'3\.weight: checkpoint \(5, 4\)'):
        ckpt_io.load_state_dict(_model(), state)


def test_pickled_callable_is_refused(tmp_path):
    path = str(tmp_path / 'evil.pth')
    torch.save({'state_dict': _model().state_dict(), 'hook': os.system}, path)
    with pytest.raises(ckpt_io.UnsafeCheckpointError, match='system'):
        ckpt_io.load_checkpoint(path)


class _Payload:

    def __reduce__(self):
        return (print, ('pwned', ))


def test_reduce_payload_is_refused(tmp_path):
    path = str(tmp_path / 'evil2.pth')
    with open(path, 'wb') as f:
        torch.save({'x': _Payload()}, f)
    with pytest.raises(ckpt_io.UnsafeCheckpointError, match='print'):
        ckpt_io.load_checkpoint(path)


def test_missing_and_garbage_files(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        ckpt_io.load_checkpoint(str(tmp_path / 'nope.pth'))
    garbage = tmp_path / 'garbage.pth'
    garbage.write_bytes(b'not a checkpoint')
    with pytest.raises(RuntimeError, match='garbage.pth'):
        ckpt_io.load_checkpoint(str(garbage))


def test_checkpoint_without_weights_is_explained():
    with pytest.raises(KeyError, match='state_dict'):
        ckpt_io.get_state_dict({'meta': {}, 'optimizer': {}})


@pytest.mark.parametrize('write, unsafe', [
    # torch's legacy (pre-zip) format
    (lambda obj, path: torch.save(obj, path,
                                  _use_new_zipfile_serialization=False),
     'print'),
    # a plain pickle, as pickle.dump writes it
    (lambda obj, path: path.write_bytes(__import__('pickle').dumps(obj)),
     'builtins.print'),
])
def test_every_format_gets_our_refusal_naming_the_global(tmp_path, write,
                                                         unsafe):
    path = tmp_path / 'evil.pth'
    write({'w': torch.ones(2), 'x': _Payload()}, path)
    with pytest.raises(ckpt_io.UnsafeCheckpointError) as err:
        ckpt_io.load_checkpoint(str(path))
    message = str(err.value)
    assert f'refusing to load {path}' in message and unsafe in message
    assert 'weights_only' not in message  # not torch's advice


def test_legacy_format_with_plain_content_loads(tmp_path):
    path = tmp_path / 'legacy.pth'
    torch.save({'state_dict': {'w': torch.arange(3.)}, 'meta': {'epoch': 2}},
               path, _use_new_zipfile_serialization=False)
    ckpt = ckpt_io.load_checkpoint(str(path))
    assert ckpt['meta'] == {'epoch': 2}
    torch.testing.assert_close(ckpt['state_dict']['w'], torch.arange(3.))


def test_empty_and_truncated_files_say_why(tmp_path):
    empty = tmp_path / 'empty.pth'
    empty.write_bytes(b'')
    with pytest.raises(RuntimeError, match=r'empty.pth: the file is empty '
                       r'\(0 bytes'):
        ckpt_io.load_checkpoint(str(empty))
    good = tmp_path / 'good.pth'
    torch.save({'w': torch.ones(1000)}, good)
    cut = tmp_path / 'cut.pth'
    cut.write_bytes(good.read_bytes()[:500])
    with pytest.raises(RuntimeError, match=r'could not read checkpoint '
                       r'.*cut.pth: \S') as err:
        ckpt_io.load_checkpoint(str(cut))
    assert 'weights_only' not in str(err.value)
