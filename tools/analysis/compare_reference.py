"""Run rtmpose and the reference (mmpose 1.3.2) side by side on the same
weights and the same COCO-format data, and print one line per stage with the
largest difference.

The reference runs in its own venv (``../shared/tools/setup_reference.sh``
builds it) as a subprocess, ``tools/analysis/reference_runner.py``; the two
exchange ``.npz`` / JSON files under ``--work-dir``. Weights: each model of
ours is randomly initialised (seeded) and saved as a checkpoint, which the
reference loads strictly (the ``state_dict`` layouts are identical).

Data: a few images of the toolbox's synthetic generator
(``rtmpose.datasets.synthetic``) plus real photographs from scikit-image
(``pip install -e .[parity]``), with GT boxes (including a crowd, a
keypoint-less and an edge-touching instance) and with a detector boxes file
(boxes beyond the image, a non-person detection).

Stages (tolerances from issue 10):

- ``targets``: SimCC labels + weights, MSRA (plain, unbiased) and UDP
  heatmaps on keypoints inside, on and just outside the input edges (1e-6);
  MSRA and UDP decoding plus the crop-to-image mapping on heatmaps whose
  DARK steps are ill-conditioned (refined maxima far outside the crop,
  where float32 arithmetic would cost 1e-3 px and more; 1e-3 px).
- per model and box source: the evaluated instance sets (equal), crops
  (grey levels, reported), keypoints in image pixels with flip test
  (1e-3 px) and scores (1e-5), both end to end and on the same crops (which
  isolates the model, flip merge, decoding and inverse transform from the
  crop warp);
- per model: head outputs on the same crops (1e-5 relative to their
  range), one train-mode step's loss (1e-5 relative) and its gradients
  (reported: the maximum relative difference of per-tensor norms, and of a
  strided subsample of each tensor against its largest entry).
- last, ``tools/analysis/compare_reference_metrics.py`` when present (the
  metric modes), with the same reference python.

Usage::

    python tools/analysis/compare_reference.py [--models rtmpose-t vitpose-s]
        [--reference-python /tmp/mmpose-ref/bin/python] [--work-dir DIR]

Exit status 1 when a stage is outside its tolerance; ``--summary FILE``
writes every stage as JSON.
"""
import argparse
import json
import os
import os.path as osp
import subprocess
import sys
import tempfile
import time

import cv2
import numpy as np
import torch

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, ROOT)  # this checkout's rtmpose, as the other tools
DEFAULT_REFERENCE_PYTHON = os.environ.get('RTMPOSE_REFERENCE_PYTHON',
                                          '/tmp/mmpose-ref/bin/python')
REF_CONFIGS = osp.join('configs', 'body_2d_keypoint')
# name: (our config, reference config under the mmpose package's .mim)
MODELS = {
    'rtmpose-t': ('configs/rtmpose/coco/rtmpose-t_8xb256-420e_coco-256x192.py',
                  'rtmpose/coco/rtmpose-t_8xb256-420e_aic-coco-256x192.py'),
    'rtmpose-s': ('configs/rtmpose/coco/rtmpose-s_8xb256-420e_coco-256x192.py',
                  'rtmpose/coco/rtmpose-s_8xb256-420e_coco-256x192.py'),
    'rtmpose-m': ('configs/rtmpose/coco/rtmpose-m_8xb256-420e_coco-256x192.py',
                  'rtmpose/coco/rtmpose-m_8xb256-420e_coco-256x192.py'),
    'rtmpose-l': ('configs/rtmpose/coco/rtmpose-l_8xb256-420e_coco-256x192.py',
                  'rtmpose/coco/rtmpose-l_8xb256-420e_coco-256x192.py'),
    'vitpose-s': ('configs/vitpose/coco/vitpose-small_8xb64-210e_coco-256x192.py',
                  'topdown_heatmap/coco/'
                  'td-hm_ViTPose-small_8xb64-210e_coco-256x192.py'),
    'vitpose-b': ('configs/vitpose/coco/vitpose-base_8xb64-210e_coco-256x192.py',
                  'topdown_heatmap/coco/'
                  'td-hm_ViTPose-base_8xb64-210e_coco-256x192.py'),
}
# grad_norm: not in the issue; channels_last CPU BatchNorm alone gives 6e-3
TOL = dict(targets=1e-6, keypoints=1e-3, scores=1e-5, outputs=1e-5,
           loss=1e-5, grad_norm=1e-4)
# the target codecs compared; keypoints in 192 x 256 input pixels
TARGET_CODECS = {
    'simcc': dict(type='SimCCLabel', input_size=(192, 256),
                  sigma=(4.9, 5.66), simcc_split_ratio=2.0,
                  normalize=False),
    'simcc-normalised': dict(type='SimCCLabel', input_size=(192, 256),
                             sigma=(6.0, 6.93), simcc_split_ratio=2.0),
    'simcc-standard': dict(type='SimCCLabel', input_size=(192, 256),
                           smoothing_type='standard',
                           label_smooth_weight=0.1),
    'msra': dict(type='MSRAHeatmap', input_size=(192, 256),
                 heatmap_size=(48, 64), sigma=2),
    'msra-sigma3': dict(type='MSRAHeatmap', input_size=(192, 256),
                        heatmap_size=(48, 64), sigma=3),
    'msra-unbiased': dict(type='MSRAHeatmap', input_size=(192, 256),
                          heatmap_size=(48, 64), sigma=2, unbiased=True),
    'udp': dict(type='UDPHeatmap', input_size=(192, 256),
                heatmap_size=(48, 64), sigma=2),
    # non-integer 3 sigma: the reference's asymmetric support
    'msra-sigma1.5': dict(type='MSRAHeatmap', input_size=(192, 256),
                          heatmap_size=(48, 64), sigma=1.5),
    'udp-sigma1.5': dict(type='UDPHeatmap', input_size=(192, 256),
                         heatmap_size=(48, 64), sigma=1.5),
}


class Report:
    """Prints one line per stage and keeps them for ``--summary``."""

    def __init__(self):
        self.rows = []

    def add(self, stage: str, value, tol=None, note: str = ''):
        ok = None if tol is None else bool(value <= tol)
        self.rows.append(dict(stage=stage, value=float(value), tol=tol,
                              ok=ok, note=note))
        verdict = ('' if ok is None else
                   f'  (tol {tol:g}: {"ok" if ok else "FAIL"})')
        print(f'{stage:<52s} {value:10.3g}{verdict}  {note}', flush=True)

    @property
    def failed(self):
        return [r for r in self.rows if r['ok'] is False]


def max_abs(a, b) -> float:
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.shape != b.shape:
        raise ValueError(f'shape {a.shape} vs reference {b.shape}')
    return float(np.abs(a - b).max()) if a.size else 0.0


# ----------------------------------------------------------------- data --
def _photo_annotations(rng, img_id, ann_id, w, h, num_people):
    """Boxes and random keypoints on a photo; the first box touches the
    right and bottom edges."""
    anns = []
    for i in range(num_people):
        if i == 0:
            x0, y0 = w * 0.3, h * 0.25
            box = [x0, y0, w - x0 + 3.0, h - y0 + 2.5]  # beyond the edges
        else:
            bw, bh = rng.uniform(0.2, 0.4) * w, rng.uniform(0.4, 0.7) * h
            box = [rng.uniform(0, w - bw), rng.uniform(0, h - bh), bw, bh]
        kx = rng.uniform(box[0], min(w - 1, box[0] + box[2]), 17)
        ky = rng.uniform(box[1], min(h - 1, box[1] + box[3]), 17)
        v = rng.choice([0, 1, 2], 17, p=[0.2, 0.2, 0.6])
        kpts = np.stack([kx * (v > 0), ky * (v > 0), v], -1)
        anns.append(dict(id=ann_id + i, image_id=img_id, category_id=1,
                         bbox=[round(float(b), 2) for b in box],
                         area=float(box[2] * box[3] * 0.5), iscrowd=0,
                         num_keypoints=int((v > 0).sum()),
                         keypoints=[round(float(t), 2)
                                    for t in kpts.reshape(-1)]))
    return anns


def make_data(work_dir: str, num_synthetic: int, seed: int) -> dict:
    """The COCO-format test data: synthetic val images + photographs, an
    annotation file and a detector boxes file. Returns their paths."""
    from rtmpose.datasets.synthetic import generate_synthetic_coco
    syn = generate_synthetic_coco(osp.join(work_dir, 'synthetic'),
                                  num_train_images=1,
                                  num_val_images=num_synthetic, seed=seed)
    with open(syn['val_ann_file']) as f:
        coco = json.load(f)
    img_dir = syn['val_img_dir']
    rng = np.random.default_rng(seed)
    try:
        from skimage import data as skdata
    except ImportError as e:
        raise SystemExit('compare_reference: the real photographs come from '
                         'scikit-image: pip install -e ".[parity]"') from e
    next_img = max(i['id'] for i in coco['images']) + 1
    next_ann = max(a['id'] for a in coco['annotations']) + 1
    for name, photo in (('astronaut', skdata.astronaut()),
                        ('camera', skdata.camera())):
        if photo.ndim == 2:
            photo = np.repeat(photo[..., None], 3, -1)
        h, w = photo.shape[:2]
        file_name = f'photo_{name}.png'
        cv2.imwrite(osp.join(img_dir, file_name), photo[..., ::-1])
        coco['images'].append(dict(id=next_img, file_name=file_name,
                                   width=w, height=h))
        anns = _photo_annotations(rng, next_img, next_ann, w, h, 2)
        next_ann += len(anns)
        coco['annotations'] += anns
        next_img += 1
    # instances the reference drops in test mode too: a crowd region and a
    # person without labelled keypoints
    photo_id = next_img - 1
    coco['annotations'] += [
        dict(id=next_ann, image_id=photo_id, category_id=1,
             bbox=[10., 10., 100., 200.], area=10000., iscrowd=1,
             num_keypoints=3, keypoints=[50., 50., 2] * 3 + [0, 0, 0] * 14),
        dict(id=next_ann + 1, image_id=photo_id, category_id=1,
             bbox=[200., 40., 80., 160.], area=6000., iscrowd=0,
             num_keypoints=0, keypoints=[0] * 51)
    ]
    ann_file = osp.join(work_dir, 'parity_val.json')
    with open(ann_file, 'w') as f:
        json.dump(coco, f)

    sizes = {i['id']: (i['width'], i['height']) for i in coco['images']}
    dets = []
    for ann in coco['annotations']:
        x, y, w, h = ann['bbox']
        jit = rng.uniform(-0.08, 0.08, 4) * [w, h, w, h]
        dets.append(dict(image_id=ann['image_id'], category_id=1,
                         bbox=[float(v) for v in np.add([x, y, w, h], jit)],
                         score=float(rng.uniform(0.3, 1.0))))
    first = coco['images'][0]['id']
    width, height = sizes[first]
    dets += [
        # beyond the left / right image edges: kept unclipped
        dict(image_id=first, category_id=1, score=0.9,
             bbox=[-15.5, 20.0, 80.0, height - 10.0]),
        dict(image_id=first, category_id=1, score=0.8,
             bbox=[width - 40.0, -8.0, 70.0, 90.0]),
        # not a person: dropped
        dict(image_id=first, category_id=2, score=0.95,
             bbox=[30.0, 30.0, 50.0, 50.0]),
    ]
    bbox_file = osp.join(work_dir, 'parity_detections.json')
    with open(bbox_file, 'w') as f:
        json.dump(dets, f)
    return dict(ann_file=ann_file, img_prefix=img_dir + '/',
                bbox_file=bbox_file)


def target_keypoints(seed: int):
    """(M, 17, 2) input pixels (192 x 256) on, inside and just outside the
    edges, including the values whose rounding the conventions decide."""
    w, h = 192, 256
    special = [-30.1, -28.0, -26.0, -24.5, -20.0, -8.0, -7.5, -3.0, -2.8,
               -2.0, -1.0, -0.7, -0.5, -0.3, 0.0, 0.25, 0.75, 1.5]
    xs = special + [w - 1, w - 0.75, w - 0.5, w - 0.3, w, w + 0.3, w + 1.7,
                    w + 6.0, w + 7.6, w + 22.0, w + 27.0]
    ys = special + [h - 1, h - 0.75, h - 0.5, h - 0.3, h, h + 0.3, h + 1.7,
                    h + 8.0, h + 8.4, h + 24.0, h + 30.0]
    rng = np.random.default_rng(seed)
    m = 12
    kpts = np.stack([rng.choice(xs, (m, 17)), rng.choice(ys, (m, 17))], -1)
    inside = rng.uniform([0, 0], [w - 1, h - 1], (m, 17, 2))
    mix = rng.uniform(size=(m, 17, 1)) < 0.3
    kpts = np.where(mix, inside, kpts).astype(np.float32)
    # one row of edge x against a middle y (and vice versa) so each axis'
    # rule is seen alone
    kpts[0, :, 1] = 100.0
    kpts[1, :, 0] = 90.0
    kpts[0, :len(xs[:17]), 0] = xs[:17]
    kpts[1, :len(ys[-17:]), 1] = ys[-17:]
    visible = (rng.uniform(size=(m, 17)) > 0.1).astype(np.float32)
    return kpts, visible


# --------------------------------------------------------------- our side --
def build_ours(config: str, seed: int, checkpoint: str = None):
    """Our model of ``config``: random (seeded, unit-scale outputs) or the
    weights of ``checkpoint``."""
    from mmengine.config import Config
    from rtmpose.apis import init_model
    cfg = Config.fromfile(config)
    if 'drop_path_rate' in cfg.model.backbone:
        cfg.model.backbone.drop_path_rate = 0.0
    torch.manual_seed(seed)
    model = init_model(cfg, checkpoint)
    if checkpoint is None:
        model.init_weights()
        _unit_outputs(model.eval(), cfg.codec.input_size)
    return cfg, model


def _unit_outputs(model, input_size) -> None:
    """Rescale the head's last layers so that the outputs (and the scores)
    of the random model reach about 1, like a trained model's; the absolute
    score tolerance then means what it does on real checkpoints."""
    head = model.head
    layers = ([head.cls_x, head.cls_y] if hasattr(head, 'cls_x') else
              [head.final_layer])
    w, h = input_size
    with torch.no_grad():
        outs = model(torch.randn(2, 3, h, w), mode='tensor')
        outs = outs if isinstance(outs, (tuple, list)) else (outs, )
        for layer, out in zip(layers, outs):
            for p in layer.parameters():
                p.mul_(1.0 / float(out.abs().max()))


def run_ours_dataset(cfg, model, spec: dict) -> dict:
    from mmengine.dataset import pseudo_collate
    from rtmpose.registry import DATASETS
    ds_cfg = cfg.test_dataloader.dataset.copy()
    ds_cfg.update(data_root='', ann_file=spec['ann_file'],
                  data_prefix=dict(img=spec['img_prefix']),
                  bbox_file=spec.get('bbox_file'), test_mode=True)
    ds_cfg.pop('indices', None)
    ds_cfg.pop('synthetic_cfg', None)
    ds_cfg.type = 'CocoDataset'  # the data here is COCO person keypoints
    ds = DATASETS.build(ds_cfg)
    infos = [ds.get_data_info(i) for i in range(len(ds))]
    out = dict(ids=np.array([int(i['id']) for i in infos]),
               img_ids=np.array([int(i['img_id']) for i in infos]),
               bboxes=np.concatenate([i['bbox'] for i in infos]))
    crops, kpts, scores, centers, scales = [], [], [], [], []
    num = min(len(ds), spec['max_instances'])
    for start in range(0, num, 8):
        data = pseudo_collate([ds[i] for i in range(start, min(num,
                                                               start + 8))])
        with torch.no_grad():
            results = model.test_step(data)
        crops += [t.numpy() for t in data['inputs']]
        for r in results:
            kpts.append(r.pred_instances.keypoints[0])
            scores.append(r.pred_instances.keypoint_scores[0])
            centers.append(np.asarray(r.metainfo['input_center']))
            scales.append(np.asarray(r.metainfo['input_scale']))
    out.update(crops=np.stack(crops), keypoints=np.stack(kpts),
               scores=np.stack(scores), centers=np.stack(centers),
               scales=np.stack(scales), flip_indices=np.asarray(
                   ds.metainfo['flip_indices']))
    return out


def predict_on_crops(cfg, model, crops, centers, scales, flip_indices):
    """Our predictions (image pixels, flip test) on given crops."""
    from mmengine.structures import InstanceData
    from rtmpose.structures import PoseDataSample
    samples = []
    for c, s in zip(centers, scales):
        sample = PoseDataSample(metainfo=dict(
            input_center=c, input_scale=s,
            input_size=tuple(cfg.codec.input_size),
            input_udp=cfg.codec.type == 'UDPHeatmap',
            flip_indices=[int(i) for i in flip_indices]))
        sample.gt_instances = InstanceData(
            bboxes=np.zeros((1, 4), np.float32),
            bbox_scores=np.ones(1, np.float32))
        samples.append(sample)
    data = dict(inputs=[torch.from_numpy(c) for c in crops],
                data_samples=samples)
    with torch.no_grad():
        results = model.test_step(data)
    return (np.stack([r.pred_instances.keypoints[0] for r in results]),
            np.stack([r.pred_instances.keypoint_scores[0] for r in results]))


def forward_on_crops(model, crops):
    data = model.data_preprocessor(
        dict(inputs=[torch.from_numpy(c) for c in crops]), False)
    with torch.no_grad():
        outs = model(data['inputs'], mode='tensor')
    outs = outs if isinstance(outs, (tuple, list)) else (outs, )
    return data['inputs'], [o.float().numpy() for o in outs]


def loss_and_grads(cfg, model, loss_file: str) -> dict:
    from mmengine.structures import InstanceData, PixelData
    from rtmpose.registry import KEYPOINT_CODECS
    from rtmpose.structures import PoseDataSample
    sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
    from reference_runner import sample_grad
    data = np.load(loss_file)
    codec = KEYPOINT_CODECS.build(cfg.codec)
    samples = []
    for kp, vis in zip(data['keypoints'], data['visible']):
        enc = codec.encode(kp[None], vis[None])
        s = PoseDataSample(metainfo=dict(input_size=cfg.codec.input_size))
        labels = InstanceData()
        for key, value in enc.items():
            if key == 'heatmaps':
                s.gt_fields = PixelData(heatmaps=torch.from_numpy(value))
            else:
                labels[key] = torch.from_numpy(np.asarray(value))
        s.gt_instance_labels = labels
        samples.append(s)
    model.train()
    model.zero_grad()
    losses = model(torch.from_numpy(data['inputs']), samples, mode='loss')
    total = sum(v for k, v in losses.items() if k.startswith('loss'))
    total.backward()
    out = {'loss/total': float(total.item())}
    for name, p in model.named_parameters():
        if p.grad is not None:
            out[f'grad/{name}'] = sample_grad(p.grad)
            out[f'gradnorm/{name}'] = float(p.grad.double().norm())
    model.eval()
    return out


# ----------------------------------------------------------------- stages --
def run_reference(ref_python: str, job: dict, work_dir: str, tag: str):
    job_file = osp.join(work_dir, f'job_{tag}.json')
    with open(job_file, 'w') as f:
        json.dump(job, f)
    runner = osp.join(osp.dirname(osp.abspath(__file__)),
                      'reference_runner.py')
    env = dict(os.environ, OMP_NUM_THREADS='1')
    env.pop('PYTHONPATH', None)  # never let the reference import rtmpose
    proc = subprocess.run([ref_python, runner, job_file], cwd=work_dir,
                          env=env, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f'reference runner failed on {job_file}:\n'
                           f'{proc.stderr[-4000:]}')


def compare_targets(report: Report, ref_python: str, work_dir: str,
                    seed: int):
    from rtmpose.registry import KEYPOINT_CODECS
    kpts, vis = target_keypoints(seed)
    inp = osp.join(work_dir, 'targets_in.npz')
    np.savez(inp, keypoints=kpts, visible=vis)
    out = osp.join(work_dir, 'targets_ref.npz')
    run_reference(ref_python, dict(tasks=[dict(
        type='targets', input=inp, output=out,
        codecs=TARGET_CODECS)]), work_dir, 'targets')
    ref = np.load(out)
    for name, codec_cfg in TARGET_CODECS.items():
        codec = KEYPOINT_CODECS.build(dict(codec_cfg))
        ours = [codec.encode(kpts[i:i + 1], vis[i:i + 1])
                for i in range(len(kpts))]
        for key in ours[0]:
            mine = np.stack([o[key] for o in ours])
            report.add(f'targets {name} {key}',
                       max_abs(mine, ref[f'{name}/{key}']), TOL['targets'])


def decode_heatmaps_cases(seed: int):
    """(M, 17, 64, 48) float32 heatmaps whose DARK steps are ill-conditioned
    (a noisy slope, some with a broad bump: refined maxima land up to ~1e4
    input pixels away, where float32 arithmetic loses 1e-3 px), with
    (M, 2) float32 box centres and scales in image pixels."""
    rng = np.random.default_rng(seed)
    m, k, h, w = 24, 17, 64, 48
    yy, xx = np.mgrid[:h, :w].astype(np.float64)
    slope = rng.normal(0, 0.02, (m, k, 2, 1, 1))
    maps = (0.3 + slope[:, :, 0] * (xx - w / 2) + slope[:, :, 1] *
            (yy - h / 2) + rng.normal(0, 1, (m, k, h, w)) *
            rng.choice([1e-3, 1e-2, 5e-2], (m, k, 1, 1)))
    bump = rng.uniform([0, 0, 2, 2, 0], [w, h, 30, 30, 0.5], (m, k, 5))
    bump = bump[..., None, None]
    maps += (rng.uniform(size=(m, k, 1, 1)) < 0.3) * bump[:, :, 4] * np.exp(
        -(xx - bump[:, :, 0])**2 / (2 * bump[:, :, 2]**2) -
        (yy - bump[:, :, 1])**2 / (2 * bump[:, :, 3]**2))
    maps *= rng.uniform(1e-3, 1, (m, k, 1, 1))
    centers = rng.uniform(200, 800, (m, 2)).astype(np.float32)
    scales = rng.uniform(100, 500, (m, 2)).astype(np.float32)
    return maps.astype(np.float32), centers, scales


def compare_decoding(report: Report, ref_python: str, work_dir: str,
                     seed: int):
    """Heatmap decoding and the crop-to-image mapping on far-off maxima: the
    float precision of both steps decides their sub-pixel digits."""
    from rtmpose.models.pose_estimators import input_to_image_coords
    from rtmpose.registry import KEYPOINT_CODECS
    maps, centers, scales = decode_heatmaps_cases(seed)
    inp = osp.join(work_dir, 'decode_in.npz')
    np.savez(inp, heatmaps=maps, centers=centers, scales=scales)
    out = osp.join(work_dir, 'decode_ref.npz')
    codecs = {name: cfg for name, cfg in TARGET_CODECS.items()
              if name in ('msra', 'msra-unbiased', 'udp')}
    run_reference(ref_python, dict(tasks=[dict(
        type='decode', input=inp, output=out, codecs=codecs)]), work_dir,
        'decode')
    ref = np.load(out)
    for name, codec_cfg in codecs.items():
        codec = KEYPOINT_CODECS.build(dict(codec_cfg))
        mine = np.concatenate([input_to_image_coords(
            codec.decode(maps[i])[0], dict(
                input_center=centers[i], input_scale=scales[i],
                input_size=codec_cfg['input_size'],
                input_udp=codec_cfg['type'] == 'UDPHeatmap'))
            for i in range(len(maps))])
        report.add(f'decode {name}: far-off maxima to image (px)',
                   max_abs(mine, ref[name]), TOL['keypoints'],
                   f'up to {np.abs(ref[name]).max():.3g} px from the origin')


def compare_model(report: Report, name: str, args, data: dict, ref_dir: str,
                  trained: tuple = None):
    """All per-model stages. ``trained``: (our config, checkpoint, base
    name): that checkpoint instead of random weights; the reference builds
    the base name's config with our config's codec and input size."""
    from mmengine.utils import mkdir_or_exist
    our_cfg, ref_cfg = MODELS[trained[2] if trained else name]
    mdir = osp.join(args.work_dir, name.replace(' ', '_'))
    mkdir_or_exist(mdir)
    if trained:
        cfg, model = build_ours(trained[0], args.seed, trained[1])
    else:
        cfg, model = build_ours(osp.join(ROOT, our_cfg), args.seed)
    ckpt = osp.join(mdir, 'weights.pth')
    torch.save(dict(state_dict=model.state_dict(), meta={}), ckpt)
    limit = args.max_instances if 'vitpose-b' != name else min(
        args.max_instances, args.vit_b_instances)
    specs = dict(gt=dict(ann_file=data['ann_file'],
                         img_prefix=data['img_prefix'], max_instances=limit),
                 det=dict(data, max_instances=limit))
    t0 = time.time()
    ours = {k: run_ours_dataset(cfg, model, v) for k, v in specs.items()}
    first = ours['gt']
    crops_file = osp.join(mdir, 'crops.npz')
    np.savez(crops_file, crops=first['crops'], centers=first['centers'],
             scales=first['scales'], flip_indices=first['flip_indices'])
    n_loss = min(len(first['crops']), args.loss_batch)
    normalised, outs = forward_on_crops(model, first['crops'][:n_loss])
    rng = np.random.default_rng(args.seed)
    w, h = cfg.codec.input_size
    loss_kpts = rng.uniform([-0.05 * w, -0.05 * h], [1.05 * w, 1.05 * h],
                            (n_loss, len(first['flip_indices']), 2))
    loss_file = osp.join(mdir, 'loss_in.npz')
    np.savez(loss_file, inputs=normalised.numpy(),
             keypoints=loss_kpts.astype(np.float32),
             visible=(rng.uniform(size=loss_kpts.shape[:2]) > 0.15).astype(
                 np.float32))
    same_kpts, same_scores = predict_on_crops(
        cfg, model, first['crops'], first['centers'], first['scales'],
        first['flip_indices'])
    # last: the train-mode step updates the BatchNorm running statistics
    # (train-mode outputs use batch statistics, so the repeat is the same).
    # CSPNeXt is compared in its default NCHW CPU training and with
    # channels_last_train=True (reported).
    nhwc = getattr(model.backbone, 'channels_last_train', None)
    our_loss = {}
    if nhwc is not None:
        model.backbone.channels_last_train = True
        our_loss['channels_last'] = loss_and_grads(cfg, model, loss_file)
        model.backbone.channels_last_train = False
    our_loss['NCHW'] = loss_and_grads(cfg, model, loss_file)
    if nhwc is not None:
        model.backbone.channels_last_train = nhwc
    t_ours = time.time() - t0

    out = osp.join(mdir, 'reference.npz')
    t0 = time.time()
    run_reference(args.reference_python, dict(tasks=[dict(
        type='model', config=osp.join(ref_dir, ref_cfg), checkpoint=ckpt,
        datasets=specs, crops=crops_file, loss=loss_file, output=out,
        codec=cfg.codec.to_dict() if trained else None)]), mdir, 'model')
    t_ref = time.time() - t0
    ref = np.load(out)

    tag = f'{name}'
    for src, mine in ours.items():
        same = (np.array_equal(mine['ids'], ref[f'{src}/ids'])
                and np.array_equal(mine['img_ids'], ref[f'{src}/img_ids']))
        report.add(f'{tag} {src} instances differing',
                   0 if same else max(1, len(set(mine['ids']) ^ set(
                       ref[f'{src}/ids']))), 0,
                   f'ours {len(mine["ids"])}, reference '
                   f'{len(ref[f"{src}/ids"])}')
        if not same:
            continue
        report.add(f'{tag} {src} boxes (px)',
                   max_abs(mine['bboxes'], ref[f'{src}/bboxes']), 0)
        report.add(f'{tag} {src} crops (grey levels)',
                   max_abs(mine['crops'], ref[f'{src}/crops']), None,
                   f'{len(mine["crops"])} crops')
        report.add(f'{tag} {src} keypoints, flip test (px)',
                   max_abs(mine['keypoints'], ref[f'{src}/keypoints']),
                   TOL['keypoints'])
        report.add(f'{tag} {src} scores, flip test',
                   max_abs(mine['scores'], ref[f'{src}/scores']),
                   TOL['scores'])
    for i, o in enumerate(outs):
        r = ref[f'outputs/{i}']
        scale = max(float(np.abs(r).max()), 1e-12)
        report.add(f'{tag} head output {i} (rel. to max)',
                   max_abs(o, r) / scale, TOL['outputs'],
                   f'same {n_loss} crops, shape {tuple(o.shape)}')
    report.add(f'{tag} same crops: keypoints (px)',
               max_abs(same_kpts, ref['same/keypoints']), TOL['keypoints'])
    report.add(f'{tag} same crops: scores',
               max_abs(same_scores, ref['same/scores']), TOL['scores'])
    rl = float(ref['loss/total'])
    for fmt, mine in our_loss.items():
        exact = fmt == 'NCHW'
        report.add(f'{tag} train step loss{"" if exact else " (NHWC)"} '
                   '(rel.)',
                   abs(mine['loss/total'] - rl) / max(abs(rl), 1e-12),
                   TOL['loss'] if exact else None,
                   f'reference {rl:.6g}, batch {n_loss}')
        norm_rel, entry_rel = grad_differences(mine, ref, name)
        suffix = '' if exact else ' (NHWC)'
        report.add(f'{tag} gradients{suffix}: tensor norms (rel.)',
                   norm_rel, TOL['grad_norm'] if exact else None)
        report.add(f'{tag} gradients{suffix}: entries (rel.)', entry_rel,
                   None, f'time ours {t_ours:.0f}s, reference {t_ref:.0f}s'
                   if exact else 'channels_last_train=True, not default')


def grad_differences(mine: dict, ref, name: str):
    """Largest relative difference of per-tensor gradient norms, and of
    the sampled entries against each tensor's largest reference entry."""
    norm_rel, entry_rel = 0.0, 0.0
    for key in ref.files:
        if not key.startswith('gradnorm/'):
            continue
        pname = key[len('gradnorm/'):]
        if key not in mine:
            raise KeyError(f'{name}: no gradient for {pname} here')
        rn = float(ref[key])
        norm_rel = max(norm_rel, abs(mine[key] - rn) / max(rn, 1e-20))
        rg = ref[f'grad/{pname}']
        scale = max(float(np.abs(rg).max()), 1e-20)
        entry_rel = max(entry_rel,
                        max_abs(mine[f'grad/{pname}'], rg) / scale)
    return norm_rel, entry_rel


def reference_config_dir(ref_python: str) -> str:
    out = subprocess.run(
        [ref_python, '-c',
         'import mmpose, os; print(os.path.dirname(mmpose.__file__))'],
        capture_output=True, text=True, env={
            k: v for k, v in os.environ.items() if k != 'PYTHONPATH'})
    if out.returncode:
        raise SystemExit(f'compare_reference: cannot import mmpose with '
                         f'{ref_python}:\n{out.stderr[-2000:]}\nbuild the '
                         'reference with ../shared/tools/setup_reference.sh')
    return osp.join(out.stdout.strip(), '.mim', REF_CONFIGS)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--reference-python', default=DEFAULT_REFERENCE_PYTHON,
                   help='python of the mmpose 1.3.2 venv (env '
                   'RTMPOSE_REFERENCE_PYTHON; default %(default)s)')
    p.add_argument('--models', nargs='*', default=list(MODELS),
                   choices=list(MODELS))
    p.add_argument('--stages', nargs='+',
                   default=['targets', 'models', 'metrics'],
                   choices=['targets', 'models', 'metrics'])
    p.add_argument('--num-synthetic', type=int, default=3,
                   help='synthetic val images (plus 2 photographs)')
    p.add_argument('--max-instances', type=int, default=16,
                   help='instances run through each model per box source')
    p.add_argument('--vit-b-instances', type=int, default=6,
                   help='instances for ViTPose-B (slow on CPU)')
    p.add_argument('--loss-batch', type=int, default=4)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--work-dir', default=None,
                   help='exchange folder (default: a temporary one)')
    p.add_argument('--summary', default=None,
                   help='also write every stage as JSON here')
    p.add_argument('--trained', nargs=3, default=None,
                   metavar=('CONFIG', 'CHECKPOINT', 'BASE'),
                   help='also compare a trained checkpoint of our CONFIG; '
                   'the reference builds BASE (one of --models choices) '
                   "with CONFIG's codec and input size")
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if not osp.exists(args.reference_python):
        raise SystemExit(f'compare_reference: no reference python at '
                         f'{args.reference_python}; build it with '
                         '../shared/tools/setup_reference.sh or pass '
                         '--reference-python')
    torch.set_num_threads(1)
    from mmengine.logging import MMLogger
    MMLogger.get_instance('mmengine', log_level='WARNING')  # no init logs
    tmp = None
    if args.work_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix='rtmpose_parity_')
        args.work_dir = tmp.name
    os.makedirs(args.work_dir, exist_ok=True)
    os.chdir(ROOT)  # our configs' from_file paths are relative to it
    report = Report()
    print(f'{"stage":<52s} {"max diff":>10s}', flush=True)
    if 'targets' in args.stages:
        compare_targets(report, args.reference_python, args.work_dir,
                        args.seed)
        compare_decoding(report, args.reference_python, args.work_dir,
                         args.seed)
    if 'models' in args.stages:
        data = make_data(args.work_dir, args.num_synthetic, args.seed)
        ref_dir = reference_config_dir(args.reference_python)
        for name in args.models:
            compare_model(report, name, args, data, ref_dir)
        if args.trained:
            if args.trained[2] not in MODELS:
                raise SystemExit(f'--trained BASE must be one of '
                                 f'{list(MODELS)}, got {args.trained[2]}')
            name = 'trained ' + osp.splitext(osp.basename(
                args.trained[0]))[0]
            compare_model(report, name, args, data, ref_dir,
                          trained=tuple(args.trained))
    metrics = osp.join(osp.dirname(osp.abspath(__file__)),
                       'compare_reference_metrics.py')
    metrics_rc = 0
    if 'metrics' in args.stages:
        print('metrics (tools/analysis/compare_reference_metrics.py):',
              flush=True)
        metrics_rc = subprocess.run([
            sys.executable, metrics, '--reference-python',
            args.reference_python, '--work-dir',
            osp.join(args.work_dir, 'metrics')
        ], cwd=ROOT).returncode
    if args.summary:
        with open(args.summary, 'w') as f:
            json.dump(report.rows, f, indent=1)
    if tmp is not None:
        tmp.cleanup()
    bad = report.failed
    print(f'{len(report.rows)} stages, {len(bad)} outside tolerance' +
          ('' if not metrics_rc else '; metric comparison failed'))
    return 1 if bad or metrics_rc else 0


if __name__ == '__main__':
    sys.exit(main())
