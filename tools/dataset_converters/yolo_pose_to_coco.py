"""Convert YOLO-pose labels to a COCO-format keypoint file.

``python tools/dataset_converters/yolo_pose_to_coco.py IMAGES LABELS OUT.json
--kpt-shape K D [--names a,b,...] [--classes person,...] [--skeleton 0-1,...]``

YOLO-pose layout: one ``LABELS/<image stem>.txt`` per image in ``IMAGES``,
one line per object::

    class cx cy w h  x1 y1 [v1]  x2 y2 [v2] ...

all coordinates normalised by the image width / height; ``D`` = 3 with a
visibility per keypoint (0 unlabelled, 1 labelled but occluded, 2 visible,
as in COCO), ``D`` = 2 without (a keypoint at (0, 0) is unlabelled).

A value that is not a finite number, a class that is not an index >= 0 or
a visibility outside 0, 1, 2 is an error naming file, line and column
(1-based value position).

Output: COCO images (ids 1..N in file-name order, sizes read from the
images), one category per class (id = class + 1) listing the keypoint
names and the (1-based) skeleton, and per object an annotation with
``bbox`` (x, y, w, h pixels), ``area`` (box area), ``keypoints`` (x, y, v
pixels; x = cx * width, the inverse of the usual COCO -> YOLO
normalisation) and ``num_keypoints``. Images without a label file are kept
without annotations.
"""
import argparse
import json
import math
import os
import os.path as osp
import sys
from typing import List, Optional, Sequence

import cv2

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(
    __file__)))))

from rtmpose.fileio import atomic_write  # noqa: E402

IMAGE_EXTS = ('.jpg', '.jpeg', '.png', '.bmp', '.webp')


def _pairs(text: Optional[str], num: int, what: str) -> List[List[int]]:
    pairs = []
    for item in (text or '').split(','):
        if not item:
            continue
        a, b = (int(v) for v in item.split('-'))
        if not (0 <= a < num and 0 <= b < num):
            raise ValueError(f'--{what} {item}: indices must be in 0..'
                             f'{num - 1}')
        pairs.append([a + 1, b + 1])
    return pairs


def _value(token: str, where: str) -> float:
    try:
        value = float(token)
    except ValueError:
        raise ValueError(f'{where}: {token!r} is not a number') from None
    if not math.isfinite(value):
        raise ValueError(f'{where}: {token!r} is not a finite number')
    return value


def parse_label_line(line: str, num_kpts: int, dim: int, width: int,
                     height: int, where: str) -> dict:
    """One YOLO-pose line -> class index, xywh box and flat keypoints
    (pixels)."""
    tokens = line.split()
    expected = 5 + num_kpts * dim
    if len(tokens) != expected:
        raise ValueError(
            f'{where}: {len(tokens)} values, expected {expected} (class, 4 '
            f'box values, {num_kpts} keypoints x {dim}); check --kpt-shape')
    values = [_value(t, f'{where}, column {i}')
              for i, t in enumerate(tokens, start=1)]
    cls, cx, cy, w, h = values[:5]
    if cls < 0 or cls != int(cls):
        raise ValueError(f'{where}, column 1: class {tokens[0]!r} is not an '
                         'index >= 0')
    kpts = []
    for k in range(num_kpts):
        x, y = values[5 + k * dim:7 + k * dim]
        if dim == 3:
            v = values[7 + k * dim]
            if v not in (0, 1, 2):
                raise ValueError(
                    f'{where}, column {8 + k * dim}: visibility '
                    f'{tokens[7 + k * dim]!r} of keypoint {k} is not 0, 1 '
                    'or 2')
            v = int(v)
        else:
            v = 0 if x == 0 and y == 0 else 2
        kpts += [x * width, y * height, v] if v > 0 else [0., 0., 0]
    box = [(cx - w / 2) * width, (cy - h / 2) * height, w * width,
           h * height]
    return dict(cls=int(cls), bbox=box, keypoints=kpts)


def convert(images_dir: str, labels_dir: str, num_kpts: int, dim: int,
            names: Optional[List[str]] = None,
            classes: Optional[List[str]] = None,
            skeleton: Optional[List[List[int]]] = None) -> dict:
    """The COCO dict of a YOLO-pose dataset."""
    if dim not in (2, 3):
        raise ValueError(f'--kpt-shape: D must be 2 or 3, got {dim}')
    names = names or [f'kpt_{i}' for i in range(num_kpts)]
    if len(names) != num_kpts:
        raise ValueError(f'--names lists {len(names)} names for {num_kpts} '
                         'keypoints')
    files = sorted(f for f in os.listdir(images_dir)
                   if osp.splitext(f)[1].lower() in IMAGE_EXTS)
    images, anns, used_classes = [], [], set()
    for img_id, name in enumerate(files, start=1):
        img = cv2.imread(osp.join(images_dir, name))
        if img is None:
            raise ValueError(f'cannot read image {osp.join(images_dir, name)}')
        height, width = img.shape[:2]
        images.append(dict(id=img_id, file_name=name, width=width,
                           height=height))
        label = osp.join(labels_dir, osp.splitext(name)[0] + '.txt')
        if not osp.isfile(label):
            continue
        with open(label) as f:
            lines = [ln for ln in f.read().splitlines() if ln.strip()]
        for n, line in enumerate(lines, start=1):
            obj = parse_label_line(line, num_kpts, dim, width, height,
                                   f'{label} line {n}')
            used_classes.add(obj['cls'])
            anns.append(dict(
                id=len(anns) + 1, image_id=img_id,
                category_id=obj['cls'] + 1, bbox=obj['bbox'],
                area=obj['bbox'][2] * obj['bbox'][3], iscrowd=0,
                num_keypoints=sum(v > 0 for v in obj['keypoints'][2::3]),
                keypoints=obj['keypoints']))
    num_classes = max(len(classes or []), max(used_classes, default=0) + 1)
    categories = [
        dict(id=c + 1,
             name=classes[c] if classes and c < len(classes) else f'class{c}',
             supercategory='object', keypoints=names,
             skeleton=skeleton or []) for c in range(num_classes)
    ]
    return dict(images=images, annotations=anns, categories=categories)


def main(argv: Optional[Sequence[str]] = None) -> None:
    parser = argparse.ArgumentParser(
        description='YOLO-pose labels -> COCO-format keypoint JSON')
    parser.add_argument('images', help='image folder')
    parser.add_argument('labels', help='folder of <image stem>.txt labels')
    parser.add_argument('out', help='output COCO JSON')
    parser.add_argument('--kpt-shape', nargs=2, type=int, required=True,
                        metavar=('K', 'D'),
                        help='keypoints per object and values per keypoint '
                        '(2: x y, 3: x y visibility), as kpt_shape of the '
                        'YOLO dataset yaml')
    parser.add_argument('--names', help='comma-separated keypoint names')
    parser.add_argument('--classes', help='comma-separated class names')
    parser.add_argument('--skeleton',
                        help='0-based links, e.g. 0-1,1-2 (for display)')
    args = parser.parse_args(argv)
    num_kpts, dim = args.kpt_shape
    data = convert(args.images, args.labels, num_kpts, dim,
                   args.names.split(',') if args.names else None,
                   args.classes.split(',') if args.classes else None,
                   _pairs(args.skeleton, num_kpts, 'skeleton'))
    atomic_write(args.out, json.dumps(data, allow_nan=False))
    print(f'{args.out}: {len(data["images"])} images, '
          f'{len(data["annotations"])} objects, {num_kpts} keypoints')


if __name__ == '__main__':
    main()
