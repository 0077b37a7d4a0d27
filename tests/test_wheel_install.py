"""A built wheel works outside the checkout: the wheel is installed into a
fresh directory (not editable), and ``tools/train.py`` trains one iteration
of the demo config from another working directory, with no path into the
checkout, so the dataset metainfo must come from inside the package."""
import importlib.util
import os
import os.path as osp
import shutil
import subprocess
import sys

import pytest

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
# pip's messages when the build backend (setuptools, wheel) cannot be fetched
OFFLINE = ('No matching distribution', 'Could not find a version',
           'NewConnectionError', 'Network is unreachable')


def _pip(args, cwd):
    return subprocess.run([sys.executable, '-m', 'pip'] + args, cwd=cwd,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope='module')
def installed(tmp_path_factory):
    """The directory a freshly built wheel is installed into."""
    tmp = tmp_path_factory.mktemp('wheel')
    src = tmp / 'src'  # a copy: building leaves build/ and egg-info behind
    tracked = subprocess.run(['git', 'ls-files', 'setup.py', 'README.md',
                              'requirements.txt', 'rtmpose'], cwd=ROOT,
                             capture_output=True, text=True, check=True)
    for rel in tracked.stdout.split():
        os.makedirs(osp.dirname(src / rel), exist_ok=True)
        shutil.copy2(osp.join(ROOT, rel), src / rel)
    # the venv's setuptools builds it offline when `wheel` is there
    isolation = (['--no-build-isolation']
                 if importlib.util.find_spec('wheel') else [])
    built = _pip(['wheel', '--no-deps', *isolation, '-w', str(tmp / 'dist'),
                  '.'], cwd=src)
    if built.returncode and any(m in built.stdout + built.stderr
                                for m in OFFLINE):
        pytest.skip('no build backend to build the wheel with (offline)')
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    (whl, ) = (tmp / 'dist').glob('rtmpose-*.whl')
    target = tmp / 'site'
    done = _pip(['install', '--no-deps', '--target', str(target), str(whl)],
                cwd=tmp)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return target


def _run(args, cwd, target):
    env = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}
    env.update(PYTHONPATH=str(target), OMP_NUM_THREADS='1')
    proc = subprocess.run([sys.executable] + args, cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout + proc.stderr


def test_wheel_ships_metainfo_and_trains_the_demo(installed, tmp_path):
    run = tmp_path / 'elsewhere'
    # the user's side: their configs and the train script, no checkout
    shutil.copytree(osp.join(ROOT, 'configs'), run / 'configs')
    os.makedirs(run / 'tools')
    shutil.copy2(osp.join(ROOT, 'tools', 'train.py'), run / 'tools')
    where = _run(['-c', 'import rtmpose; print(rtmpose.__file__)'], run,
                 installed)
    assert where.strip().startswith(str(installed)), where
    meta = _run(['-c', 'from rtmpose.datasets import parse_pose_metainfo; '
                 "m = parse_pose_metainfo(dict(from_file='configs/_base_/"
                 "datasets/coco.py')); print(m['num_keypoints'])"], tmp_path,
                installed)
    assert meta.strip().splitlines()[-1] == '17'

    data = str(tmp_path / 'data')
    ann = f'{data}/annotations/person_keypoints_val.json'
    options = [f'{key}.dataset.{opt}' for key in
               ('train_dataloader', 'val_dataloader', 'test_dataloader')
               for opt in (f'data_root={data}',
                           'synthetic_cfg.num_train_images=2',
                           'synthetic_cfg.num_val_images=2')]
    options += [f'{key}.{opt}' for key in ('train_dataloader',
                                           'val_dataloader')
                for opt in ('num_workers=0', 'persistent_workers=False')]
    options += [f'val_evaluator.ann_file={ann}',
                f'test_evaluator.ann_file={ann}', 'train_cfg.max_epochs=1',
                'train_dataloader.batch_size=64',  # one iteration
                'train_cfg.val_interval=1', 'default_hooks.logger.interval=1']
    log = _run(['tools/train.py', 'configs/demo/rtmpose-t_demo.py',
                '--work-dir', str(tmp_path / 'work'), '--cfg-options'] +
               options, run, installed)
    assert 'epoch 1/1' in log, log[-2000:]
    assert 'coco/AP' in log, log[-2000:]
    assert osp.isfile(tmp_path / 'work' / 'epoch_1.pth')
