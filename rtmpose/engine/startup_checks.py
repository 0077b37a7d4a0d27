"""Start-up checks: config, model and data must agree before training.

Each finding names the disagreeing values and where they come from (config
keys such as ``model.head.decoder.input_size``, or a built dataset's
metainfo), so a wrong config stops at once instead of after hours of
training or with a shape error deep inside the model. No model, codec or
transform type is named here: components check their own arguments when
built, and declare what the checks compare.

Checked:
- every ``input_size`` under ``model``, the dataloaders and active
  stage-switch pipelines (``switch_pipeline`` of a hook) is the same (w, h);
  a reversed pair is reported as a (w, h) order mistake; likewise every
  ``simcc_split_ratio``;
- per built dataset: metainfo ``num_keypoints`` = ``model.head.out_channels``
  (for the val / test data: the number of
  ``model.test_cfg.output_keypoint_indices`` when set) = keypoints of the
  first sample; ``sigmas`` and keypoint weights have one
  value per keypoint; ``flip_indices`` has K entries in [0, K) and is its
  own inverse;
- with the built model: the pipelines' transforms that declare
  ``input_spec_args`` (argument -> field) against ``model.input_spec``
  (e.g. the crop's box padding and UDP); a dry forward of one zero image at
  the input size through the backbone (and neck) and the head, in eval mode
  without gradients (the model, its statistics and the random generators
  are left as they were): the last feature map against the backbone's (or
  neck's) declared ``out_channels`` / ``out_sizes`` and the head's
  ``in_channels`` / ``in_featuremap_size``, then the head on that map.
"""
import inspect
from typing import Iterator, List, Mapping, Optional, Tuple

import numpy as np
import torch
from mmengine.config import Config
from torch import nn

from rtmpose.registry import TRANSFORMS


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
    problems = _agreement_problems(cfg, 'input_size', _size)
    problems += _agreement_problems(cfg, 'simcc_split_ratio', _number)
    head = _get(cfg, 'model.head')
    num_kpts = head.get('out_channels') if isinstance(head, Mapping) else None
    output = _get(cfg, 'model.test_cfg.output_keypoint_indices')
    for where, dataset in (datasets or {}).items():
        if output is not None and not where.startswith('train'):
            problems += _dataset_problems(
                where, dataset, len(output),
                'len(model.test_cfg.output_keypoint_indices)')
        else:
            problems += _dataset_problems(where, dataset, num_kpts)
    spec = getattr(model, 'input_spec', None)
    if spec is not None:
        # one report per fact: a size named above is not named again
        problems += [
            p for p in _spec_problems(cfg, spec)
            if not any(p.split('=')[0] + '=' in q for q in problems)
        ]
        problems += _feature_problems(model, spec.input_size)
    return problems


def _spec_problems(cfg: Mapping, spec) -> List[str]:
    """Transform arguments that a transform declares (``input_spec_args``)
    against the model's input spec; arguments a config leaves out take the
    transform's default."""
    problems = []
    for root, section in _used_sections(cfg):
        if root == 'model':
            continue
        for path, node in _walk(section, root):
            transform = _transform_class(node.get('type'))
            declared = getattr(transform, 'input_spec_args', None) or {}
            for arg, field in declared.items():
                value = node[arg] if arg in node else _default(transform, arg)
                expected = getattr(spec, field)
                same = (_size(value) == _size(expected) if isinstance(
                    expected, tuple) else value == expected)
                if not same:
                    problems.append(
                        f'{path}.{arg}={_show(value)} but the model\'s input '
                        f'spec has {field}={_show(expected)} (from its '
                        'head\'s codec, data preprocessor and bbox_padding)')
    return problems


def _transform_class(name) -> Optional[type]:
    if isinstance(name, type):
        return name
    if not isinstance(name, str):
        return None
    try:
        return TRANSFORMS.get(name)
    except KeyError:
        return None


def _default(cls: type, arg: str):
    param = inspect.signature(cls.__init__).parameters.get(arg)
    return None if param is None else param.default


def _show(value) -> str:
    if isinstance(value, float):
        return f'{value:g}'
    return str(tuple(value) if isinstance(value, list) else value)


def _feature_problems(model: nn.Module, size) -> List[str]:
    """A dry forward at the input ``size`` (w, h): the last feature map
    against what the backbone (or neck) declares and the head expects, then
    the head on that map."""
    extract = getattr(model, 'extract_feat', None)
    if extract is None:
        return []
    neck = getattr(model, 'neck', None)
    source = neck if neck is not None else model.backbone
    where = 'model.backbone' + (' + model.neck' if neck is not None else '')
    try:
        feats = _dry_forward(model, extract, size)
    except (RuntimeError, ValueError) as err:
        return [f'a dry forward of one {size[0]}x{size[1]} (w x h) image '
                f'through {where} fails: {str(err).splitlines()[0]}']
    feat = feats[-1] if isinstance(feats, (tuple, list)) else feats
    channels, (h, w) = int(feat.shape[1]), feat.shape[-2:]
    measured = (int(w), int(h))
    problems = []
    declared_channels = getattr(source, 'out_channels', None)
    if declared_channels and tuple(declared_channels)[-1] != channels:
        problems.append(
            f'{where} declares out_channels={tuple(declared_channels)} but '
            f'its last map has {channels} channels')
    out_sizes = getattr(source, 'out_sizes', None)
    if callable(out_sizes) and tuple(out_sizes(size)[-1]) != measured:
        problems.append(
            f'{where} declares a {out_sizes(size)[-1]} (w, h) last map '
            f'(out_strides={tuple(getattr(source, "out_strides", ()))}) '
            f'for a {tuple(size)} input but gives {measured}')
    head = getattr(model, 'decoding_head', None)
    in_channels = getattr(head, 'in_channels', None)
    if isinstance(in_channels, int) and in_channels != channels:
        problems.append(
            f'model.head.in_channels={in_channels} but {where} outputs '
            f'{channels} channels (its last feature map at input size '
            f'{tuple(size)}); set model.head.in_channels={channels}')
    feat_size = _size(getattr(head, 'in_featuremap_size', None))
    if feat_size and feat_size != measured:
        problems.append(
            f'model.head.in_featuremap_size={feat_size} but {where} gives '
            f'a {measured[0]}x{measured[1]} (w x h) map for the input size '
            f'{tuple(size)}')
    if head is not None and not problems:
        try:
            _dry_forward(model, head.forward, feats=feats)
        except (RuntimeError, ValueError) as err:
            problems.append(f'model.head fails on the {where} output: '
                            f'{str(err).splitlines()[0]}')
    return problems


def _dry_forward(model: nn.Module, fn, size=None, feats=None):
    """``fn`` on one zero image of ``size`` (w, h), or on ``feats``, the
    model unchanged (eval mode: no BN statistics update; no random
    draws)."""
    training = model.training
    if feats is None:
        try:
            param = next(model.parameters())
            device, dtype = param.device, param.dtype
        except StopIteration:
            device, dtype = torch.device('cpu'), torch.float32
        feats = torch.zeros(1, 3, size[1], size[0], device=device,
                            dtype=dtype)
    model.eval()
    try:
        with torch.no_grad():
            return fn(feats)
    finally:
        model.train(training)


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
        if not isinstance(hook, Mapping) or 'switch_pipeline' not in hook:
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


def _number(value) -> Optional[float]:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


# where the value every other one must equal is written, first found first
_REFERENCES = ('model.head.decoder.', 'model.head.')


def _agreement_problems(cfg: Mapping, key: str, parse) -> List[str]:
    """Every ``key`` in the used config sections has one value; a reversed
    (w, h) pair is named as such."""
    values = []
    for root, section in _used_sections(cfg):
        for path, node in _walk(section, root):
            if key in node and parse(node[key]) is not None:
                values.append((f'{path}.{key}', parse(node[key])))
    if not values:
        return []
    ref_path, ref = next(
        (v for prefix in _REFERENCES for v in values
         if v[0] == prefix + key), values[0])
    problems = []
    for path, value in values:
        if value == ref:
            continue
        if isinstance(value, tuple) and value == ref[::-1]:
            problems.append(
                f'(w, h) order: {path}={value} is {ref_path}={ref} '
                'reversed; sizes are (w, h) everywhere, e.g. '
                'input_size=(192, 256) is 192 wide and 256 high')
        else:
            problems.append(f'{key} mismatch: {path}={_show(value)} but '
                            f'{ref_path}={_show(ref)}')
    return problems


def _dataset_problems(where: str, dataset, head_kpts: Optional[int],
                      head_key: str = 'model.head.out_channels'
                      ) -> List[str]:
    meta = getattr(dataset, 'metainfo', None) or {}
    name = f'{where} ({type(dataset).__name__}) metainfo'
    num_kpts = meta.get('num_keypoints')
    if num_kpts is None:
        return []
    problems = []
    if head_kpts is not None and head_kpts != num_kpts:
        problems.append(f'{head_key}={head_kpts} but {name} '
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
