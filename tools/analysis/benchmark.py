"""Speed benchmark (not a test): data pipeline, training step, forward latency.

Usage::

    python tools/analysis/benchmark.py [--threads 2] [--only pipeline train forward]

Figures are printed as a Markdown table for the README. The pipeline is
measured in one process on 640x480 JPEGs of the synthetic demo data.
"""
import argparse
import os.path as osp
import sys
import tempfile
import time

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from mmengine.config import Config  # noqa: E402
from mmengine.dataset import Compose, pseudo_collate  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402

from rtmpose.registry import DATASETS, MODELS  # noqa: E402

CONFIGS = {
    size: f'configs/rtmpose/coco/rtmpose-{size}_8xb256-420e_coco-256x192.py'
    for size in 'tsml'
}
ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _timeit(fn, warmup: int, seconds: float, min_iters: int = 3):
    for _ in range(warmup):
        fn()
    n, start = 0, time.perf_counter()
    while n < min_iters or time.perf_counter() - start < seconds:
        fn()
        n += 1
    return (time.perf_counter() - start) / n


def _build_model(size: str):
    cfg = Config.fromfile(osp.join(ROOT, CONFIGS[size]))
    cfg.model.backbone.norm_cfg = dict(type='BN')
    return MODELS.build(cfg.model), cfg


def bench_pipeline(seconds: float) -> dict:
    from rtmpose.datasets.synthetic import generate_synthetic_coco
    cfg = Config.fromfile(osp.join(ROOT, CONFIGS['s']))
    root = tempfile.mkdtemp(prefix='rtmpose-bench-')
    paths = generate_synthetic_coco(
        root, num_train_images=64, num_val_images=8, seed=0,
        image_size=(640, 480))
    results = {}
    for name, key in (('stage 1', 'train_pipeline'),
                      ('stage 2', 'train_pipeline_stage2'),
                      ('val', 'val_pipeline')):
        dataset = DATASETS.build(
            dict(
                type='CocoDataset',
                data_root=root,
                ann_file=paths['train_ann'],
                data_prefix=dict(img=paths['train_img_prefix']),
                pipeline=[],
                test_mode=False))
        pipeline = Compose(cfg[key])
        infos = [dataset.get_data_info(i) for i in range(len(dataset))]
        state = {'i': 0}

        def step():
            pipeline(dict(infos[state['i'] % len(infos)]))
            state['i'] += 1

        results[f'pipeline {name} (samples/s)'] = 1.0 / _timeit(
            step, warmup=20, seconds=seconds)
    return results


def bench_train(size: str, batch: int, seconds: float) -> float:
    model, cfg = _build_model(size)
    model.train()
    w, h = cfg.codec.input_size
    k = cfg.codec.simcc_split_ratio
    num_kpt = cfg.model.head.out_channels
    inputs = torch.randn(batch, 3, h, w)
    labels_x = torch.softmax(torch.randn(batch, num_kpt, int(w * k)), -1)
    labels_y = torch.softmax(torch.randn(batch, num_kpt, int(h * k)), -1)
    optim = torch.optim.AdamW(model.parameters(), lr=1e-4)
    loss_fn = model.head.loss_module
    weights = torch.ones(batch, num_kpt)

    def step():
        pred_x, pred_y = model(inputs, None, mode='tensor')
        loss = loss_fn((pred_x, pred_y), (labels_x, labels_y), weights)
        optim.zero_grad()
        loss.backward()
        optim.step()

    return batch / _timeit(step, warmup=2, seconds=seconds)


def bench_forward(size: str, seconds: float) -> float:
    model, cfg = _build_model(size)
    model.eval()
    w, h = cfg.codec.input_size
    x = torch.randn(1, 3, h, w)

    def step():
        with torch.inference_mode():
            model(x, None, mode='tensor')

    return 1000.0 * _timeit(step, warmup=5, seconds=seconds, min_iters=20)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--seconds', type=float, default=8.0)
    parser.add_argument(
        '--only', nargs='+', default=['pipeline', 'train', 'forward'])
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    init_default_scope('rtmpose')
    rows = []
    if 'pipeline' in args.only:
        rows += list(bench_pipeline(args.seconds).items())
    if 'train' in args.only:
        for size in 'sm':
            rows.append((f'RTMPose-{size} train step, batch 32 (img/s)',
                         bench_train(size, 32, args.seconds)))
    if 'forward' in args.only:
        for size in 'tsml':
            rows.append((f'RTMPose-{size} forward, batch 1 (ms)',
                         bench_forward(size, args.seconds)))
    print(f'\ntorch {torch.__version__}, {args.threads} threads')
    print('| measurement | value |\n|---|---|')
    for name, value in rows:
        print(f'| {name} | {value:.1f} |')


if __name__ == '__main__':
    main()
