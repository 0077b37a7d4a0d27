"""Parse a dataset description (keypoints, swaps, skeleton, sigmas).

The descriptions of the supported datasets ship inside the package, in
``rtmpose/configs/_base_/datasets/``, and are named relative to the package:
``dict(from_file='configs/_base_/datasets/coco.py')`` resolves from any
working directory and from an installed wheel. The description follows
``configs/_base_/datasets/coco.py``: a dict with
``dataset_name``, ``paper_info``, ``keypoint_info`` ``{i: dict(name, id,
color, type, swap)}``, ``skeleton_info`` ``{i: dict(link=(name, name), id,
color)}``, ``joint_weights`` (K,) and ``sigmas`` (K,).
"""
from typing import Mapping

import numpy as np
from mmengine.config import Config

from rtmpose.config_loading import find_config

_KEYPOINT_TYPES = ('upper', 'lower', '')


def _load_dataset_info(metainfo: Mapping) -> dict:
    if 'from_file' not in metainfo:
        return dict(metainfo)
    path = find_config(metainfo['from_file'])
    cfg = Config.fromfile(path)
    if 'dataset_info' not in cfg:
        raise KeyError(f'metainfo file {path} defines no `dataset_info`')
    return cfg['dataset_info'].to_dict()


def _color(value, where: str) -> list:
    if len(value) != 3:
        raise ValueError(f'{where}: color must have 3 values, got {value!r}')
    return [int(c) for c in value]


def parse_pose_metainfo(metainfo: Mapping) -> dict:
    """Turn a dataset description into the lookup tables used downstream.

    Args:
        metainfo: ``dict(from_file='configs/_base_/datasets/coco.py')`` or
            the ``dataset_info`` dict itself.

    Returns:
        dict with ``dataset_name``, ``num_keypoints`` K, ``keypoint_id2name``,
        ``keypoint_name2id``, ``upper_body_ids``, ``lower_body_ids``,
        ``flip_indices`` (K,) list (index of the mirrored keypoint),
        ``flip_pairs`` list of (left, right) index pairs, ``keypoint_colors``
        (K, 3) uint8, ``skeleton_links`` list of (i, j),
        ``skeleton_link_colors`` (L, 3) uint8, ``dataset_keypoint_weights``
        (K,) float32, ``sigmas`` (K,) float32 and ``paper_info``.
    """
    info = _load_dataset_info(metainfo)
    for key in ('dataset_name', 'keypoint_info', 'sigmas'):
        if key not in info:
            raise KeyError(f'dataset metainfo has no {key!r} '
                           f'(keys: {sorted(info)})')

    keypoint_info = info['keypoint_info']
    num_keypoints = len(keypoint_info)
    if sorted(keypoint_info) != list(range(num_keypoints)):
        raise ValueError('keypoint_info keys must be 0..K-1, got '
                         f'{sorted(keypoint_info)}')

    id2name, name2id = {}, {}
    upper, lower, colors = [], [], []
    for idx in range(num_keypoints):
        kpt = keypoint_info[idx]
        where = f'keypoint_info[{idx}]'
        if kpt.get('id', idx) != idx:
            raise ValueError(f'{where}: id {kpt["id"]} differs from its key')
        name = kpt['name']
        if name in name2id:
            raise ValueError(f'{where}: name {name!r} is also keypoint '
                             f'{name2id[name]}')
        id2name[idx] = name
        name2id[name] = idx
        kpt_type = kpt.get('type', '')
        if kpt_type not in _KEYPOINT_TYPES:
            raise ValueError(f'{where} ({name}): type must be one of '
                             f'{_KEYPOINT_TYPES}, got {kpt_type!r}')
        if kpt_type == 'upper':
            upper.append(idx)
        elif kpt_type == 'lower':
            lower.append(idx)
        colors.append(_color(kpt.get('color', [255, 255, 255]), where))

    flip_indices, flip_pairs = [], []
    for idx in range(num_keypoints):
        name, swap = id2name[idx], keypoint_info[idx].get('swap', '')
        if not swap:
            flip_indices.append(idx)
            continue
        if swap not in name2id:
            raise ValueError(f'keypoint_info[{idx}] ({name}): swap {swap!r} '
                             'is not a keypoint name')
        partner = name2id[swap]
        if keypoint_info[partner].get('swap', '') != name:
            raise ValueError(
                f'keypoint_info[{idx}] ({name}) swaps with {swap!r}, but '
                f'{swap!r} swaps with '
                f'{keypoint_info[partner].get("swap", "")!r}')
        flip_indices.append(partner)
        if idx < partner:
            flip_pairs.append((idx, partner))

    links, link_colors = [], []
    skeleton_info = info.get('skeleton_info', {})
    for key in sorted(skeleton_info):
        link = skeleton_info[key]
        where = f'skeleton_info[{key}]'
        for end in link['link']:
            if end not in name2id:
                raise ValueError(f'{where}: {end!r} is not a keypoint name')
        links.append(tuple(name2id[end] for end in link['link']))
        link_colors.append(_color(link.get('color', [255, 255, 255]), where))

    def per_keypoint(key: str) -> np.ndarray:
        # joint_weights may be omitted (all 1); sigmas were checked above.
        values = info.get(key, [1.0] * num_keypoints)
        if len(values) != num_keypoints:
            raise ValueError(f'dataset metainfo {info["dataset_name"]!r}: '
                             f'{key} has {len(values)} values, expected one '
                             f'per keypoint ({num_keypoints})')
        return np.asarray(values, dtype=np.float32)

    return dict(
        dataset_name=info['dataset_name'],
        paper_info=info.get('paper_info', {}),
        num_keypoints=num_keypoints,
        keypoint_id2name=id2name,
        keypoint_name2id=name2id,
        upper_body_ids=upper,
        lower_body_ids=lower,
        flip_indices=flip_indices,
        flip_pairs=flip_pairs,
        keypoint_colors=np.asarray(colors, dtype=np.uint8).reshape(-1, 3),
        skeleton_links=links,
        skeleton_link_colors=np.asarray(link_colors,
                                        dtype=np.uint8).reshape(-1, 3),
        dataset_keypoint_weights=per_keypoint('joint_weights'),
        sigmas=per_keypoint('sigmas'),
    )
