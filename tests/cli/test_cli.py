"""The ``rtmpose`` command dispatches to the code the scripts run."""
import json
import os
import os.path as osp
import runpy
import subprocess
import sys
from unittest import mock

import pytest

from rtmpose import cli
from rtmpose.engine import launch

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_train_and_test_call_the_launch_functions(monkeypatch):
    calls = []
    monkeypatch.setattr(launch, 'run_train',
                        lambda argv: calls.append(('train', argv)) or 'model')
    monkeypatch.setattr(launch, 'run_test',
                        lambda argv: calls.append(('test', argv)) or {'AP': 1})
    assert cli.main(['train', 'a.py', '--threads', '1']) == 'model'
    assert cli.main(['test', 'a.py', 'b.pth', '--dump', 'x.json']) == {
        'AP': 1
    }
    assert calls == [
        ('train', ['a.py', '--threads', '1']),
        ('test', ['a.py', 'b.pth', '--dump', 'x.json']),
    ]


def test_demo_options_are_config_settings(monkeypatch):
    from rtmpose.cli import demo
    seen = []
    monkeypatch.setattr(demo, 'train',
                        lambda args, options: seen.append((args, options)))
    cli.main(['demo', '--max-epochs', '1', '--images', '16', '--threads',
              '2', '--cfg-options', 'train_cfg.max_epochs=3'])
    (args, options), = seen
    assert args.config == 'configs/demo/rtmpose-t_demo.py'
    assert args.threads == 2
    assert args.cfg_options == {'train_cfg.max_epochs': 3}
    assert options['train_cfg.max_epochs'] == 1
    assert options['train_cfg.val_interval'] == 1
    for loader in ('train', 'val', 'test'):
        key = f'{loader}_dataloader.dataset.synthetic_cfg'
        assert options[f'{key}.num_train_images'] == 16
        assert options[f'{key}.num_val_images'] == 8
    cli.main(['demo'])
    assert seen[1][1] == {}


def test_train_merges_defaults_under_cfg_options(monkeypatch):
    """``launch.train``: the caller's settings first, --cfg-options win."""
    seen = {}
    monkeypatch.setattr(launch, '_cfg_from_cli',
                        lambda args, **kw: seen.update(args.cfg_options))
    monkeypatch.setattr(launch, 'build_runner', lambda cfg: mock.Mock())
    args = launch.parse_cli(
        launch.train_parser(),
        ['a.py', '--cfg-options', 'train_cfg.max_epochs=3'])
    launch.train(args, {'train_cfg.max_epochs': 1, 'train_cfg.val_interval': 1})
    assert seen == {'train_cfg.max_epochs': 3, 'train_cfg.val_interval': 1}


@pytest.mark.parametrize('command',
                         ['predict', 'export', 'benchmark', 'demo'])
def test_script_commands_run_the_package_modules(command, monkeypatch):
    import importlib
    module = importlib.import_module(f'rtmpose.cli.{command}')
    seen = []
    monkeypatch.setattr(module, 'main', lambda argv: seen.append(argv) or 7)
    assert cli.main([command, 'cfg.py', '--x', '1']) == 7
    assert seen == [['cfg.py', '--x', '1']]


@pytest.mark.parametrize('wrapper, module', [
    ('demo/topdown_demo.py', 'rtmpose.cli.predict'),
    ('tools/deploy/export_onnx.py', 'rtmpose.cli.export'),
    ('tools/analysis/benchmark.py', 'rtmpose.cli.benchmark'),
])
def test_checkout_scripts_are_thin_wrappers(wrapper, module):
    source = open(osp.join(ROOT, wrapper)).read()
    assert f'from {module} import main' in source
    assert len(source.splitlines()) < 15


def test_unknown_command_suggests():
    with pytest.raises(SystemExit, match='did you mean "train"'):
        cli.main(['trian', 'a.py'])


def test_plot_command(tmp_path, capsys):
    run = tmp_path / '20260101_000000' / 'vis_data'
    run.mkdir(parents=True)
    records = [
        dict(lr=0.1, loss=1.0, loss_kpt=1.0, acc_pose=0.1, epoch=1, iter=2,
             step=2),
        dict(lr=0.2, loss=0.5, loss_kpt=0.5, acc_pose=0.3, epoch=2, iter=4,
             step=4),
        {'coco/AP': 0.4, 'coco/AP .5': 0.8, 'coco/AR': 0.5, 'step': 2},
    ]
    (run / 'scalars.json').write_text(
        '\n'.join(json.dumps(r) for r in records) + '\n')
    panels = cli.main(['plot', str(tmp_path)])
    assert list(panels) == ['loss', 'lr', 'acc_pose', 'validation']
    assert osp.isfile(tmp_path / 'results.png')
    assert f'wrote {tmp_path}/results.png' in capsys.readouterr().out


def test_console_script_is_declared():
    captured = {}
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        with mock.patch('setuptools.setup',
                        lambda **kw: captured.update(kw)):
            runpy.run_path(osp.join(ROOT, 'setup.py'), run_name='__main__')
    finally:
        os.chdir(cwd)
    assert captured['entry_points']['console_scripts'] == [
        'rtmpose = rtmpose.cli:console_main'
    ]
    assert any(r.startswith('tqdm') for r in captured['install_requires'])
    assert captured['extras_require']['tensorboard'] == ['tensorboard']


def test_script_and_command_share_the_options():
    env = dict(os.environ, PYTHONPATH=ROOT)

    def help_text(args):
        out = subprocess.run([sys.executable] + args + ['--help'], cwd=ROOT,
                             env=env, capture_output=True, text=True,
                             timeout=120, check=True).stdout
        return out[out.index('positional arguments'):]

    script = help_text(['tools/train.py'])
    assert '--threads' in script and '--verbose' in script
    assert '--tensorboard' in script
    assert help_text(['-m', 'rtmpose.cli', 'train']) == script
