"""Start-up checks: config, model and data must agree before training.

Each finding names the disagreeing values and where they come from (config
keys such as ``model.head.input_size``, or a built dataset's metainfo), so a
wrong config stops at once instead of after hours of training or with a
shape error deep inside the model.

Checked:
- every ``input_size`` under ``model``, the dataloaders and active
  ``PipelineSwitchHook`` pipelines (head, codecs, ``TopdownAffine``) is the
  same (w, h); a reversed pair is reported as a (w, h) order mistake;
- RTMCC head: ``in_featuremap_size`` = input size / backbone stride (32);
  SimCC codecs use the head's ``simcc_split_ratio``;
- per built dataset: metainfo ``num_keypoints`` = ``model.head.out_channels``
  = keypoints of the first sample; ``sigmas`` and keypoint weights have one
  value per keypoint; ``flip_indices`` has K entries in [0, K) and is its
  own inverse;
- with the built model: a dry forward of one zero image at the input size
  through the backbone (and neck), in eval mode without gradients (the
  model, its statistics and the random generators are left as they were):
  the last feature map's channels = ``model.head.in_channels`` and its
  (w, h) = ``model.head.in_featuremap_size``.
"""
import math
from typing import Iterator, List, Mapping, Optional, Tuple

import numpy as np
import torch
from mmengine.config import Config
from torch import nn


class SetupError(ValueError):
    """Config, model and data disagree; the message lists every finding."""


def check_setup(cfg: Mapping,
                datasets: Optional[Mapping] = None,
                model: Optional[nn.Module] = None) -> None:
    """Raise :class:`SetupError` listing every problem found by
    :func:`find_setup_problems`."""
    problems = find_setup_problems(cfg, datasets, model)
    if problems:
        raise SetupError('the config does not add up:\n  - ' +
                         '\n  - '.join(problems))


def find_setup_problems(cfg: Mapping,
                        datasets: Optional[Mapping] = None,
                        model: Optional[nn.Module] = None) -> List[str]:
    """All disagreements in ``cfg`` (a Config or dict), the built
    ``datasets`` (``{'train_dataloader.dataset': dataset, ...}``) and the
    built ``model``."""
    if isinstance(cfg, Config):  # not a Mapping itself
        cfg = cfg.to_dict()
    problems = _size_problems(cfg)
    head = _get(cfg, 'model.head')
    num_kpts = head.get('out_channels') if isinstance(head, Mapping) else None
    for where, dataset in (datasets or {}).items():
        problems += _dataset_problems(where, dataset, num_kpts)
    if model is not None and isinstance(head, Mapping):
        # one report per fact: the config-only stride check names a wrong
        # in_featuremap_size already
        check_map = not any('in_featuremap_size' in p for p in problems)
        problems += _feature_problems(model, head, check_map)
    return problems


def _feature_problems(model: nn.Module, head: Mapping,
                      check_map: bool) -> List[str]:
    """The head's input (``in_channels``, ``in_featuremap_size``) against
    the backbone (+ neck) output of a dry forward at ``head.input_size``."""
    size = _size(head.get('input_size'))
    extract = getattr(model, 'extract_feat', None)
    if size is None or len(size) != 2 or extract is None:
        return []
    where = 'model.backbone' + (' + model.neck' if getattr(
        model, 'neck', None) is not None else '')
    try:
        feat = _dry_forward(model, extract, size)
    except RuntimeError as err:
        return [f'a dry forward of one {size[0]}x{size[1]} (w x h) image '
                f'through {where} fails: {str(err).splitlines()[0]}']
    problems = []
    channels, (h, w) = int(feat.shape[1]), feat.shape[-2:]
    in_channels = head.get('in_channels')
    if isinstance(in_channels, int) and in_channels != channels:
        problems.append(
            f'model.head.in_channels={in_channels} but {where} outputs '
            f'{channels} channels (its last feature map at input size '
            f'{size}); set model.head.in_channels={channels}')
    feat_size = _size(head.get('in_featuremap_size'))
    if check_map and feat_size and feat_size != (int(w), int(h)):
        problems.append(
            f'model.head.in_featuremap_size={feat_size} but {where} gives '
            f'a {int(w)}x{int(h)} (w x h) map for model.head.input_size='
            f'{size}')
    return problems


def _dry_forward(model: nn.Module, extract, size) -> torch.Tensor:
    """Last feature map (1, C, h, w) of one zero image, the model unchanged
    (eval mode: no BN statistics update; no random draws)."""
    training = model.training
    try:
        param = next(model.parameters())
        device, dtype = param.device, param.dtype
    except StopIteration:
        device, dtype = torch.device('cpu'), torch.float32
    model.eval()
    try:
        with torch.no_grad():
            feats = extract(
                torch.zeros(1, 3, size[1], size[0], device=device,
                            dtype=dtype))
    finally:
        model.train(training)
    return feats[-1] if isinstance(feats, (tuple, list)) else feats


def _get(cfg: Mapping, dotted: str):
    node = cfg
    for key in dotted.split('.'):
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


def _walk(node, path: str) -> Iterator[Tuple[str, Mapping]]:
    """(path, dict) for every dict inside ``node``, depth first."""
    if isinstance(node, Mapping):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f'{path}.{key}')
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from _walk(value, f'{path}[{i}]')


def _used_sections(cfg: Mapping) -> Iterator[Tuple[str, object]]:
    """Config parts that build something (not helper variables such as a
    top-level ``codec`` or an unused ``train_pipeline_stage2``)."""
    for key in ('model', 'train_dataloader', 'val_dataloader',
                'test_dataloader'):
        if _get(cfg, key) is not None:
            yield key, cfg[key]
    max_epochs = _get(cfg, 'train_cfg.max_epochs')
    for i, hook in enumerate(cfg.get('custom_hooks') or []):
        if not isinstance(hook, Mapping) or \
                hook.get('type') != 'PipelineSwitchHook':
            continue
        # A stage 2 that never starts does not shape this run.
        if max_epochs is None or hook.get('switch_epoch', 0) < max_epochs:
            yield f'custom_hooks[{i}].switch_pipeline', hook.get(
                'switch_pipeline')


def _size(value) -> Optional[Tuple[int, ...]]:
    try:
        return tuple(int(v) for v in value)
    except (TypeError, ValueError):
        return None


def _size_problems(cfg: Mapping) -> List[str]:
    sizes, split_ratios = [], []
    for root, section in _used_sections(cfg):
        for path, node in _walk(section, root):
            if 'input_size' in node and _size(node['input_size']):
                sizes.append((f'{path}.input_size',
                              _size(node['input_size'])))
            if node.get('type') == 'SimCCLabel' and \
                    'simcc_split_ratio' in node:
                split_ratios.append((f'{path}.simcc_split_ratio',
                                     float(node['simcc_split_ratio'])))
    problems = []
    if sizes:
        ref_path, ref = next(
            (s for s in sizes if s[0] == 'model.head.input_size'), sizes[0])
        for path, size in sizes:
            if size == ref:
                continue
            if size == ref[::-1]:
                problems.append(
                    f'(w, h) order: {path}={size} is {ref_path}={ref} '
                    'reversed; sizes are (w, h) everywhere, e.g. '
                    'input_size=(192, 256) is 192 wide and 256 high')
            else:
                problems.append(f'input size mismatch: {path}={size} but '
                                f'{ref_path}={ref}')
    head = _get(cfg, 'model.head')
    if isinstance(head, Mapping) and head.get('type') == 'RTMCCHead':
        problems += _rtmcc_head_problems(cfg, head, split_ratios)
    return problems


def _rtmcc_head_problems(cfg: Mapping, head: Mapping,
                         split_ratios: list) -> List[str]:
    problems = []
    size = _size(head.get('input_size'))
    feat = _size(head.get('in_featuremap_size'))
    if size and feat:
        stride = 32
        backbone = _get(cfg, 'model.backbone') or {}
        if backbone.get('type') == 'CSPNeXt':
            # stem = index 0 (stride 2), stage i = index i (stride 2**(i+1))
            stride = 2**(max(backbone.get('out_indices', (2, 3, 4))) + 1)
        expected = tuple(math.ceil(s / stride) for s in size)
        if feat != expected:
            hint = ' ((w, h) order)' if feat == expected[::-1] else ''
            problems.append(
                f'model.head.in_featuremap_size={feat} but '
                f'model.head.input_size={size} / backbone stride {stride} '
                f'gives {expected}{hint}')
    ratio = head.get('simcc_split_ratio')
    if ratio is not None:
        for path, value in split_ratios:
            if value != float(ratio):
                problems.append(f'{path}={value:g} but '
                                f'model.head.simcc_split_ratio={ratio:g}')
    return problems


def _dataset_problems(where: str, dataset,
                      head_kpts: Optional[int]) -> List[str]:
    meta = getattr(dataset, 'metainfo', None) or {}
    name = f'{where} ({type(dataset).__name__}) metainfo'
    num_kpts = meta.get('num_keypoints')
    if num_kpts is None:
        return []
    problems = []
    if head_kpts is not None and head_kpts != num_kpts:
        problems.append(f'model.head.out_channels={head_kpts} but {name} '
                        f'num_keypoints={num_kpts}')
    for key in ('sigmas', 'dataset_keypoint_weights'):
        values = meta.get(key)
        if values is not None and len(values) not in (0, num_kpts):
            problems.append(f'{name} {key}: {len(values)} values for '
                            f'num_keypoints={num_kpts}')
    problems += _flip_problems(name, meta.get('flip_indices'), num_kpts)
    sample_kpts = _first_sample_keypoints(dataset)
    if sample_kpts is not None and sample_kpts != num_kpts:
        ann = getattr(dataset, 'ann_file', '')
        problems.append(
            f'{where}: the first annotation{f" ({ann})" if ann else ""} has '
            f'{sample_kpts} keypoints but {name} num_keypoints={num_kpts}')
    return problems


def _flip_problems(name: str, flip, num_kpts: int) -> List[str]:
    if flip is None:
        return []
    flip = [int(i) for i in flip]
    if len(flip) != num_kpts:
        return [f'{name} flip_indices has {len(flip)} entries for '
                f'num_keypoints={num_kpts}']
    bad = [i for i in flip if not 0 <= i < num_kpts]
    if bad:
        return [f'{name} flip_indices {bad} out of range [0, {num_kpts})']
    unpaired = [i for i, j in enumerate(flip) if flip[j] != i]
    if unpaired:
        return [f'{name} flip_indices is not symmetric: keypoints '
                f'{unpaired} are not the mirror of their mirror']
    return []


def _first_sample_keypoints(dataset) -> Optional[int]:
    """K of the first sample's ``keypoints`` (1, K, 2), after any member
    conversion a combined dataset applies."""
    try:
        if len(dataset) == 0:
            return None
        keypoints = dataset.get_data_info(0).get('keypoints')
    except (AttributeError, TypeError, NotImplementedError):
        return None
    if keypoints is None:
        return None
    return int(np.asarray(keypoints).shape[-2])
