"""Metainfo of user-defined keypoint sets, and its checks.

Besides the full layout of ``configs/_base_/datasets/coco.py``
(``keypoint_info`` / ``skeleton_info`` with names), a keypoint set can be
described in a compact, index-based layout::

    dataset_info = dict(
        dataset_name='my_set',
        keypoint_names=['head', 'left_hand', 'right_hand', ...],  # K names
        flip_pairs=[(1, 2)],          # 0-based (left, right) index pairs
        skeleton_links=[(0, 1), (0, 2)],  # 0-based index pairs (optional)
        upper_body_ids=[0, 1, 2],     # RandomHalfBody halves (optional)
        lower_body_ids=[...],
        joint_weights=[1.] * K,       # loss weights (optional, default 1)
        sigmas=[...] * K)             # OKS sigmas (optional: by name)

or derived from the ``categories`` of a COCO-format file (``keypoints``
names and the 1-based ``skeleton``). Both are turned into the full layout
here, with every index and length checked.
"""
import re
import warnings
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from .metainfo import _load_dataset_info, parse_pose_metainfo

# OKS sigmas of COCO (and, for head/neck, CrowdPose; for feet,
# COCO-WholeBody), looked up by a word of the keypoint name.
NAMED_SIGMAS: Dict[str, float] = {
    'nose': 0.026, 'eye': 0.025, 'ear': 0.035, 'shoulder': 0.079,
    'elbow': 0.072, 'wrist': 0.062, 'hip': 0.107, 'knee': 0.087,
    'ankle': 0.089, 'head': 0.079, 'neck': 0.079, 'toe': 0.067,
    'heel': 0.092
}
# Sigma for names matching none of NAMED_SIGMAS: about the middle of COCO's
# range (0.025 for eyes to 0.107 for hips).
DEFAULT_SIGMA = 0.05

# Left/right spellings tried to pair keypoints by name: (left, right, where
# in the name).
_SIDE_MARKERS = (('left', 'right', 'any'), ('Left', 'Right', 'any'),
                 ('LEFT', 'RIGHT', 'any'), ('l_', 'r_', 'prefix'),
                 ('L_', 'R_', 'prefix'), ('_l', '_r', 'suffix'),
                 ('_L', '_R', 'suffix'))
_CATEGORY_OPTIONS = ('from_coco_categories', 'dataset_name', 'flip_pairs',
                     'skeleton_links', 'upper_body_ids', 'lower_body_ids',
                     'joint_weights', 'sigmas')


class KeypointSetError(ValueError):
    """A keypoint set description is inconsistent (with itself or with the
    annotations); the message names the entry at fault."""


def name_words(name: str) -> List[str]:
    """Lower-case words of a keypoint name: ``'L_Eye'`` -> ``['l', 'eye']``,
    ``'rightKnee'`` -> ``['right', 'knee']``."""
    return re.findall(r'[a-z]+',
                      re.sub(r'([a-z])([A-Z])', r'\1_\2', name).lower())


def default_sigma(name: str) -> Tuple[float, Optional[str]]:
    """OKS sigma proposed for a keypoint from its name.

    Returns:
        (sigma, word): the COCO-like sigma of the first word of ``name``
        found in ``NAMED_SIGMAS`` and that word, else
        ``(DEFAULT_SIGMA, None)``.
    """
    for word in name_words(name):
        if word in NAMED_SIGMAS:
            return NAMED_SIGMAS[word], word
    return DEFAULT_SIGMA, None


def _mirrored(name: str, left: str, right: str, where: str) -> Optional[str]:
    if where == 'any':
        return name.replace(left, right) if left in name else None
    if where == 'prefix':
        return right + name[len(left):] if name.startswith(left) else None
    return name[:-len(left)] + right if name.endswith(left) else None


def guess_flip_pairs(names: Sequence[str]) -> List[Tuple[int, int]]:
    """(left, right) index pairs of keypoints whose names differ only by a
    side marker (``left``/``right``, ``l_``/``r_``, ``_l``/``_r``, ...)."""
    index = {name: i for i, name in enumerate(names)}
    pairs = []
    for i, name in enumerate(names):
        for left, right, where in _SIDE_MARKERS:
            partner = _mirrored(name, left, right, where)
            if partner is not None and partner in index:
                pairs.append((i, index[partner]))
                break
    return pairs


def _index_pairs(pairs, num_keypoints: int, key: str,
                 source: str) -> List[Tuple[int, int]]:
    checked = []
    for n, pair in enumerate(pairs):
        if len(pair) != 2:
            raise KeypointSetError(f'{source}: {key}[{n}] = {pair!r} is not '
                                   'a pair of keypoint indices')
        for index in pair:
            if not (isinstance(index, int) and 0 <= index < num_keypoints):
                raise KeypointSetError(
                    f'{source}: {key}[{n}] = {tuple(pair)} has index '
                    f'{index!r} out of range for {num_keypoints} keypoints '
                    f'(0..{num_keypoints - 1}; indices are 0-based)')
        if pair[0] == pair[1]:
            raise KeypointSetError(f'{source}: {key}[{n}] = {tuple(pair)} '
                                   'pairs a keypoint with itself')
        checked.append((int(pair[0]), int(pair[1])))
    return checked


def _per_keypoint(values, num_keypoints: int, key: str,
                  source: str) -> List[float]:
    if len(values) != num_keypoints:
        raise KeypointSetError(
            f'{source}: {key} has {len(values)} values but there are '
            f'{num_keypoints} keypoints (one value per keypoint)')
    return [float(v) for v in values]


def compact_to_dataset_info(info: Mapping, source: str) -> dict:
    """The compact layout (module docstring) -> the full layout read by
    ``parse_pose_metainfo``. ``source`` names the description in errors.

    Missing ``sigmas`` are proposed by name (``default_sigma``) with a
    warning; they only matter for OKS-based evaluation and NMS.
    """
    for key in ('dataset_name', 'keypoint_names'):
        if key not in info:
            raise KeypointSetError(f'{source}: no {key!r} (keys: '
                                   f'{sorted(info)})')
    names = [str(n) for n in info['keypoint_names']]
    num = len(names)
    if num == 0:
        raise KeypointSetError(f'{source}: keypoint_names is empty')
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise KeypointSetError(f'{source}: keypoint_names repeats '
                               f'{duplicates}')

    flip_pairs = _index_pairs(info.get('flip_pairs', []), num, 'flip_pairs',
                              source)
    partner = {}
    for n, (a, b) in enumerate(flip_pairs):
        for index in (a, b):
            if index in partner:
                raise KeypointSetError(
                    f'{source}: flip_pairs[{n}] = {(a, b)}: keypoint {index} '
                    f'({names[index]}) is already in another pair')
        partner[a], partner[b] = b, a
    links = _index_pairs(
        info.get('skeleton_links', []), num, 'skeleton_links', source)
    halves = {}
    for key, kind in (('upper_body_ids', 'upper'), ('lower_body_ids',
                                                    'lower')):
        for index in info.get(key, []):
            if not (isinstance(index, int) and 0 <= index < num):
                raise KeypointSetError(
                    f'{source}: {key} has index {index!r} out of range for '
                    f'{num} keypoints (0..{num - 1})')
            halves[index] = kind

    if info.get('sigmas') is None:
        sigmas = [default_sigma(name)[0] for name in names]
        warnings.warn(
            f'{source}: no sigmas; using COCO-like values by keypoint name '
            f'({DEFAULT_SIGMA} where no name matches): {sigmas}. Estimate '
            'them from repeated annotations with tools/dataset_converters/'
            'estimate_sigmas.py')
    else:
        sigmas = _per_keypoint(info['sigmas'], num, 'sigmas', source)
    weights = _per_keypoint(
        info.get('joint_weights', [1.] * num), num, 'joint_weights', source)

    def color(index: int) -> List[int]:
        if index not in partner:
            return [51, 153, 255]
        return [0, 255, 0] if index < partner[index] else [255, 128, 0]

    return dict(
        dataset_name=info['dataset_name'],
        paper_info=dict(info.get('paper_info', {})),
        keypoint_info={
            i: dict(
                name=name,
                id=i,
                color=color(i),
                type=halves.get(i, ''),
                swap=names[partner[i]] if i in partner else '')
            for i, name in enumerate(names)
        },
        skeleton_info={
            n: dict(link=(names[a], names[b]), id=n, color=color(a))
            for n, (a, b) in enumerate(links)
        },
        joint_weights=weights,
        sigmas=sigmas)


def dataset_info_from_coco_categories(data: Mapping, ann_file: str,
                                      options: Mapping) -> dict:
    """Full-layout metainfo from the keypoint category of a COCO dict.

    Names come from the category's ``keypoints``, links from its 1-based
    ``skeleton``; flip pairs are guessed from left/right names unless
    ``options['flip_pairs']`` is given. ``options`` may also set
    ``dataset_name`` (default: the category name), ``skeleton_links``,
    ``upper_body_ids``, ``lower_body_ids``, ``joint_weights`` and ``sigmas``
    as in the compact layout.
    """
    unknown = sorted(set(options) - set(_CATEGORY_OPTIONS))
    if unknown:
        raise KeypointSetError(
            f'metainfo=dict(from_coco_categories=True, ...): unknown keys '
            f'{unknown}; allowed: {list(_CATEGORY_OPTIONS)}')
    source = f'COCO categories of {ann_file}'
    cats = [c for c in data.get('categories', []) if c.get('keypoints')]
    if not cats:
        raise KeypointSetError(
            f'{source}: no category lists "keypoints" names; write a '
            "metainfo file and pass metainfo=dict(from_file=...)")
    names = list(cats[0]['keypoints'])
    for cat in cats[1:]:
        if list(cat['keypoints']) != names:
            raise KeypointSetError(
                f'{source}: categories {cats[0]["name"]!r} and '
                f'{cat["name"]!r} list different keypoints; one keypoint set '
                'per file is supported')
    links = []
    for n, link in enumerate(cats[0].get('skeleton', [])):
        if len(link) != 2 or not all(
                isinstance(i, int) and 1 <= i <= len(names) for i in link):
            raise KeypointSetError(
                f'{source}: skeleton[{n}] = {link!r} of category '
                f'{cats[0]["name"]!r} is not a pair of 1-based keypoint '
                f'indices in 1..{len(names)}')
        links.append((link[0] - 1, link[1] - 1))
    compact = dict(
        dataset_name=options.get('dataset_name', cats[0]['name']),
        keypoint_names=names,
        flip_pairs=options.get('flip_pairs', guess_flip_pairs(names)),
        skeleton_links=options.get('skeleton_links', links))
    for key in ('upper_body_ids', 'lower_body_ids', 'joint_weights',
                'sigmas'):
        if key in options:
            compact[key] = options[key]
    return compact_to_dataset_info(compact, source)


def load_keypoint_set(metainfo: Mapping) -> Tuple[dict, str]:
    """``dict(from_file=...)`` or an inline description, in the full or the
    compact layout -> (full-layout dict, where it came from), checked with
    ``parse_pose_metainfo``; errors name the source."""
    source = (f'metainfo file {metainfo["from_file"]}'
              if 'from_file' in metainfo else 'inline metainfo')
    info = _load_dataset_info(metainfo)
    if 'keypoint_names' in info:
        info = compact_to_dataset_info(info, source)
    try:
        parse_pose_metainfo(info)
    except (KeyError, ValueError) as err:
        raise KeypointSetError(f'{source}: {err}') from err
    return info, source


def check_annotations_agree(meta: Mapping, coco, ann_file: str,
                            source: str) -> None:
    """Raise ``KeypointSetError`` unless the COCO annotations ``coco`` have
    the keypoints of the parsed metainfo ``meta``: every keypoint category
    lists the same names in the same order, and every annotation has
    ``3 * K`` keypoint values."""
    num = meta['num_keypoints']
    names = [meta['keypoint_id2name'][i] for i in range(num)]
    where = f'metainfo {meta["dataset_name"]!r} ({source})'
    for cat in coco.dataset.get('categories', []):
        listed = cat.get('keypoints')
        if listed is None:
            continue
        label = f'category {cat.get("name")!r} (id {cat.get("id")}) in ' \
                f'{ann_file}'
        if len(listed) != num:
            raise KeypointSetError(
                f'keypoint count: {where} has {num} keypoints but {label} '
                f'lists {len(listed)}: {list(listed)}')
        for i, (ours, theirs) in enumerate(zip(names, listed)):
            if ours != theirs:
                raise KeypointSetError(
                    f'keypoint names: keypoint {i} is {ours!r} in {where} but '
                    f'{theirs!r} in {label}; fix the order/names, or derive '
                    'them with metainfo=dict(from_coco_categories=True)')
    for ann in coco.dataset.get('annotations', []):
        values = len(ann.get('keypoints', []))
        if values != 3 * num:
            raise KeypointSetError(
                f'keypoint count: annotation id {ann.get("id")} in {ann_file} '
                f'has {values} keypoint values ({values / 3:g} keypoints) but '
                f'{where} has {num} keypoints')
