"""tools/misc/publish_model.py: EMA weights + small meta, sha256-named."""
import hashlib
import importlib.util
import os
import os.path as osp

import numpy as np
import pytest
import torch

from rtmpose import checkpoint as ckpt_io

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _tool():
    spec = importlib.util.spec_from_file_location(
        'publish_model', osp.join(ROOT, 'tools/misc/publish_model.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _training_checkpoint():
    """Laid out as PoseRunner + EMAHook write it: EMA in state_dict."""
    ema = {'head.w': torch.full((3, 2), 0.5), 'bn.running_mean': torch.ones(2)}
    raw = {'head.w': torch.full((3, 2), 2.0), 'bn.running_mean': torch.ones(2)}
    return {
        'meta': {
            'epoch': 420, 'iter': 123, 'seed': 21, 'cfg': 'x' * 10000,
            'mmengine_version': '0.10.7', 'epoch_length': 7,
            'rng_state': {'numpy': ('MT19937', np.zeros(624, np.uint32), 0,
                                    0, 0.0)},
            'dataset_meta': {'sigmas': np.full(17, 0.05, np.float32),
                             'flip_indices': list(range(17))},
        },
        'state_dict': ema,
        'ema_state_dict': {'steps': torch.tensor(9),
                           **{f'module.{k}': v for k, v in raw.items()}},
        'optimizer': {'state': {0: {'exp_avg': torch.zeros(3, 2)}},
                      'param_groups': [{'lr': 4e-3, 'params': [0]}]},
        'param_schedulers': [{'last_step': 5}],
        'message_hub': {'runtime_info': {'iter': 122}, 'log_scalars': {}},
    }


def test_publish_keeps_ema_weights_and_small_meta(tmp_path, capsys):
    src = str(tmp_path / 'epoch_420.pth')
    torch.save(_training_checkpoint(), src)
    final = _tool().main([src, str(tmp_path / 'out' / 'rtmpose-m.pth')])
    name = osp.basename(final)
    assert name.startswith('rtmpose-m-') and name.endswith('.pth')
    with open(final, 'rb') as f:
        assert name[len('rtmpose-m-'):-4] == hashlib.sha256(
            f.read()).hexdigest()[:8]
    assert os.listdir(tmp_path / 'out') == [name]  # no temporary file left
    published = ckpt_io.load_checkpoint(final)  # safe loading
    assert set(published) == {'state_dict', 'meta'}
    assert torch.equal(published['state_dict']['head.w'],
                       torch.full((3, 2), 0.5))
    assert set(published['meta']) == {'epoch', 'iter', 'seed',
                                      'mmengine_version', 'dataset_meta'}
    assert published['meta']['dataset_meta']['sigmas'].dtype == np.float32
    assert osp.getsize(final) < osp.getsize(src)
    assert 'published' in capsys.readouterr().out


def test_publish_refuses_what_is_not_weights(tmp_path):
    src = str(tmp_path / 'bad.pth')
    torch.save({'state_dict': {'w': torch.zeros(1), 'n': 3}}, src)
    with pytest.raises(TypeError, match=r"entries \['n'\] are not tensors"):
        _tool().publish(src, str(tmp_path / 'x.pth'))
    with pytest.raises(FileNotFoundError):
        _tool().publish(str(tmp_path / 'missing.pth'), str(tmp_path / 'y'))
