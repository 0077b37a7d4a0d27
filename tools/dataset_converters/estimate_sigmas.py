"""Estimate per-keypoint OKS sigmas from repeated annotations.

``python tools/dataset_converters/estimate_sigmas.py ANN_JSON [--out F]``

COCO defines the sigma of keypoint i through the spread of human
annotations: ``sigma_i^2 = E[d_i^2 / s^2]``, d_i the distance between an
annotation of the keypoint and its true position, s^2 the object area.
Given several annotations of the same instance, the true position is
estimated by their mean, and

    sigma_i^2 = sum_groups sum_members |x - mean|^2 / s^2
                / sum_groups (members - 1)

(the pooled variance; ``members - 1`` corrects for using the mean). The
OKS uses ``k_i = 2 sigma_i``; the printed values are sigma_i, the numbers
metainfo files list under ``sigmas``.

Repeated annotations of one instance are found, in this order:

1. an explicit ``repeat_group`` field: annotations of the same image with
   the same value are one instance;
2. otherwise boxes of the same image with IoU > ``--iou-thr`` (0.9), and,
   when annotations carry ``annotator`` / ``annotator_id``, from different
   annotators.

Keypoints with no repeated labels get a proposed default instead: the COCO
sigma of a body part named in the keypoint name (``left_knee`` -> 0.087),
else 0.05; the output says which values are estimated and which proposed.
"""
import argparse
import json
import os.path as osp
import sys
from collections import defaultdict
from typing import Dict, List, Optional, Sequence

import numpy as np

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(
    __file__)))))

from rtmpose.datasets.custom_metainfo import default_sigma  # noqa: E402

ANNOTATOR_KEYS = ('annotator', 'annotator_id')


def box_iou(a: Sequence[float], b: Sequence[float]) -> float:
    """IoU of two xywh boxes."""
    ix = max(0., min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0., min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.


def _annotator(ann: dict):
    for key in ANNOTATOR_KEYS:
        if key in ann:
            return ann[key]
    return None


def find_repeat_groups(anns: List[dict], iou_thr: float = 0.9
                       ) -> List[List[dict]]:
    """Groups (>= 2 annotations) that annotate the same instance."""
    if any('repeat_group' in a for a in anns):
        groups = defaultdict(list)
        for ann in anns:
            if 'repeat_group' in ann:
                groups[ann['image_id'], ann['repeat_group']].append(ann)
        return [g for g in groups.values() if len(g) > 1]

    by_image = defaultdict(list)
    for ann in anns:
        by_image[ann['image_id']].append(ann)
    groups = []
    for image_anns in by_image.values():
        # union-find over overlapping pairs
        parent = list(range(len(image_anns)))

        def root(i):
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for i, a in enumerate(image_anns):
            for j in range(i + 1, len(image_anns)):
                b = image_anns[j]
                who_a, who_b = _annotator(a), _annotator(b)
                if who_a is not None and who_a == who_b:
                    continue
                if box_iou(a['bbox'], b['bbox']) > iou_thr:
                    parent[root(j)] = root(i)
        members = defaultdict(list)
        for i, ann in enumerate(image_anns):
            members[root(i)].append(ann)
        groups += [g for g in members.values() if len(g) > 1]
    return groups


def estimate_sigmas(groups: List[List[dict]], num_keypoints: int):
    """Pooled sigma per keypoint (NaN without repeated labels) and the
    number of groups that contributed to each."""
    sq_sum = np.zeros(num_keypoints)
    dof = np.zeros(num_keypoints)
    used = np.zeros(num_keypoints, int)
    for group in groups:
        kpts = np.array([g['keypoints'] for g in group],
                        np.float64).reshape(len(group), num_keypoints, 3)
        areas = [g.get('area') or g['bbox'][2] * g['bbox'][3] for g in group]
        area = float(np.mean(areas))
        if area <= 0:
            continue
        for k in range(num_keypoints):
            pts = kpts[kpts[:, k, 2] > 0, k, :2]
            if len(pts) < 2:
                continue
            sq_sum[k] += ((pts - pts.mean(0))**2).sum() / area
            dof[k] += len(pts) - 1
            used[k] += 1
    with np.errstate(invalid='ignore', divide='ignore'):
        sigmas = np.sqrt(sq_sum / dof)
    return sigmas, used


def keypoint_names(data: dict, num_keypoints: int) -> List[str]:
    for cat in data.get('categories', []):
        if cat.get('keypoints') and len(cat['keypoints']) == num_keypoints:
            return list(cat['keypoints'])
    return [f'kpt_{i}' for i in range(num_keypoints)]


def run(ann_file: str, iou_thr: float = 0.9) -> Dict[str, list]:
    """Sigmas of ``ann_file``: dict(names, sigmas, sources, groups)."""
    with open(ann_file) as f:
        data = json.load(f)
    anns = [a for a in data.get('annotations', []) if a.get('keypoints')]
    if not anns:
        raise ValueError(f'{ann_file}: no annotations with keypoints')
    num = len(anns[0]['keypoints']) // 3
    names = keypoint_names(data, num)
    groups = find_repeat_groups(anns, iou_thr)
    estimated, used = estimate_sigmas(groups, num)
    sigmas, sources = [], []
    for name, sigma, count in zip(names, estimated, used):
        if count:
            sigmas.append(round(float(sigma), 4))
            sources.append(f'estimated from {count} repeated instances')
        else:
            value, word = default_sigma(name)
            sigmas.append(value)
            sources.append(f'default: COCO {word!r} sigma' if word else
                           'default: no repeats, no known body part')
    return dict(names=names, sigmas=sigmas, sources=sources,
                groups=len(groups))


def main(argv: Optional[Sequence[str]] = None) -> None:
    parser = argparse.ArgumentParser(
        description='Estimate OKS sigmas from repeated annotations of the '
        'same instances in a COCO-format file')
    parser.add_argument('ann_file', help='COCO-format keypoint annotations')
    parser.add_argument(
        '--iou-thr',
        type=float,
        default=0.9,
        help='boxes of one image overlapping more than this are repeats '
        '(when there is no repeat_group field)')
    parser.add_argument('--out', help='also write the result as JSON here')
    args = parser.parse_args(argv)
    result = run(args.ann_file, args.iou_thr)
    if result['groups'] == 0:
        print('No repeated annotations found (no repeat_group field, no '
              f'same-image boxes with IoU > {args.iou_thr} from different '
              'annotators): every sigma below is a proposed default, not an '
              'estimate.')
    else:
        print(f'{result["groups"]} repeatedly annotated instances found.')
    for i, (name, sigma, source) in enumerate(
            zip(result['names'], result['sigmas'], result['sources'])):
        print(f'{i:3d}  {name:24s} {sigma:.4f}  ({source})')
    print(f'sigmas={result["sigmas"]}')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(result, f, indent=2)


if __name__ == '__main__':
    main()
