"""The reference side of ``compare_reference.py``: runs inside the mmpose
1.3.2 venv (never imports rtmpose) on a job file and writes ``.npz`` results.

Usage (done by compare_reference.py): ``REF_PYTHON reference_runner.py JOB``
with JOB a JSON file ``{"tasks": [...]}``; each task names its inputs and
its ``output`` file. Task types:

- ``targets``: ``input`` npz with ``keypoints`` (M, K, 2) input pixels and
  ``visible`` (M, K); ``codecs`` {name: codec cfg}. Each instance is encoded
  alone (MSRA/UDP take one at a time); writes ``{name}/{field}`` (M, ...).
- ``decode``: ``input`` npz with ``heatmaps`` (M, K, H, W), ``centers`` and
  ``scales`` (M, 2) image pixels; ``codecs`` {name: heatmap codec cfg}.
  Writes {name}: (M, K, 2) image pixels, through the codec's ``decode`` and
  ``TopdownPoseEstimator.add_pred_to_datasample``.
- ``model``: ``config`` (a reference config file), ``checkpoint``,
  ``datasets`` {name: dict(ann_file, img_prefix, bbox_file, max_instances)},
  optional ``crops`` npz (``crops`` (B, 3, H, W) uint8 BGR: the head outputs
  on these exact crops are written as ``outputs/{i}``), optional ``loss``
  npz (``inputs`` (B, 3, H, W) normalised, ``keypoints`` (B, K, 2) input
  pixels, ``visible`` (B, K)): one train-mode loss and its gradients;
  optional ``codec``: build the config at that codec's input size.
"""
import json
import sys
import warnings
from types import SimpleNamespace

import numpy as np
import torch

GRAD_SAMPLES = 4096  # gradient entries kept per tensor (strided subsample)


def sample_grad(grad: torch.Tensor) -> np.ndarray:
    """A deterministic strided subsample of a flattened gradient."""
    flat = grad.detach().reshape(-1)
    step = max(1, flat.numel() // GRAD_SAMPLES)
    return flat[::step][:GRAD_SAMPLES].double().numpy()


def run_targets(task: dict) -> None:
    from mmpose.registry import KEYPOINT_CODECS
    data = np.load(task['input'])
    kpts, vis = data['keypoints'], data['visible']
    out = {}
    for name, cfg in task['codecs'].items():
        codec = KEYPOINT_CODECS.build(cfg)
        encoded = [codec.encode(kpts[i:i + 1], vis[i:i + 1])
                   for i in range(len(kpts))]
        for key in encoded[0]:
            out[f'{name}/{key}'] = np.stack([np.asarray(e[key])
                                             for e in encoded])
    np.savez(task['output'], **out)


def run_decode(task: dict) -> None:
    """Each codec decodes ``heatmaps`` (M, K, H, W) per instance; the
    estimator's own ``add_pred_to_datasample`` maps them to image pixels
    with the (M, 2) ``centers`` / ``scales``."""
    from mmengine.structures import InstanceData
    from mmpose.models.pose_estimators import TopdownPoseEstimator
    from mmpose.registry import KEYPOINT_CODECS
    from mmpose.structures import PoseDataSample
    data = np.load(task['input'])
    owner = SimpleNamespace(test_cfg={})
    out = {}
    for name, cfg in task['codecs'].items():
        codec = KEYPOINT_CODECS.build(cfg)
        preds, samples = [], []
        for maps, center, scale in zip(data['heatmaps'], data['centers'],
                                       data['scales']):
            keypoints, scores = codec.decode(maps.copy())
            preds.append(InstanceData(keypoints=keypoints,
                                      keypoint_scores=scores))
            sample = PoseDataSample(metainfo=dict(
                input_center=center, input_scale=scale,
                input_size=tuple(cfg['input_size'])))
            sample.gt_instances = InstanceData(
                bboxes=np.zeros((1, 4), np.float32),
                bbox_scores=np.ones(1, np.float32))
            samples.append(sample)
        samples = TopdownPoseEstimator.add_pred_to_datasample(
            owner, preds, None, samples)
        out[name] = np.concatenate(
            [s.pred_instances.keypoints for s in samples])
    np.savez(task['output'], **out)


def _forward_tensor(model, crops: np.ndarray):
    from mmpose.structures import PoseDataSample
    data = model.data_preprocessor(
        dict(inputs=[torch.from_numpy(c) for c in crops],
             data_samples=[PoseDataSample() for _ in crops]), False)
    outs = model._forward(data['inputs'])
    outs = outs if isinstance(outs, (tuple, list)) else (outs, )
    return data['inputs'], [o.detach().numpy() for o in outs]


def _predict_on_crops(model, cfg, crops):
    """Predictions in image pixels (flip test as configured) on given crops
    with their ``centers`` / ``scales``."""
    from mmengine.structures import InstanceData
    from mmpose.structures import PoseDataSample
    samples = []
    for c, s in zip(crops['centers'], crops['scales']):
        sample = PoseDataSample(metainfo=dict(
            input_center=c, input_scale=s,
            input_size=tuple(cfg.codec.input_size),
            flip_indices=[int(i) for i in crops['flip_indices']]))
        sample.gt_instances = InstanceData(
            bboxes=np.zeros((1, 4), np.float32),
            bbox_scores=np.ones(1, np.float32))
        samples.append(sample)
    data = dict(inputs=[torch.from_numpy(c) for c in crops['crops']],
                data_samples=samples)
    with torch.no_grad():
        results = model.test_step(data)
    return (np.stack([r.pred_instances.keypoints[0] for r in results]),
            np.stack([r.pred_instances.keypoint_scores[0] for r in results]))


def _loss(model, cfg, loss_file: str) -> dict:
    from mmengine.structures import InstanceData, PixelData
    from mmpose.registry import KEYPOINT_CODECS
    from mmpose.structures import PoseDataSample
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
    losses = model.loss(torch.from_numpy(data['inputs']), samples)
    total = sum(v for k, v in losses.items() if k.startswith('loss'))
    total.backward()
    out = {'loss/total': np.float64(total.item())}
    for name, p in model.named_parameters():
        if p.grad is not None:
            out[f'grad/{name}'] = sample_grad(p.grad)
            out[f'gradnorm/{name}'] = np.float64(p.grad.double().norm())
    model.eval()
    return out


def _use_codec(cfg, codec: dict) -> None:
    """The config at another codec / input size (a trained model's)."""
    size = tuple(codec['input_size'])
    cfg.codec = codec
    head = cfg.model.head
    head.decoder = codec
    head.input_size = size
    if 'in_featuremap_size' in head:
        head.in_featuremap_size = (size[0] // 32, size[1] // 32)
    for step in cfg.test_dataloader.dataset.pipeline:
        if step['type'] == 'TopdownAffine':
            step['input_size'] = size


def run_model(task: dict) -> None:
    from mmengine.config import Config
    from mmengine.dataset import pseudo_collate
    from mmpose.apis import init_model
    from mmpose.registry import DATASETS
    cfg = Config.fromfile(task['config'])
    if task.get('codec'):
        _use_codec(cfg, task['codec'])
    if 'drop_path_rate' in cfg.model.backbone:
        # stochastic depth would make the train-mode loss random
        cfg.model.backbone.drop_path_rate = 0.0
    model = init_model(cfg, task['checkpoint'], device='cpu')
    out = {}
    for name, spec in task['datasets'].items():
        ds_cfg = cfg.test_dataloader.dataset.copy()
        ds_cfg.update(
            data_root='',
            ann_file=spec['ann_file'],
            data_prefix=dict(img=spec['img_prefix']),
            bbox_file=spec.get('bbox_file'),
            test_mode=True)
        ds_cfg.pop('indices', None)
        ds = DATASETS.build(ds_cfg)
        infos = [ds.get_data_info(i) for i in range(len(ds))]
        out[f'{name}/ids'] = np.array([int(i['id']) for i in infos])
        out[f'{name}/img_ids'] = np.array([int(i['img_id']) for i in infos])
        out[f'{name}/bboxes'] = np.concatenate([i['bbox'] for i in infos])
        crops, kpts, scores = [], [], []
        num = min(len(ds), spec['max_instances'])
        for start in range(0, num, 8):
            data = pseudo_collate(
                [ds[i] for i in range(start, min(num, start + 8))])
            with torch.no_grad():
                results = model.test_step(data)
            crops += [t.numpy() for t in data['inputs']]
            for r in results:
                kpts.append(r.pred_instances.keypoints[0])
                scores.append(r.pred_instances.keypoint_scores[0])
        out[f'{name}/crops'] = np.stack(crops)
        out[f'{name}/keypoints'] = np.stack(kpts)
        out[f'{name}/scores'] = np.stack(scores)
    if task.get('crops'):
        crops = np.load(task['crops'])
        n_loss = len(np.load(task['loss'])['inputs']) if task.get(
            'loss') else len(crops['crops'])
        with torch.no_grad():
            inputs, outs = _forward_tensor(model, crops['crops'][:n_loss])
        out['normalised'] = inputs.numpy()
        for i, o in enumerate(outs):
            out[f'outputs/{i}'] = o
        kpts, scores = _predict_on_crops(model, cfg, crops)
        out['same/keypoints'], out['same/scores'] = kpts, scores
    if task.get('loss'):
        out.update(_loss(model, cfg, task['loss']))
    np.savez(task['output'], **out)


def main(job_file: str) -> None:
    warnings.filterwarnings('ignore')
    torch.set_num_threads(1)
    from mmpose.utils import register_all_modules
    register_all_modules()
    with open(job_file) as f:
        job = json.load(f)
    runners = dict(targets=run_targets, decode=run_decode, model=run_model)
    for task in job['tasks']:
        runners[task['type']](task)


if __name__ == '__main__':
    main(sys.argv[1])
