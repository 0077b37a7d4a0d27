"""tools/train.py then tools/test.py on a tiny synthetic set, end to end."""
import json
import os
import os.path as osp
import re
import struct
import subprocess
import sys
import zlib

import numpy as np
import pytest

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(ROOT, 'configs/demo/rtmpose-t_demo.py')


def _run(args, cwd):
    env = dict(os.environ, PYTHONPATH=ROOT, OMP_NUM_THREADS='2')
    proc = subprocess.run([sys.executable] + args, cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout + proc.stderr


def _png_text(path):
    """{keyword: text} of a PNG's tEXt chunks (and a check of its layout)."""
    with open(path, 'rb') as f:
        data = f.read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n'
    pos, chunks, texts = 8, [], {}
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        assert zlib.crc32(kind + body) == struct.unpack(
            '>I', data[pos + 8 + length:pos + 12 + length])[0]
        chunks.append(kind)
        if kind == b'tEXt':
            key, _, value = body.partition(b'\0')
            texts[key.decode('latin-1')] = value.decode('latin-1')
        pos += 12 + length
    assert chunks[0] == b'IHDR' and chunks[-1] == b'IEND'
    return texts


def _tiny_options(data_root):
    return [
        f'train_dataloader.dataset.data_root={data_root}',
        f'val_dataloader.dataset.data_root={data_root}',
        f'test_dataloader.dataset.data_root={data_root}',
        f'val_evaluator.ann_file={data_root}/annotations/'
        'person_keypoints_val.json',
        f'test_evaluator.ann_file={data_root}/annotations/'
        'person_keypoints_val.json',
        'train_dataloader.dataset.synthetic_cfg.num_train_images=12',
        'train_dataloader.dataset.synthetic_cfg.num_val_images=4',
        'val_dataloader.dataset.synthetic_cfg.num_train_images=12',
        'val_dataloader.dataset.synthetic_cfg.num_val_images=4',
        'test_dataloader.dataset.synthetic_cfg.num_train_images=12',
        'test_dataloader.dataset.synthetic_cfg.num_val_images=4',
        'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'val_dataloader.num_workers=0', 'val_dataloader.persistent_workers=False',
        'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False',
        'train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
        'default_hooks.logger.interval=1',
    ]


def _metrics(log):
    found = re.findall(r'coco/AP: ([0-9.]+)\s+coco/AP \.5: ([0-9.]+)', log)
    assert found, log[-2000:]
    return [float(v) for v in found[0]]


def _keypoints(path):
    with open(path) as f:
        preds = json.load(f)
    assert len(preds) > 0 and len(preds[0]['keypoints']) == 17 * 3
    return sorted((p['image_id'], p['keypoints']) for p in preds)


def test_train_then_test_gives_same_ap(tmp_path):
    data_root = str(tmp_path / 'data')
    work_dir = str(tmp_path / 'work')
    options = _tiny_options(data_root)
    val_prefix = str(tmp_path / 'val')
    log = _run(['tools/train.py', CONFIG, '--work-dir', work_dir,
                '--cfg-options', f'val_evaluator.outfile_prefix={val_prefix}'
                ] + options, cwd=ROOT)
    train_metrics = _metrics(log)
    ckpt = osp.join(work_dir, 'epoch_1.pth')
    assert osp.isfile(ckpt)
    dump = str(tmp_path / 'test.keypoints.json')
    log = _run(['tools/test.py', CONFIG, ckpt, '--work-dir', work_dir,
                '--dump', dump, '--cfg-options'] + options, cwd=ROOT)
    assert _metrics(log) == train_metrics
    # tools/test.py prints the metrics and little else (was ~570 lines)
    assert len(log.strip().splitlines()) <= 5, log
    # the saved checkpoint reproduces validation's predictions exactly
    val_preds = _keypoints(val_prefix + '.keypoints.json')
    test_preds = _keypoints(dump)
    assert [i for i, _ in val_preds] == [i for i, _ in test_preds]
    for (_, a), (_, b) in zip(val_preds, test_preds):
        assert max(abs(x - y) for x, y in zip(a, b)) < 1e-3


def test_console_is_short_and_informative(tmp_path):
    """Header, a progress bar, the validation line and the summary in under
    60 lines; the full log in the work dir; results.png with its curves."""
    work_dir = tmp_path / 'work'
    log = _run(['tools/train.py', CONFIG, '--work-dir', str(work_dir),
                '--threads', '1', '--cfg-options'] +
               _tiny_options(str(tmp_path / 'data')) +
               ['train_dataloader.batch_size=4'], cwd=ROOT)
    lines = log.strip().splitlines()
    assert len(lines) < 60, log
    text = '\n'.join(lines)
    # header
    assert re.search(r'rtmpose-t_demo: TopdownPoseEstimator \(CSPNeXt \+ '
                     r'RTMCCHead\), '
                     r'3\.\d\d M params, 0\.\d+ GFLOPs at 96x128', text), text
    assert re.search(r'data: \d+ train samples, \d+ val samples; '
                     r'(\d+) iterations per epoch', text)
    assert 'batch 4 total (1 process(es) x 4), lr 0.002 AdamW' in text
    assert 'schedule: 1 epochs' in text
    assert 'device cpu, 1 torch thread(s), 0 dataloader worker(s)' in text
    # progress: plain lines on a pipe, the last one at 100% with loss and lr
    iters = int(re.search(r'(\d+) iterations per epoch', text).group(1))
    bar = [ln for ln in lines if ln.startswith('epoch 1/1:')]
    assert 1 <= len(bar) <= 5 and '\r' not in log
    # the rate reads 'it/s', or 's/it' below one iteration per second
    assert re.search(rf'100%\|.*\| {iters}/{iters} \[.*(it/s|s/it), '
                     r'loss=[0-9.]+, '
                     r'lr=[0-9.e-]+\]', bar[-1]), bar
    # validation line and summary
    val = [ln for ln in lines if ln.startswith('val epoch 1: coco/AP: ')]
    assert len(val) == 1 and 'coco/AR: ' in val[0]
    assert re.search(r'done in [0-9.]+ s, 1 epochs: best coco/AP [0-9.]+ at '
                     r'epoch 1', text)
    assert f'best checkpoint: {work_dir}/best_coco_AP_epoch_1.pth' in text
    assert f'plots: {work_dir}/results.png' in text
    # checkpoints get the mode of other outputs (0644 with umask 022)
    umask = os.umask(0o022)
    os.umask(umask)
    for name in ('best_coco_AP_epoch_1.pth', 'epoch_1.pth', 'results.png'):
        assert os.stat(work_dir / name).st_mode & 0o777 == 0o666 & ~umask
    # the details stay in the log file only, and no deprecation notices
    for detail in ('Config:', 'paramwise_options', 'Hooks will be executed',
                   'Epoch(train)'):
        assert detail not in text
    assert 'deprecat' not in text.lower()
    log_file = re.search(r'full log: (\S+\.log)', text).group(1)
    with open(log_file) as f:
        full = f.read()
    for detail in ('Config:', 'paramwise_options', 'Hooks will be executed',
                   'Epoch(train) [1]'):
        assert detail in full
    # results.png: a valid image with the curves listed in its metadata
    from matplotlib.image import imread
    png = str(work_dir / 'results.png')
    image = imread(png)
    assert image.ndim == 3 and image.shape[0] > 200 and image.shape[1] > 200
    panels = json.loads(_png_text(png)['Description'])
    assert panels == {'loss': ['loss', 'loss_kpt'], 'lr': ['lr (end of epoch)'],
                      'acc_pose': ['acc_pose'],
                      'validation': ['coco/AP', 'coco/AR']}
    assert sum(len(v) for v in panels.values()) == 6


def test_verbose_restores_the_full_console(tmp_path):
    log = _run(['tools/train.py', CONFIG, '--work-dir', str(tmp_path / 'w'),
                '-v', '--threads', '1', '--cfg-options'] +
               _tiny_options(str(tmp_path / 'data')), cwd=ROOT)
    assert 'Config:' in log and 'Hooks will be executed' in log
    assert 'Epoch(train) [1][1/' in log and 'eta:' in log
    assert 'epoch 1/1:' not in log  # mmengine's lines show the progress
    assert 'done in ' in log  # the summary stays


def test_bad_config_key_is_refused(tmp_path):
    env = dict(os.environ, PYTHONPATH=ROOT)
    proc = subprocess.run(
        [sys.executable, 'tools/train.py', CONFIG, '--work-dir',
         str(tmp_path), '--cfg-options', 'train_cfg.max_epoch=3'],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert 'did you mean "max_epochs"' in proc.stderr


def test_onnx_export_then_test_matches_pytorch(tmp_path):
    """export_onnx.py (fp32 and --int8) then tools/test.py on the .onnx
    files: fp32 gives PyTorch's no-flip predictions, int8 close ones."""
    import torch

    from rtmpose.apis import init_model
    torch.manual_seed(0)
    model = init_model(CONFIG)
    model.head.init_weights()
    ckpt = str(tmp_path / 'random.pth')
    torch.save(dict(state_dict=model.state_dict()), ckpt)
    options = _tiny_options(str(tmp_path / 'data')) + [
        'model.test_cfg.flip_test=False'
    ]
    dumps = {}
    for name in ('torch', 'fp32', 'int8'):
        weights = ckpt if name == 'torch' else str(tmp_path / f'{name}.onnx')
        if name == 'fp32':
            log = _run(['tools/deploy/export_onnx.py', CONFIG, ckpt,
                        '--output', weights, '--dynamic-batch', '--int8',
                        str(tmp_path / 'int8.onnx'), '--calib-num', '8',
                        '--cfg-options'] + options, cwd=ROOT)
            assert 'calibrated on 8 train crops' in log
        dumps[name] = str(tmp_path / f'{name}.keypoints.json')
        _run(['tools/test.py', CONFIG, weights, '--work-dir',
              str(tmp_path / 'work'), '--dump', dumps[name],
              '--cfg-options'] + options, cwd=ROOT)
    preds = {name: _keypoints(path) for name, path in dumps.items()}
    for name in ('fp32', 'int8'):
        assert [i for i, _ in preds[name]] == [i for i, _ in preds['torch']]
        diffs = np.abs([
            np.subtract(a, b)
            for (_, a), (_, b) in zip(preds[name], preds['torch'])
        ])
        if name == 'fp32':
            assert diffs.max() < 1e-3, diffs.max()
        else:
            # random weights give flat responses, whose argmax int8 noise
            # can move (here ~20% of them); the rest stay within a pixel
            assert 0 < diffs.max() and np.mean(diffs < 1) > 0.6
