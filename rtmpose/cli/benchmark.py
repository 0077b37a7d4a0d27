"""Speed benchmark (not a test): data pipeline, training step, forward latency,
PyTorch eager vs onnxruntime, and the stages of the video pipeline.

Usage::

    rtmpose benchmark [--threads 2] \
        [--only pipeline train forward onnx video vitpose detector det_video]
        [--onnx-size m]

Figures are printed as a Markdown table for the README. The pipeline is
measured in one process on 640x480 JPEGs of the synthetic demo data.
"""
import argparse
import functools
import os.path as osp
import tempfile
import time


import numpy as np
import torch
from mmengine.dataset import Compose
from mmengine.registry import init_default_scope

from rtmpose.config_loading import load_config
from rtmpose.registry import DATASETS, MODELS

CONFIGS = {
    size: f'configs/rtmpose/coco/rtmpose-{size}_8xb256-420e_coco-256x192.py'
    for size in 'tsml'
}
VITPOSE_CONFIGS = {
    size: f'configs/vitpose/coco/vitpose-{arch}_8xb64-210e_coco-256x192.py'
    for size, arch in (('S', 'small'), ('B', 'base'))
}


def _timeit(fn, warmup: int, seconds: float, min_iters: int = 3):
    for _ in range(warmup):
        fn()
    n, start = 0, time.perf_counter()
    while n < min_iters or time.perf_counter() - start < seconds:
        fn()
        n += 1
    return (time.perf_counter() - start) / n


def _build_model(size: str):
    cfg = load_config(CONFIGS[size])
    cfg.model.backbone.norm_cfg = dict(type='BN')
    return MODELS.build(cfg.model), cfg


def bench_pipeline(seconds: float) -> dict:
    import cv2

    from rtmpose.datasets.synthetic import generate_synthetic_coco

    # one process, one thread: what a single dataloader worker gets (the
    # runner sets opencv_num_threads=0 in workers too)
    cv2.setNumThreads(0)
    cfg = load_config(CONFIGS['s'])
    root = tempfile.mkdtemp(prefix='rtmpose-bench-')
    paths = generate_synthetic_coco(
        root, num_train_images=64, num_val_images=8, seed=0,
        image_size=(640, 480))
    dataset = DATASETS.build(
        dict(
            type='CocoDataset',
            data_root=root,
            ann_file=paths['train_ann_file'],
            data_prefix=dict(img=paths['train_img_dir'] + '/'),
            pipeline=[]))
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    results = {}
    for name, key in (('stage 1', 'train_pipeline'),
                      ('stage 2', 'train_pipeline_stage2'),
                      ('val', 'val_pipeline')):
        pipeline = Compose(cfg[key])
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
    w, h = model.input_spec.input_size
    k = model.input_spec.codec.simcc_split_ratio
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
    model, _ = _build_model(size)
    model.eval()
    w, h = model.input_spec.input_size
    x = torch.randn(1, 3, h, w)

    def step():
        with torch.inference_mode():
            model(x, None, mode='tensor')

    return 1000.0 * _timeit(step, warmup=5, seconds=seconds, min_iters=20)


def _build_vitpose(size: str):
    """ViTPose-``size`` (classic decoder) with random weights: no MAE
    download."""
    cfg = load_config(VITPOSE_CONFIGS[size])
    cfg.model.backbone.init_cfg = None
    return MODELS.build(cfg.model), cfg


def bench_vitpose(size: str, train_batch: int, seconds: float) -> list:
    """ViTPose-``size`` at 256x192: forward latency at batch 1 (eval,
    heatmaps out) and training steps (forward, heatmap MSE, backward,
    AdamW) at ``train_batch``."""
    model, cfg = _build_vitpose(size)
    w, h = model.input_spec.input_size
    hw, hh = model.input_spec.codec.heatmap_size
    num_kpt = cfg.model.head.out_channels
    model.eval()
    x = torch.randn(1, 3, h, w)

    def forward():
        with torch.inference_mode():
            model(x, None, mode='tensor')

    latency = _timeit(forward, warmup=3, seconds=seconds, min_iters=10)

    model.train()
    inputs = torch.randn(train_batch, 3, h, w)
    targets = torch.rand(train_batch, num_kpt, hh, hw)
    weights = torch.ones(train_batch, num_kpt)
    optim = torch.optim.AdamW(model.parameters(), lr=1e-4)
    loss_fn = model.head.loss_module

    def step():
        loss = loss_fn(model(inputs, None, mode='tensor'), targets, weights)
        optim.zero_grad()
        loss.backward()
        optim.step()

    step_time = _timeit(step, warmup=1, seconds=seconds, min_iters=2)
    return [(f'ViTPose-{size} forward, batch 1 (ms)', 1000 * latency),
            (f'ViTPose-{size} train step, batch {train_batch} (img/s)',
             train_batch / step_time)]


def _export(size: str, out_dir: str, fp16: bool = False):
    """Eval-mode RTMPose-``size`` (random weights, plain BN), its ONNX export
    with a dynamic batch and an int8 copy (and with ``fp16`` a float16 one
    and the fp32 mmdeploy SDK directory); returns (model, {name: path}):
    'fp32', 'int8' (, 'fp16', 'fp32 mmdeploy'). The int8 ranges come from
    random crops (the weights are random too); speed does not depend on
    them."""
    from rtmpose.apis import init_model
    from rtmpose.deploy.export import export_onnx
    from rtmpose.deploy.export_sdk import export_sdk
    from rtmpose.deploy.quantize import quantize_int8
    model = init_model(
        CONFIGS[size],
        cfg_options={'model.backbone.norm_cfg': dict(type='BN')})
    paths = dict(fp32=osp.join(out_dir, f'rtmpose-{size}.onnx'),
                 int8=osp.join(out_dir, f'rtmpose-{size}-int8.onnx'))
    export_onnx(model, paths['fp32'], dynamic_batch=True)
    w, h = model.input_spec.input_size
    quantize_int8(
        paths['fp32'], paths['int8'],
        np.random.default_rng(0).integers(0, 256, (32, h, w, 3),
                                          dtype=np.uint8))
    if fp16:
        paths['fp16'] = osp.join(out_dir, f'rtmpose-{size}-fp16.onnx')
        export_onnx(model, paths['fp16'], dynamic_batch=True, fp16=True)
        paths['fp32 mmdeploy'] = osp.join(out_dir, f'rtmpose-{size}-sdk')
        export_sdk(model, paths['fp32 mmdeploy'])
    return model, paths


def _timeit_rounds(fns: dict, seconds: float, rounds: int = 5) -> dict:
    """Each fn's fastest mean call time (s) over ``rounds`` blocks of
    ``seconds / rounds``, the fns taking turns block by block. On a shared
    2-core VM block times drift by +-30% within a minute; taking turns
    exposes every fn to the same drift and the fastest block is the least
    disturbed one. Two warm-up calls per block let the previous runtime's
    spinning thread pool go idle."""
    times = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            times[name].append(
                _timeit(fn, warmup=2, seconds=seconds / rounds, min_iters=2))
    return {name: min(t) for name, t in times.items()}


def bench_onnx(size: str, seconds: float, threads: int) -> list:
    """PyTorch eager vs onnxruntime fp32, fp16, int8 (``quantize_int8``)
    and the fp32 mmdeploy-format export (float NCHW input, normalised in
    numpy) on uint8 crops, all including the input normalisation: latency
    at batch 1, throughput at batch 32."""
    from rtmpose.runtime import OnnxPoseEstimator
    model, paths = _export(size,
                           tempfile.mkdtemp(prefix='rtmpose-onnx-'),
                           fp16=True)
    w, h = model.input_spec.input_size
    rng = np.random.default_rng(1)
    runtimes = {
        f'onnxruntime {name}': OnnxPoseEstimator(path, threads)
        for name, path in paths.items()
    }
    rows = []
    for batch in (1, 32):
        crops = rng.integers(0, 256, (batch, h, w, 3), dtype=np.uint8)
        inputs = torch.from_numpy(crops).permute(0, 3, 1, 2)

        def eager():
            with torch.inference_mode():
                x = model.data_preprocessor(dict(inputs=inputs))['inputs']
                model(x, None, mode='tensor')

        fns = {'eager PyTorch': eager}
        for name, runtime in runtimes.items():
            fns[name] = functools.partial(runtime.forward, crops)
        t = _timeit_rounds(fns, seconds)
        for name, sec in t.items():
            rows.append((f'RTMPose-{size} {name}, batch 1 (ms)', 1000 * sec)
                        if batch == 1 else
                        (f'RTMPose-{size} {name}, batch {batch} (img/s)',
                         batch / sec))
        if batch == 1:
            rows += [(f'RTMPose-{size} {name} / eager latency',
                      t[name] / t['eager PyTorch']) for name in runtimes]
    return rows


def bench_video(size: str, threads: int, num_frames: int = 60,
                detector=None, det_weights=None) -> list:
    """Per-stage time per frame of the video pipeline (onnxruntime
    RTMPose-``size`` int8, 2 people per frame) with detection on every frame
    and on every 5th. Default boxes come from a detection JSON (ground truth),
    so 'detect' is only the box lookup / propagation; pass a torchvision
    ``detector`` name (and weights) for a real detector's cost."""
    from rtmpose.apis import STAGES, PoseInferencer
    from rtmpose.datasets.synthetic import make_synthetic_video
    tmp = tempfile.mkdtemp(prefix='rtmpose-video-')
    video = make_synthetic_video(tmp, num_frames=num_frames)
    path = _export(size, tmp)[1]['int8']
    rows = []
    for interval in (1, 5):
        inferencer = PoseInferencer(
            path,
            detector=detector or video['det_json'],
            det_weights=det_weights,
            det_interval=interval,
            smooth=True,
            num_threads=threads)
        list(inferencer(video['video']))  # warm-up pass
        list(inferencer(video['video']))
        n = inferencer.num_frames
        total = 0.0
        for stage in STAGES:
            ms = 1000 * inferencer.timings[stage] / n
            total += ms
            rows.append((f'video K={interval}: {stage} (ms/frame)', ms))
        rows.append((f'video K={interval}: total (ms/frame)', total))
        rows.append((f'video K={interval}: detector calls / frame',
                     inferencer.detector_calls / n))
    return rows


DET_CONFIGS = {
    'nano': 'configs/rtmdet/person/rtmdet_nano_320-8xb32_coco-person.py',
    'm': 'configs/rtmdet/person/rtmdet_m_640-8xb32_coco-person.py',
}
# plain BN instead of the configs' SyncBN (same eval-mode computation)
_DET_BN = {f'model.{part}.norm_cfg': dict(type='BN')
           for part in ('backbone', 'neck', 'bbox_head')}


def _calibrate_norms(model, input_wh) -> None:
    """Give the BNs of a random-weights model the statistics of random
    inputs: untrained running stats let activations shrink into subnormal
    floats, which CPUs process many times slower than trained weights'."""
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.momentum = None
    model.train()
    with torch.no_grad():
        for _ in range(2):
            model(torch.randn(2, 3, input_wh[1], input_wh[0]), None,
                  mode='tensor')
    model.eval()


def _export_detector(size: str, out_dir: str):
    """Eval-mode RTMDet-``size`` (random weights), its ONNX export and an
    int8 copy (ranges from random images: speed does not depend on them);
    returns (model, fp32 path, int8 path)."""
    from rtmpose.apis import init_model
    from rtmpose.deploy.export_detector import export_detector_onnx
    from rtmpose.deploy.quantize import quantize_int8
    model = init_model(DET_CONFIGS[size], cfg_options=_DET_BN)
    _calibrate_norms(model, model.cfg.test_dataloader.dataset.pipeline[1]
                     ['scale'])
    path = osp.join(out_dir, f'rtmdet-{size}.onnx')
    meta = export_detector_onnx(model, path)
    int8_path = osp.join(out_dir, f'rtmdet-{size}-int8.onnx')
    w, h = meta['input_size']
    quantize_int8(
        path, int8_path,
        np.random.default_rng(0).integers(0, 256, (8, h, w, 3),
                                          dtype=np.uint8))
    return model, path, int8_path


def bench_detector(seconds: float, threads: int) -> list:
    """RTMDet-nano (320) and -m (640) at batch 1: eager PyTorch forward
    (network only, as the target) and onnxruntime fp32 / int8 (graph:
    normalisation, network, box decoding)."""
    from rtmpose.runtime import OnnxDetector
    rows = []
    # random weights: keep subnormal floats (which trained weights do not
    # produce) from dominating the timings
    torch.set_flush_denormal(True)
    for size in DET_CONFIGS:
        model, path, int8_path = _export_detector(
            size, tempfile.mkdtemp(prefix='rtmpose-det-'))
        w, h = OnnxDetector(path).input_size
        x = torch.randn(1, 3, h, w)
        image = np.random.default_rng(0).integers(0, 256, (1, h, w, 3),
                                                  dtype=np.uint8)

        def eager():
            with torch.inference_mode():
                model(x, None, mode='tensor')

        fns = {'eager PyTorch': eager}
        for name, file in (('onnxruntime fp32', path),
                           ('onnxruntime int8', int8_path)):
            session = OnnxDetector(file, num_threads=threads).session
            fns[name] = functools.partial(session.run, None,
                                          {'images': image})
        for name, sec in _timeit_rounds(fns, seconds).items():
            rows.append((f'RTMDet-{size} {w}x{h} {name} forward, batch 1 '
                         '(ms)', 1000 * sec))
    return rows


class _TimedDetectorGTBoxes:
    """Runs the ONNX detector in full (letterbox, graph, numpy top-k and
    NMS) for its cost, then returns the video's ground-truth boxes: a
    random-weights detector finds no people, and the pose stage's cost
    depends on their number."""

    def __init__(self, detector, gt_detector):
        self.detector, self.gt = detector, gt_detector

    def __call__(self, img, frame_id=0, name=None):
        self.detector.detect(img)
        return self.gt(img, frame_id, name)


def bench_det_pose_video(threads: int, pose_sizes='tsm', intervals=(1, 5),
                         people=(1, 2, 4, 10), num_frames=40) -> list:
    """Whole video pipeline per frame (PoseInferencer: detection, crops,
    one batched pose forward, decoding, pose NMS, tracking, One-Euro) with
    the RTMDet-nano ONNX detector and RTMPose ONNX models (fp32; for
    RTMPose-m also both int8), detection every frame (K=1) and every 5th
    (K=5), with 1 to 10 people."""
    from rtmpose.apis import CocoJsonDetector, PoseInferencer
    from rtmpose.datasets.synthetic import make_synthetic_video
    from rtmpose.runtime import OnnxDetector
    tmp = tempfile.mkdtemp(prefix='rtmpose-detpose-')
    torch.set_flush_denormal(True)
    _, det_path, det_int8 = _export_detector('nano', tmp)
    videos = {
        n: make_synthetic_video(osp.join(tmp, f'people{n}'),
                                num_frames=num_frames, num_people=n,
                                image_size=(960, 540))
        for n in people
    }
    rows = []
    runs = []
    for size in pose_sizes:
        paths = _export(size, tmp)[1]
        pose_path, pose_int8 = paths['fp32'], paths['int8']
        runs.append((size, 'fp32', det_path, pose_path))
        if size == 'm':
            runs.append((size, 'int8', det_int8, pose_int8))
    for size, precision, det_file, pose_file in runs:
        detector = OnnxDetector(det_file, num_threads=threads)
        for n, video in videos.items():
            for interval in intervals:
                inferencer = PoseInferencer(
                    pose_file,
                    detector=_TimedDetectorGTBoxes(
                        detector, CocoJsonDetector(video['det_json'])),
                    det_interval=interval,
                    smooth=True,
                    num_threads=threads)
                list(inferencer(video['video']))  # warm-up pass
                list(inferencer(video['video']))
                ms = 1000 * sum(inferencer.timings.values()) / \
                    inferencer.num_frames
                rows.append((f'video RTMDet-nano + RTMPose-{size} onnx '
                             f'{precision}, K={interval}, {n} people '
                             '(ms/frame)', ms))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--seconds', type=float, default=8.0)
    parser.add_argument(
        '--only', nargs='+', default=['pipeline', 'train', 'forward'],
        choices=['pipeline', 'train', 'forward', 'onnx', 'video',
                 'vitpose', 'detector', 'det_video'])
    parser.add_argument('--onnx-size', default='m', choices=list('tsml'),
                        help='model of the onnx and video benchmarks')
    parser.add_argument('--vitpose-batch', type=int, default=8,
                        help='batch of the ViTPose training steps')
    parser.add_argument('--detector', help='torchvision detector (video)')
    parser.add_argument('--det-weights', help='its weights file')
    args = parser.parse_args(argv)
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
    if 'onnx' in args.only:
        rows += bench_onnx(args.onnx_size, args.seconds, args.threads)
    if 'video' in args.only:
        rows += bench_video(args.onnx_size, args.threads,
                            detector=args.detector,
                            det_weights=args.det_weights)
    if 'detector' in args.only:
        rows += bench_detector(args.seconds, args.threads)
    if 'det_video' in args.only:
        rows += bench_det_pose_video(args.threads)
    if 'vitpose' in args.only:
        for size in VITPOSE_CONFIGS:
            rows += bench_vitpose(size, args.vitpose_batch, args.seconds)
    print(f'\ntorch {torch.__version__}, {args.threads} threads')
    print('| measurement | value |\n|---|---|')
    for name, value in rows:
        print(f'| {name} | {value:.{2 if abs(value) < 10 else 1}f} |')
