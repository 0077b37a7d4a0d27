import pytest
from mmengine.config import Config

from rtmpose.engine.launch import (merge_cfg_options, parse_cli, prepare_cfg,
                                   train_parser)


def _cfg():
    return Config(
        dict(
            train_cfg=dict(max_epochs=10, val_interval=1),
            optim_wrapper=dict(optimizer=dict(type='AdamW', lr=1e-3)),
            auto_scale_lr=dict(base_batch_size=1024),
            pipeline=[dict(type='LoadImage'), dict(type='TopdownAffine')]))


def test_known_keys_merge():
    cfg = _cfg()
    merge_cfg_options(cfg, {'train_cfg.max_epochs': 3,
                            'optim_wrapper.optimizer.lr': 0.5,
                            'pipeline.1.input_size': (96, 128)})
    assert cfg.train_cfg.max_epochs == 3
    assert cfg.optim_wrapper.optimizer.lr == 0.5
    assert cfg.pipeline[1].input_size == (96, 128)


def test_typo_in_leaf_is_refused_with_suggestion():
    with pytest.raises(KeyError, match='did you mean "max_epochs"'):
        merge_cfg_options(_cfg(), {'train_cfg.max_epoch': 3})


def test_missing_parent_is_refused():
    with pytest.raises(KeyError, match='"optim_wraper"'):
        merge_cfg_options(_cfg(), {'optim_wraper.optimizer.lr': 1.0})


def test_new_leaf_without_close_match_is_added():
    cfg = _cfg()
    merge_cfg_options(cfg, {'train_cfg.dynamic_intervals': [(5, 1)]})
    assert cfg.train_cfg.dynamic_intervals == [(5, 1)]


def test_prepare_cfg_work_dir_resume_and_scale_lr():
    cfg = prepare_cfg(
        _cfg(), 'configs/x/my-model_cfg.py', resume='auto',
        auto_scale_lr=True)
    assert cfg.work_dir.endswith('work_dirs/my-model_cfg')
    assert cfg.resume is True and cfg.load_from is None
    assert cfg.auto_scale_lr.enable is True
    cfg = prepare_cfg(_cfg(), 'a.py', work_dir='/tmp/w', resume='/tmp/c.pth')
    assert (cfg.work_dir, cfg.load_from) == ('/tmp/w', '/tmp/c.pth')


def test_torchrun_without_launcher_is_refused(monkeypatch, capsys):
    monkeypatch.setenv('WORLD_SIZE', '2')
    with pytest.raises(SystemExit):
        parse_cli(train_parser(), ['a.py'])
    assert 'without --launcher pytorch' in capsys.readouterr().err
    args = parse_cli(train_parser(), ['a.py', '--launcher', 'pytorch'])
    assert args.launcher == 'pytorch'


def test_amp_without_cuda_is_explained():
    with pytest.raises(RuntimeError, match='--amp needs a CUDA device'):
        prepare_cfg(_cfg(), 'a.py', amp=True)


def test_tensorboard_backend_is_added_once_and_optional(monkeypatch):
    import importlib.util

    from rtmpose.engine import launch
    cfg = _cfg()
    cfg.visualizer = dict(type='Visualizer',
                          vis_backends=[dict(type='LocalVisBackend')])
    monkeypatch.setattr(importlib.util, 'find_spec', lambda name: object())
    prepare_cfg(cfg, 'a.py', tensorboard=True)
    launch.add_tensorboard(cfg)
    assert [b['type'] for b in cfg.visualizer.vis_backends] == [
        'LocalVisBackend', 'TensorboardVisBackend'
    ]
    assert prepare_cfg(_cfg(), 'a.py', verbose=True).verbose is True
    monkeypatch.setattr(importlib.util, 'find_spec', lambda name: None)
    with pytest.raises(ImportError, match=r'pip install -e "\.\[tensorboard\]"'):
        prepare_cfg(_cfg(), 'a.py', tensorboard=True)
