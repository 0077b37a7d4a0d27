"""Convert a plain CSV of keypoints to a COCO-format keypoint file.

``python tools/dataset_converters/csv_to_coco.py ANN.csv IMAGES OUT.json
[--names a,b,...] [--padding 0.1] [--category person]``

CSV layout: one row per person, ``image,x1,y1,x2,y2,...,xK,yK`` in image
pixels; ``image`` is a path relative to ``IMAGES``; an empty cell, a
negative coordinate or ``nan`` marks an unlabelled keypoint. Any other cell
that is not a finite number is an error naming file, line and column. An
optional
header row (first row whose second cell is not a number) gives the
keypoint names: columns ``<name>_x,<name>_y`` (or ``<name>x,<name>y``).

Output: COCO images (ids in order of first appearance, sizes read from the
images), one category with the keypoint names, and per row an annotation
whose ``bbox`` is the box of its labelled keypoints enlarged by
``--padding`` of its size on every side and clipped to the image, with
``area`` the box area and labelled keypoints at visibility 2.
"""
import argparse
import csv
import json
import math
import os.path as osp
import sys
from typing import List, Optional, Sequence

import cv2

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(
    __file__)))))

from rtmpose.fileio import atomic_write  # noqa: E402


def _is_number(text: str) -> bool:
    """Whether a cell holds a number (``nan`` included: an unlabelled
    keypoint of a data row, not a header)."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def _coordinate(text: str, where: str) -> Optional[float]:
    """A coordinate cell -> pixels, or None for an unlabelled keypoint."""
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f'{where}: {text!r} is not a number (an empty cell, '
                         'nan or a negative value marks an unlabelled '
                         'keypoint)') from None
    if math.isinf(value):
        raise ValueError(f'{where}: {text!r} is not a finite coordinate')
    return None if math.isnan(value) else value


def _names_from_header(header: List[str], num: int) -> List[str]:
    names = []
    for k in range(num):
        col = header[1 + 2 * k].strip()
        for suffix in ('_x', 'x', '_X', 'X'):
            if col.endswith(suffix) and len(col) > len(suffix):
                col = col[:-len(suffix)]
                break
        names.append(col)
    return names


def convert(csv_file: str, images_dir: str, names: Optional[List[str]] = None,
            padding: float = 0.1, category: str = 'person') -> dict:
    """The COCO dict of a keypoint CSV (layout in the module docstring)."""
    with open(csv_file, newline='') as f:
        reader = csv.reader(f)
        # (line number, row): blank lines are skipped but still counted
        rows = [(reader.line_num, r) for r in reader
                if r and any(c.strip() for c in r)]
    if not rows:
        raise ValueError(f'{csv_file} is empty')
    header = None
    first = rows[0][1]
    if len(first) > 1 and first[1].strip() and not _is_number(first[1]):
        header, rows = first, rows[1:]
    if not rows:
        raise ValueError(f'{csv_file} has a header but no rows')
    width = len(header or rows[0][1])
    if width < 3 or (width - 1) % 2:
        raise ValueError(f'{csv_file}: rows need image,x1,y1,...,xK,yK; the '
                         f'first has {width} columns')
    num = (width - 1) // 2
    if names is None:
        names = _names_from_header(header, num) if header else [
            f'kpt_{i}' for i in range(num)
        ]
    if len(names) != num:
        raise ValueError(f'{len(names)} names for {num} keypoints')

    images, sizes, anns = {}, {}, []
    for line, row in rows:
        if len(row) != width:
            raise ValueError(f'{csv_file} line {line}: {len(row)} columns, '
                             f'expected {width}')
        name = row[0].strip()
        if name not in images:
            img = cv2.imread(osp.join(images_dir, name))
            if img is None:
                raise ValueError(f'{csv_file} line {line}: cannot read image '
                                 f'{osp.join(images_dir, name)}')
            sizes[name] = img.shape[:2]
            images[name] = dict(id=len(images) + 1, file_name=name,
                                width=img.shape[1], height=img.shape[0])
        height, width_px = sizes[name]
        kpts, xs, ys = [], [], []
        for k in range(num):
            x, y = (_coordinate(row[col], f'{csv_file} line {line}, column '
                                f'{col + 1}' + (f' ({header[col].strip()})'
                                                if header else ''))
                    for col in (1 + 2 * k, 2 + 2 * k))
            if x is None or y is None or x < 0 or y < 0:
                kpts += [0., 0., 0]
                continue
            kpts += [x, y, 2]
            xs.append(x)
            ys.append(y)
        if not xs:
            continue  # nothing labelled: no box to crop
        pad_x = padding * (max(xs) - min(xs))
        pad_y = padding * (max(ys) - min(ys))
        x1, y1 = max(0., min(xs) - pad_x), max(0., min(ys) - pad_y)
        x2 = min(float(width_px), max(xs) + pad_x)
        y2 = min(float(height), max(ys) + pad_y)
        anns.append(dict(id=len(anns) + 1, image_id=images[name]['id'],
                         category_id=1, bbox=[x1, y1, x2 - x1, y2 - y1],
                         area=(x2 - x1) * (y2 - y1), iscrowd=0,
                         num_keypoints=len(xs), keypoints=kpts))
    return dict(images=list(images.values()), annotations=anns,
                categories=[dict(id=1, name=category, supercategory=category,
                                 keypoints=names, skeleton=[])])


def main(argv: Optional[Sequence[str]] = None) -> None:
    parser = argparse.ArgumentParser(
        description='keypoint CSV (image,x1,y1,...) -> COCO-format JSON')
    parser.add_argument('csv', help='CSV file, one row per person')
    parser.add_argument('images', help='folder the image column is '
                        'relative to')
    parser.add_argument('out', help='output COCO JSON')
    parser.add_argument('--names', help='comma-separated keypoint names '
                        '(default: from the header, else kpt_0, ...)')
    parser.add_argument('--padding', type=float, default=0.1,
                        help='box margin on every side, as a fraction of '
                        'the keypoints\' extent')
    parser.add_argument('--category', default='person',
                        help='category name')
    args = parser.parse_args(argv)
    data = convert(args.csv, args.images,
                   args.names.split(',') if args.names else None,
                   args.padding, args.category)
    atomic_write(args.out, json.dumps(data, allow_nan=False))
    print(f'{args.out}: {len(data["images"])} images, '
          f'{len(data["annotations"])} persons, '
          f'{len(data["categories"][0]["keypoints"])} keypoints')


if __name__ == '__main__':
    main()
