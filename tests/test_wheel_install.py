"""Every ``rtmpose`` command works from a built wheel, in a fresh virtual
environment (no system site-packages, no path into the checkout), run from
another directory: the configs, the dataset descriptions and the demo data
generator must all come from inside the installed package.

The venv (torch, the wheel's dependencies, the ``deploy`` extra) is cached
under ``$RTMPOSE_TEST_CACHE`` (default ``~/.cache/rtmpose-tests``), keyed by
the requirements; the wheel is rebuilt and reinstalled into it when the
package source changes (keyed by a hash of the source). Without a package
index the test is skipped. Deselect it with ``-m "not wheel"``.
"""
import fcntl
import hashlib
import json
import os
import os.path as osp
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# what the wheel is built from
SOURCES = ('setup.py', 'setup.cfg', 'MANIFEST.in', 'README.md',
           'requirements.txt', 'rtmpose', 'configs')
TORCH = 'torch==2.13.0'
CACHE = Path(os.environ.get('RTMPOSE_TEST_CACHE',
                            Path.home() / '.cache' / 'rtmpose-tests'))
# pip's messages when a package index cannot be reached
OFFLINE = ('No matching distribution', 'Could not find a version',
           'NewConnectionError', 'Network is unreachable',
           'Temporary failure in name resolution')
DEMO = 'configs/demo/rtmpose-t_demo.py'
# the demo's generated data at its smallest (`rtmpose demo --images 8`)
SMALL_DATA = [f'{loader}.dataset.synthetic_cfg.{key}=8'
              for loader in ('val_dataloader', 'test_dataloader')
              for key in ('num_train_images', 'num_val_images')]
NO_WORKERS = [f'{loader}.{key}' for loader in ('train_dataloader',
                                               'val_dataloader')
              for key in ('num_workers=0', 'persistent_workers=False')]

pytestmark = pytest.mark.wheel


def _source_files() -> list:
    listed = subprocess.run(
        ['git', 'ls-files', '-co', '--exclude-standard', *SOURCES], cwd=ROOT,
        capture_output=True, text=True, check=True).stdout.split()
    return sorted(f for f in listed if osp.isfile(ROOT / f)
                  and '__pycache__' not in f)


def _digest(files, root=ROOT) -> str:
    h = hashlib.sha256()
    for rel in files:
        h.update(rel.encode() + b'\0' + (root / rel).read_bytes() + b'\0')
    return h.hexdigest()[:16]


def _pip(python, args, cwd):
    done = subprocess.run([str(python), '-m', 'pip', *args], cwd=cwd,
                          capture_output=True, text=True, timeout=1800)
    out = done.stdout[-3000:] + done.stderr[-3000:]
    if done.returncode and any(m in out for m in OFFLINE):
        pytest.skip(f'no package index for pip {" ".join(args)}')
    assert done.returncode == 0, out


def _build_wheel(files, out_dir: Path) -> Path:
    """The wheel of a clean copy of ``files`` (building leaves build/ and
    egg-info behind), with this python's setuptools (offline)."""
    src = out_dir / 'src'
    shutil.rmtree(src, ignore_errors=True)
    for rel in files:
        os.makedirs(osp.dirname(src / rel), exist_ok=True)
        shutil.copy2(ROOT / rel, src / rel)
    _pip(sys.executable, ['wheel', '--no-deps', '--no-build-isolation',
                          '-w', str(out_dir / 'dist'), '.'], cwd=src)
    (whl, ) = (out_dir / 'dist').glob('rtmpose-*.whl')
    return whl


@pytest.fixture(scope='module')
def wheel_venv(tmp_path_factory):
    """A venv with the freshly built wheel installed (cached, see above)."""
    files = _source_files()
    deps_key = _digest(['requirements.txt']) + hashlib.sha256(
        (TORCH + sys.version).encode()).hexdigest()[:8]
    env_dir = CACHE / f'wheel-venv-{deps_key}'
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / 'lock', 'w') as lock:
        # one pytest session builds at a time; the others reuse its venv
        fcntl.flock(lock, fcntl.LOCK_EX)
        python = env_dir / 'bin' / 'python'
        marker = env_dir / 'rtmpose-source'
        source_key = _digest(files)
        if not (env_dir / 'deps-done').is_file():
            shutil.rmtree(env_dir, ignore_errors=True)
            venv.create(env_dir, with_pip=True, system_site_packages=False)
            _pip(python, ['install', TORCH], cwd=CACHE)
            whl = _build_wheel(files, tmp_path_factory.mktemp('wheel'))
            _pip(python, ['install', f'{whl}[deploy]'], cwd=CACHE)
            (env_dir / 'deps-done').write_text(TORCH)
            marker.write_text(source_key)
        elif not marker.is_file() or marker.read_text() != source_key:
            whl = _build_wheel(files, tmp_path_factory.mktemp('wheel'))
            _pip(python, ['install', '--no-deps', '--force-reinstall',
                          str(whl)], cwd=CACHE)
            marker.write_text(source_key)
    return env_dir


def _run(env_dir, command, cwd, **env_vars) -> str:
    """``command`` (a program of the venv first) in ``cwd``, with no path
    into the checkout; its console output."""
    env = {k: v for k, v in os.environ.items()
           if k not in ('PYTHONPATH', 'VIRTUAL_ENV', 'RTMPOSE_MODEL_INDEX')}
    env.update(OMP_NUM_THREADS='1', PATH=f'{env_dir / "bin"}:{env["PATH"]}',
               **env_vars)
    proc = subprocess.run([str(env_dir / 'bin' / command[0]), *command[1:]],
                          cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, f'{" ".join(command)}:\n{out[-4000:]}'
    return out


def _rtmpose(env_dir, args, cwd, **env_vars) -> str:
    return _run(env_dir, ['rtmpose', *args], cwd, **env_vars)


def test_every_command_runs_from_the_wheel(wheel_venv, tmp_path):
    run = tmp_path / 'elsewhere'
    run.mkdir()
    where = _run(wheel_venv,
                 ['python', '-c', 'import rtmpose; print(rtmpose.__file__)'],
                 run)
    assert where.startswith(str(wheel_venv)), where

    # one epoch of the demo on 8 generated images: data, training, COCO AP
    log = _rtmpose(wheel_venv, [
        'demo', '--max-epochs', '1', '--images', '8', '--threads', '1',
        '--work-dir', 'work', '--cfg-options', *NO_WORKERS
    ], run)
    assert 'epoch 1/1' in log and 'coco/AP' in log, log[-2000:]
    assert (run / 'data/demo_synthetic/images/train').is_dir()
    checkpoint = run / 'work/epoch_1.pth'
    assert checkpoint.is_file()

    # the trained checkpoint as a published model (a local tiny one)
    index = tmp_path / 'index.json'
    index.write_text(json.dumps({'demo-t': dict(
        task='body', config=DEMO, weights=checkpoint.as_uri(), sha256=None,
        input_size=[96, 128], dataset='synthetic', ap=0.0, params_m=3.2)}))
    named = dict(RTMPOSE_MODEL_INDEX=str(index),
                 TORCH_HOME=str(tmp_path / 'torch'))
    listed = _rtmpose(wheel_venv, ['models'], run, **named)
    assert 'rtmpose-m' in listed and 'demo-t' in listed, listed

    metrics = _rtmpose(wheel_venv, [
        'test', 'demo-t', '--threads', '1', '--work-dir', 'test',
        '--cfg-options', *SMALL_DATA, 'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False'
    ], run, **named)
    assert 'coco/AP' in metrics, metrics[-2000:]

    _rtmpose(wheel_venv, ['predict', '--make-sample', 'sample'], run)
    _rtmpose(wheel_venv, [
        'predict', 'demo-t', '--input', 'sample/frame.jpg', '--det-json',
        'sample/detections.json', '--output', 'out/frame.jpg', '--save-coco'
    ], run, **named)
    assert (run / 'out/frame.jpg').is_file()
    frames = json.loads((run / 'out/frame.json').read_text())['frames']
    assert len(frames) == 1 and len(frames[0]['instances']) == 2
    assert len(json.loads((run / 'out/frame.keypoints.json').read_text())) \
        == 2

    _rtmpose(wheel_venv, ['export', DEMO, str(checkpoint), '--output',
                          'm.onnx'], run)
    assert (run / 'm.onnx').stat().st_size > 100_000


def test_wheel_holds_every_config(tmp_path):
    """Each file of configs/ (and the package's dataset descriptions) is in
    the wheel under rtmpose/configs/, by the same relative name."""
    import zipfile
    files = _source_files()
    names = zipfile.ZipFile(_build_wheel(files, tmp_path)).namelist()
    shipped = {n[len('rtmpose/'):] for n in names
               if n.startswith('rtmpose/configs/')}
    expected = {f[len('rtmpose/'):] if f.startswith('rtmpose/') else f
                for f in files if f.startswith(('configs/',
                                                'rtmpose/configs/'))}
    assert len(expected) > 70 and shipped == expected
