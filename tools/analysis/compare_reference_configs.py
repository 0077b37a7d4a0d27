"""Compare each published config's training recipe with its reference
counterpart (mmpose 1.3.2 / mmdet 3.3.0), fully resolved, and print per
config the differences that remain, each either on the documented list
(README, "Configs: where they differ from the reference, and why") or
UNDOCUMENTED.

The reference configs are resolved by the reference venv's python
(``../shared/tools/setup_reference.sh`` builds it; it holds mmpose's and
mmdet's configs). The ``projects/rtmpose`` configs (RTMDet person, COCO-only
RTMPose 384x288) ship only in the mmpose repository: pass a clone or bare
mirror with ``--mmpose-repo`` (or ``RTMPOSE_REFERENCE_REPO``; the tag
``v1.3.2`` is read when it exists); without it those pairs are skipped.

Compared: what the runner consumes for training and evaluation (model,
optimiser, schedulers, loops, data loaders with both augmentation stages,
evaluators, custom hooks, the checkpoint hook, seed), after writing
equivalent spellings one way: scope prefixes and ``_scope_`` keys; the
reference's type names as ours (mmdet's ``CocoDataset`` is our
``CocoDetDataset``) and our subclasses that keep the recipe as their base;
an ``Albumentation`` step as its transforms; ``RepeatDataset(times=t)``
members of a ``CombinedDataset`` as a ``t`` ``sample_ratio_factor``; paths
split differently between ``data_root`` and the file; local
``backend_args``; keys left at their class's default (filled in from each
side's own defaults) and what ours derives at build time; ViTPose's
``FeatureMapProcessor`` neck as the head's ``upsample_factor`` and its
layer-decay exemptions; ``by_epoch=True`` as the epoch loop.

Usage::

    python tools/analysis/compare_reference_configs.py [CONFIG ...]
        [--reference-python /tmp/mmpose-ref/bin/python]
        [--mmpose-repo DIR] [--json FILE]

Exit status 1 when an undocumented difference remains.
"""
import argparse
import difflib
import json
import os
import os.path as osp
import re
import subprocess
import sys
import tempfile
from typing import Dict, List, Optional, Tuple

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, ROOT)  # this checkout's rtmpose, as the other tools
DEFAULT_REFERENCE_PYTHON = os.environ.get('RTMPOSE_REFERENCE_PYTHON',
                                          '/tmp/mmpose-ref/bin/python')
REFERENCE_TAG = 'v1.3.2'
ABSENT = '<absent>'

_BODY = 'mmpose:body_2d_keypoint/rtmpose/'
_WB = 'mmpose:wholebody_2d_keypoint/rtmpose/coco-wholebody/'
_HM = 'mmpose:body_2d_keypoint/topdown_heatmap/coco/'
_PROJ = 'repo:projects/rtmpose/'
# our config -> its reference: 'mmpose:' under the mmpose package's
# .mim/configs, 'repo:' a path in the mmpose repository
PAIRS: Dict[str, str] = {
    **{
        f'configs/rtmpose/coco/rtmpose-{s}_8xb256-420e_{d}-256x192.py':
        f'{_BODY}coco/rtmpose-{s}_8xb256-420e_{d}-256x192.py'
        for s in 'tsml' for d in ('coco', 'aic-coco')
    },
    'configs/rtmpose/coco/rtmpose-m_8xb256-420e_aic-coco-384x288.py':
    f'{_BODY}coco/rtmpose-m_8xb256-420e_aic-coco-384x288.py',
    **{
        f'configs/rtmpose/coco/rtmpose-{s}_8xb256-420e_coco-384x288.py':
        f'{_PROJ}rtmpose/body_2d_keypoint/'
        f'rtmpose-{s}_8xb256-420e_coco-384x288.py'
        for s in 'ml'
    },
    'configs/rtmpose/coco/cspnext-m_udp_8xb256-210e_aic-coco-256x192.py':
    f'{_HM}cspnext-m_udp_8xb256-210e_aic-coco-256x192.py',
    'configs/rtmpose/crowdpose/rtmpose-m_8xb64-210e_crowdpose-256x192.py':
    f'{_BODY}crowdpose/rtmpose-m_8xb64-210e_crowdpose-256x192.py',
    'configs/rtmpose/mpii/rtmpose-m_8xb64-210e_mpii-256x256.py':
    f'{_BODY}mpii/rtmpose-m_8xb64-210e_mpii-256x256.py',
    'configs/rtmpose/ap10k/rtmpose-m_8xb64-210e_ap10k-256x256.py':
    'mmpose:animal_2d_keypoint/rtmpose/ap10k/'
    'rtmpose-m_8xb64-210e_ap10k-256x256.py',
    **{
        f'configs/rtmpose/wholebody/{n}.py': f'{_WB}{n}.py'
        for n in ('rtmpose-m_8xb64-270e_coco-wholebody-256x192',
                  'rtmpose-l_8xb64-270e_coco-wholebody-256x192',
                  'rtmpose-l_8xb32-270e_coco-wholebody-384x288',
                  'rtmpose-x_8xb32-270e_coco-wholebody-384x288')
    },
    **{
        f'configs/vitpose/coco/vitpose-{s}{v}_8xb64-210e_coco-256x192.py':
        f'{_HM}td-hm_ViTPose-{s}{v}_8xb64-210e_coco-256x192.py'
        for s in ('small', 'base', 'large', 'huge') for v in ('', '-simple')
    },
    **{
        f'configs/rtmdet/person/{n}.py': f'{_PROJ}rtmdet/person/{n}.py'
        for n in ('rtmdet_nano_320-8xb32_coco-person',
                  'rtmdet_m_640-8xb32_coco-person')
    },
}

# What the runner consumes for the recipe. The rest (loggers, visualiser,
# env, default scope, our run-guard hooks) is runtime, not recipe.
RECIPE_KEYS = ('model', 'train_cfg', 'val_cfg', 'test_cfg', 'optim_wrapper',
               'param_scheduler', 'auto_scale_lr', 'randomness',
               'train_dataloader', 'val_dataloader', 'test_dataloader',
               'val_evaluator', 'test_evaluator', 'custom_hooks',
               'default_hooks.checkpoint')

# the reference's type name -> ours, for the same class, per registry scope
# (a config's default scope, or an explicit 'mmdet.' prefix)
TYPE_ALIASES = {
    'mmdet': {
        'CocoDataset': 'CocoDetDataset',
        'CocoMetric': 'CocoDetMetric',
        'LoadImageFromFile': 'LoadImage',
    },
}
# ours -> the class it extends without changing the recipe: the loop only
# adds resuming mid-epoch, the hook only writes atomically
OUR_TYPE_ALIASES = {
    'ResumableEpochBasedTrainLoop': 'EpochBasedTrainLoop',
    'AtomicCheckpointHook': 'CheckpointHook',
}
SCOPES = ('mmpose', 'mmdet', 'mmengine', 'mmpretrain', 'mmcv')

# What a class does with an absent key, per side: (type, key) -> value. The
# reference's from mmpose 1.3.2 / mmdet 3.3.0 signatures, ours from ours.
REFERENCE_DEFAULTS = {
    ('HeatmapHead', 'deconv_out_channels'): [256, 256, 256],
    ('HeatmapHead', 'deconv_kernel_sizes'): [4, 4, 4],
    ('HeatmapHead', 'final_layer'): {'kernel_size': 1},
    ('HeatmapHead', 'upsample_factor'): 0,
    ('CSPNeXt', 'out_indices'): [2, 3, 4],
    ('DynamicSoftLabelAssigner', 'soft_center_radius'): 3.0,
    ('DynamicSoftLabelAssigner', 'iou_weight'): 3.0,
}
OUR_DEFAULTS = {
    ('HeatmapHead', 'final_layer'): {'kernel_size': 1},
    ('HeatmapHead', 'upsample_factor'): 0,
    # ours has no class token (MAE's is dropped on load)
    ('VisionTransformer', 'with_cls_token'): False,
    # bbox is CocoDetMetric's only mode
    ('CocoDetMetric', 'metric'): 'bbox',
    ('CocoDetMetric', 'format_only'): False,
    ('DetDataPreprocessor', 'batch_augments'): None,
}

# The documented deviations: (config, dotted path, reason), ``*`` any
# characters; each reason is a heading of the README section "Configs:
# where they differ from the reference, and why".
DEVIATIONS: List[Tuple[str, str, str]] = [
    ('configs/rtmpose/*', '*_dataloader.dataset.bbox_file',
     'Validation on the detector boxes'),
    ('configs/*', '*_dataloader.dataset*.data_prefix.img',
     'One data layout'),
    ('configs/rtmdet/person/*', 'auto_scale_lr.base_batch_size',
     "RTMDet: the learning rate's base batch"),
    ('configs/rtmdet/person/*', 'model.data_preprocessor.pad_*',
     'RTMDet: batch padding in the data preprocessor'),
    ('configs/rtmdet/person/*', 'train_dataloader.pin_memory',
     'RTMDet: no pinned memory'),
    ('configs/rtmdet/person/rtmdet_m_*',
     '*_dataloader.dataset.pipeline[3]', 'RTMDet-m: no test-time boxes'),
    ('configs/rtmpose/mpii/*', 'randomness', 'MPII: a fixed seed'),
    ('configs/rtmpose/mpii/*', 'default_hooks.checkpoint.save_best',
     'MPII: the metric name'),
]

# What issue 18 found differing, now the reference's: (config, dotted path,
# what). Reported as fixed while nothing undocumented differs under it.
FIXED: List[Tuple[str, str, str]] = [
    ('configs/rtmpose/*', 'model.backbone.init_cfg',
     'pre-trained CSPNeXt (issue 18.1, 18.2)'),
    ('configs/rtmpose/coco/cspnext-*', 'model.head',
     '19 keypoints (18.2)'),
    ('configs/rtmpose/coco/cspnext-*', 'model.test_cfg',
     'no flip test, keypoints 0-16 out (18.2)'),
    ('configs/rtmpose/coco/cspnext-*', 'train_dataloader.dataset',
     'COCO and AIC converted to 19 keypoints (18.2)'),
    ('configs/rtmdet/person/rtmdet_m_*', 'model.backbone.init_cfg',
     'ImageNet RSB CSPNeXt-m (18.3)'),
    ('configs/rtmdet/person/*', 'model.backbone.norm_cfg', 'SyncBN (18.3)'),
    ('configs/rtmdet/person/*', 'model.neck.norm_cfg', 'SyncBN (18.3)'),
    ('configs/rtmdet/person/*', 'model.bbox_head.norm_cfg', 'SyncBN (18.3)'),
    ('configs/rtmdet/person/*', 'val_evaluator', 'COCOeval maxDets'),
    ('configs/rtmpose/coco/rtmpose-*_coco-384x288.py',
     'optim_wrapper.clip_grad', 'gradient clipping (18.4)'),
    ('configs/rtmpose/wholebody/rtmpose-x_*', 'optim_wrapper.clip_grad',
     'gradient clipping (18.4)'),
    ('configs/rtmpose/crowdpose/*', 'optim_wrapper.optimizer.lr',
     'lr 5e-4 (18.5)'),
    ('configs/rtmpose/crowdpose/*', 'param_scheduler',
     'cosine floor 2.5e-5 (18.5)'),
    ('configs/rtmpose/wholebody/rtmpose-x_*', 'train_dataloader.dataset',
     'stage-1 rotation 90, scale 0.5-1.5 (18.6)'),
    ('configs/rtmpose/wholebody/rtmpose-x_*', 'custom_hooks',
     'stage-2 rotation 90, scale 0.5-1.5 (18.6)'),
    ('configs/vitpose/*', 'model.backbone.init_cfg',
     'MAE _20230913 weights (18.7)'),
    ('configs/vitpose/*', 'custom_hooks', 'SyncBuffersHook'),
]


def _strip_scope(name: str, scope: str) -> tuple:
    head, dot, tail = name.partition('.')
    return (head, tail) if dot and head in SCOPES else (scope, name)


def _expand_pipeline(steps: list) -> list:
    """An ``Albumentation`` step spelled as its transforms (ours are
    separate steps with the same arguments)."""
    out = []
    for step in steps:
        if isinstance(step, dict) and step.get('type') == 'Albumentation':
            out += [dict(t) for t in step['transforms']]
        else:
            out.append(step)
    return out


def _unrepeat(loader: dict) -> None:
    """``CombinedDataset`` members wrapped in ``RepeatDataset(times=t)``
    under a shuffling ``DefaultSampler`` -> the bare members with
    ``sample_ratio_factor`` t under ``MultiSourceSampler``: the same
    samples per epoch, shuffled together."""
    dataset = loader.get('dataset', {})
    members = dataset.get('datasets')
    if dataset.get('type') != 'CombinedDataset' or not members or not any(
            m.get('type') == 'RepeatDataset' for m in members):
        return
    ratios = []
    for i, m in enumerate(members):
        if m.get('type') == 'RepeatDataset':
            ratios.append(float(m['times']))
            members[i] = m['dataset']
        else:
            ratios.append(1.0)
    dataset['sample_ratio_factor'] = ratios
    sampler = loader.get('sampler', {})
    if sampler.get('type') == 'DefaultSampler':
        loader['sampler'] = dict(type='MultiSourceSampler',
                                 shuffle=sampler.get('shuffle', True))


def _path(value):
    """A file path without doubled separators (``data/mpii//x``)."""
    if isinstance(value, str) and '://' not in value:
        while '//' in value:
            value = value.replace('//', '/')
    return value


def _join_data_root(dataset: dict) -> None:
    """``data_root`` folded into ``ann_file`` and ``data_prefix``: the
    same files however the path is split."""
    root = dataset.pop('data_root', None)
    if root is None:
        return
    if isinstance(dataset.get('ann_file'), str):
        dataset['ann_file'] = _path(f'{root}/{dataset["ann_file"]}')
    for key, value in dict(dataset.get('data_prefix') or {}).items():
        dataset['data_prefix'][key] = _path(f'{root}/{value}')


def _heatmap_head(head: dict, neck, side: str):
    """One spelling of the heatmap head's upsampling: the reference's
    ``FeatureMapProcessor(scale_factor=s, apply_relu=True)`` neck before a
    deconv-free head is our ``upsample_factor=s`` (ReLU, bilinear x s);
    ``None`` deconvs are ``[]``; the final conv's padding made explicit
    (ours: ``kernel_size // 2``, the reference's: 0)."""
    if side == 'reference' and isinstance(neck, dict) and \
            neck.get('type') == 'FeatureMapProcessor' and \
            set(neck) == {'type', 'scale_factor', 'apply_relu'} and \
            neck['apply_relu']:
        head['upsample_factor'] = neck['scale_factor']
        neck = None
    for key in ('deconv_out_channels', 'deconv_kernel_sizes'):
        if head.get(key) is None and key in head:
            head[key] = []
    final = head.get('final_layer')
    if isinstance(final, dict) and 'padding' not in final:
        kernel = final.get('kernel_size', 1)
        final['padding'] = kernel // 2 if side == 'ours' else 0
    return head, neck


_DECAY_EXEMPT = 'norms, biases, pos_embed'


def _layer_decay(optim: dict, side: str) -> None:
    """``LayerDecayOptimWrapperConstructor``'s decay exemptions in one
    spelling. The reference's constructor reads only ``num_layers`` and
    ``layer_decay_rate`` and exempts 1-D parameters, biases and
    ``pos_embed`` itself (its ``custom_keys`` are ignored); ours takes
    mmengine's options, and a ViT's 1-D parameters are its norms and
    biases."""
    if optim.get('constructor') != 'LayerDecayOptimWrapperConstructor':
        return
    paramwise = optim.get('paramwise_cfg') or {}
    keep = {k: paramwise[k] for k in ('num_layers', 'layer_decay_rate')
            if k in paramwise}
    rest = {k: v for k, v in paramwise.items() if k not in keep}
    ours_exempt = {'norm_decay_mult': 0.0, 'bias_decay_mult': 0.0,
                   'custom_keys': {'pos_embed': {'decay_mult': 0.0}}}
    if side == 'reference' or rest == ours_exempt:
        keep['decay_exempt'] = _DECAY_EXEMPT
    else:
        keep.update(rest)
    optim['paramwise_cfg'] = keep


def normalise(value, side: str, scope: str):
    """A resolved config value in one spelling (see the module doc);
    ``side`` 'ours' or 'reference', ``scope`` the config's default."""
    if isinstance(value, (list, tuple)):
        return [normalise(v, side, scope) for v in value]
    if not isinstance(value, dict):
        return _path(value)
    out = {}
    for k, v in value.items():
        if k == '_scope_' or (k == 'backend_args' and
                              v in (None, {'backend': 'local'})) or \
                (k == 'init_cfg' and v is None):
            continue  # local files / the module's own init either way
        out[k] = normalise(v, side, scope)
    if isinstance(out.get('type'), str):
        reg_scope, name = _strip_scope(out['type'], scope)
        if side == 'reference':
            name = TYPE_ALIASES.get(reg_scope, {}).get(name, name)
        else:
            name = OUR_TYPE_ALIASES.get(name, name)
        out['type'] = name
        defaults = REFERENCE_DEFAULTS if side == 'reference' else OUR_DEFAULTS
        for (type_name, key), default in defaults.items():
            if type_name == name and key not in out:
                out[key] = default
    if out.get('type') == 'VisionTransformer' and \
            isinstance(out.get('arch'), str):
        from rtmpose.models.backbones.vit import VisionTransformer
        out['arch'] = dict(VisionTransformer.arch_zoo[out['arch']])
    if isinstance(out.get('pipeline'), list):
        out['pipeline'] = _expand_pipeline(out['pipeline'])
    if isinstance(out.get('switch_pipeline'), list):
        out['switch_pipeline'] = _expand_pipeline(out['switch_pipeline'])
    if 'sampler' in out and 'dataset' in out:
        _unrepeat(out)
        out.setdefault('batch_sampler', None)  # mmengine's default
    if 'data_root' in out and ('ann_file' in out or 'data_prefix' in out):
        _join_data_root(out)
    return out


def _normalise_model(model: dict, side: str) -> None:
    head = model.get('head')
    if side == 'ours' and isinstance(head, dict) and \
            head.get('type') == 'RTMCCHead' and 'decoder' in head:
        # ours derives these at build time: the codec's input size, and the
        # last feature map of the stride-32 CSPNeXt at it
        size = head.setdefault('input_size', head['decoder']['input_size'])
        head.setdefault('in_featuremap_size', [s // 32 for s in size])
    if isinstance(head, dict) and head.get('type') == 'HeatmapHead':
        head, neck = _heatmap_head(head, model.get('neck'), side)
        model['head'] = head
        if neck is None:
            model.pop('neck', None)
        # the heatmap flip test: mirror the heatmaps, no one-pixel shift
        test_cfg = model.setdefault('test_cfg', {})
        test_cfg.setdefault('flip_mode', 'heatmap')
        test_cfg.setdefault('shift_heatmap', False)
    if model.get('type') == 'RTMDet':
        model.setdefault('train_cfg', {}).setdefault('debug', False)


def recipe(cfg: dict, side: str) -> dict:
    """The recipe keys of a resolved config, normalised (``side``: 'ours'
    or 'reference')."""
    scope = cfg.get('default_scope') or 'mmpose'
    out = {}
    for key in RECIPE_KEYS:
        node = cfg
        for part in key.split('.'):
            node = node.get(part) if isinstance(node, dict) else None
        if node is not None:
            out[key] = normalise(json.loads(json.dumps(node, default=str)),
                                 side, scope)
    if isinstance(out.get('model'), dict):
        _normalise_model(out['model'], side)
    train = out.get('train_cfg', {})
    if train.pop('by_epoch', False) and 'type' not in train:
        train['type'] = 'EpochBasedTrainLoop'  # as mmengine's Runner builds
    for key, loop in (('val_cfg', 'ValLoop'), ('test_cfg', 'TestLoop')):
        if isinstance(out.get(key), dict):
            out[key].setdefault('type', loop)
    optim = out.get('optim_wrapper')
    if isinstance(optim, dict):
        optim.setdefault('type', 'OptimWrapper')
        _layer_decay(optim, side)
    return out


def _typed_list(value) -> bool:
    return isinstance(value, list) and all(
        isinstance(v, dict) and 'type' in v for v in value)


def diff(ours, ref, path: str = '') -> List[Tuple[str, object, object]]:
    """(dotted path, ours, reference) where two normalised values differ;
    dict keys by name, lists by index; lists of typed steps (pipelines,
    hooks) of different lengths aligned by type, so a step only one side
    has is one difference. Missing: ``'<absent>'``."""
    if isinstance(ours, dict) and isinstance(ref, dict):
        out = []
        for k in sorted(set(ours) | set(ref), key=str):
            sub = f'{path}.{k}' if path else str(k)
            out += diff(ours.get(k, ABSENT), ref.get(k, ABSENT), sub)
        return out
    if isinstance(ours, list) and isinstance(ref, list):
        if len(ours) == len(ref):
            return [d for i, (o, r) in enumerate(zip(ours, ref))
                    for d in diff(o, r, f'{path}[{i}]')]
        if _typed_list(ours) and _typed_list(ref):
            out = []
            matcher = difflib.SequenceMatcher(
                None, [o['type'] for o in ours], [r['type'] for r in ref],
                autojunk=False)
            for tag, i0, i1, j0, j1 in matcher.get_opcodes():
                if tag == 'equal':
                    out += [d for i, j in zip(range(i0, i1), range(j0, j1))
                            for d in diff(ours[i], ref[j], f'{path}[{i}]')]
                    continue
                out += [(f'{path}[{i}]', ours[i], ABSENT)
                        for i in range(i0, i1)]
                out += [(f'{path}[{j}]', ABSENT, ref[j])
                        for j in range(j0, j1)]
            return out
    if isinstance(ours, (int, float)) and isinstance(ref, (int, float)) \
            and not isinstance(ours, bool) and not isinstance(ref, bool):
        return [] if float(ours) == float(ref) else [(path, ours, ref)]
    return [] if ours == ref else [(path, ours, ref)]


def _match(pattern: str, text: str) -> bool:
    """``pattern`` literally, ``*`` any characters."""
    return re.fullmatch('.*'.join(map(re.escape, pattern.split('*'))),
                        text) is not None


def fixed(config: str, paths: List[str]) -> List[Tuple[str, str]]:
    """(path, what) of the :data:`FIXED` entries of ``config`` with no
    difference under their path among ``paths`` (the undocumented ones)."""
    return [(path, what) for cfg_pat, path, what in FIXED
            if _match(cfg_pat, config) and not any(
                p == path or p.startswith((f'{path}.', f'{path}['))
                for p in paths)]


def documented(config: str, path: str) -> Optional[str]:
    """The README reason covering this difference, if any."""
    for cfg_pat, path_pat, reason in DEVIATIONS:
        if _match(cfg_pat, config) and _match(path_pat, path):
            return reason
    return None


_RESOLVE = r'''
import importlib.util, json, os, sys, warnings
warnings.filterwarnings('ignore')
from mmengine.config import Config
# mmpose's configs without importing mmpose
root = os.path.join(os.path.dirname(importlib.util.find_spec('mmpose').origin),
                    '.mim', 'configs')
out = {}
for spec in json.load(sys.stdin):
    kind, _, path = spec.partition(':')
    try:
        cfg = Config.fromfile(os.path.join(root, path) if kind == 'mmpose'
                              else path)
        out[spec] = json.loads(json.dumps(cfg.to_dict(), default=str))
    except Exception as err:  # reported per config by the caller
        out[spec] = {'__error__': f'{type(err).__name__}: {err}'}
with open(sys.argv[1], 'w') as f:
    json.dump(out, f)
'''


def start_reference(python: str, specs: List[str],
                    out_file: str) -> subprocess.Popen:
    """Start resolving the reference configs in the reference venv into
    ``out_file`` (``specs`` 'mmpose:PATH' under mmpose's ``.mim/configs``,
    or 'file:PATH'); our side resolves meanwhile. :func:`reference_result`
    collects it."""
    env = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}
    proc = subprocess.Popen([python, '-c', _RESOLVE, out_file],
                            stdin=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    proc.stdin.write(json.dumps(specs))
    proc.stdin.close()
    return proc


def reference_result(proc: subprocess.Popen,
                     out_file: str) -> Dict[str, dict]:
    """{spec: resolved dict} of :func:`start_reference`."""
    err = proc.stderr.read()
    if proc.wait():
        raise SystemExit(f'compare_reference_configs: the reference python '
                         f'cannot resolve the configs:\n{err[-3000:]}\n'
                         'build the reference with '
                         '../shared/tools/setup_reference.sh')
    with open(out_file) as f:
        return json.load(f)


def repo_file(repo: str, path: str, out_dir: str) -> Optional[str]:
    """``path`` of the mmpose repository (a checkout, or a bare mirror read
    at ``REFERENCE_TAG`` when it has it, else HEAD) as a local file."""
    if osp.isfile(osp.join(repo, path)):
        return osp.join(repo, path)
    git = ['git', '--git-dir', repo]
    tag = subprocess.run(git + ['rev-parse', '-q', '--verify',
                                f'refs/tags/{REFERENCE_TAG}'],
                         capture_output=True, text=True)
    rev = REFERENCE_TAG if tag.returncode == 0 else 'HEAD'
    proc = subprocess.run(git + ['show', f'{rev}:{path}'],
                          capture_output=True, text=True)
    if proc.returncode:
        return None
    dst = osp.join(out_dir, path)
    os.makedirs(osp.dirname(dst), exist_ok=True)
    with open(dst, 'w') as f:
        f.write(proc.stdout)
    return dst


def resolve_ours(config: str) -> dict:
    from rtmpose.config_loading import load_config
    return json.loads(json.dumps(load_config(osp.join(ROOT, config)).to_dict(),
                                 default=str))


def compare(configs: List[str], python: str, repo: Optional[str]) -> list:
    """Per config: dict(config, reference, status, differences), status
    'compared' (with ``fixed``, see :func:`fixed`), 'skipped' (why in
    ``reason``) or 'error'."""
    specs = {}
    with tempfile.TemporaryDirectory(prefix='rtmpose_ref_cfg_') as tmp:
        for config in configs:
            kind, _, path = PAIRS[config].partition(':')
            if kind == 'mmpose':
                specs[config] = PAIRS[config]
            elif repo:
                local = repo_file(repo, path, tmp)
                specs[config] = local and f'file:{local}'
        out_file = osp.join(tmp, 'reference.json')
        proc = start_reference(python, [s for s in specs.values() if s],
                               out_file)
        ours = {c: recipe(resolve_ours(c), 'ours') for c in configs
                if specs.get(c)}
        resolved = reference_result(proc, out_file)
    rows = []
    for config in configs:
        row = dict(config=config, reference=PAIRS[config], differences=[])
        rows.append(row)
        if not specs.get(config):
            row.update(status='skipped', reason=(
                'no mmpose repository (--mmpose-repo)' if not repo else
                f'{PAIRS[config]} not in {repo}'))
            continue
        ref = resolved[specs[config]]
        if '__error__' in ref:
            row.update(status='error', reason=ref['__error__'])
            continue
        row['status'] = 'compared'
        for path, mine, theirs in diff(ours[config],
                                       recipe(ref, 'reference')):
            row['differences'].append(dict(
                path=path, ours=mine, reference=theirs,
                documented=documented(config, path)))
        row['fixed'] = fixed(config, [d['path'] for d in row['differences']
                                      if not d['documented']])
    return rows


def _short(value, width: int = 70) -> str:
    text = json.dumps(value) if not isinstance(value, str) else value
    return text if len(text) <= width else text[:width - 3] + '...'


def report(rows: list) -> int:
    """Print the table; the number of undocumented differences."""
    undocumented = 0
    for row in rows:
        head = f'{row["config"]}  <->  {row["reference"]}'
        if row['status'] != 'compared':
            print(f'{head}\n    {row["status"].upper()}: {row["reason"]}')
            undocumented += row['status'] == 'error'
            continue
        diffs = row['differences']
        bad = [d for d in diffs if not d['documented']]
        undocumented += len(bad)
        verdict = ('reference recipe' if not diffs else
                   f'{len(diffs) - len(bad)} documented deviation(s)' +
                   (f', {len(bad)} UNDOCUMENTED' if bad else ''))
        print(f'{head}\n    {verdict}')
        for path, what in row['fixed']:
            print(f'    = {path}: as the reference  [fixed: {what}]')
        for d in diffs:
            mark = (f'documented: {d["documented"]}' if d['documented']
                    else 'UNDOCUMENTED')
            print(f'    - {d["path"]}: ours {_short(d["ours"])} | reference '
                  f'{_short(d["reference"])}  [{mark}]')
    return undocumented


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('configs', nargs='*', default=sorted(PAIRS),
                   help='our configs (default: every one with a reference)')
    p.add_argument('--reference-python', default=DEFAULT_REFERENCE_PYTHON,
                   help='python of the mmpose 1.3.2 venv (env '
                   'RTMPOSE_REFERENCE_PYTHON; default %(default)s)')
    p.add_argument('--mmpose-repo',
                   default=os.environ.get('RTMPOSE_REFERENCE_REPO'),
                   help='mmpose repository (checkout or bare mirror) for '
                   'the projects/rtmpose configs (env RTMPOSE_REFERENCE_REPO)')
    p.add_argument('--json', default=None,
                   help='also write the rows as JSON here')
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    unknown = [c for c in args.configs if c not in PAIRS]
    if unknown:
        raise SystemExit(f'no reference counterpart known for {unknown}; '
                         f'known: {sorted(PAIRS)}')
    if not osp.exists(args.reference_python):
        raise SystemExit(f'compare_reference_configs: no reference python at '
                         f'{args.reference_python}; build it with '
                         '../shared/tools/setup_reference.sh or pass '
                         '--reference-python')
    os.chdir(ROOT)  # our configs' from_file paths are relative to it
    rows = compare(args.configs, args.reference_python, args.mmpose_repo)
    bad = report(rows)
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(rows, f, indent=1)
    compared = sum(r['status'] == 'compared' for r in rows)
    print(f'{compared} of {len(rows)} configs compared; '
          f'{bad} undocumented difference(s)')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
