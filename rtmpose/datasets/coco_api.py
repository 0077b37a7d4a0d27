"""Quiet, checked construction of xtcocotools ``COCO`` objects."""
import contextlib
import io
import json
import os.path as osp

from xtcocotools.coco import COCO

_REQUIRED_KEYS = ('images', 'annotations', 'categories')


def coco_from_dict(data: dict, source: str) -> COCO:
    """Index a COCO-format dict; ``source`` names it in errors."""
    if not isinstance(data, dict):
        raise ValueError(f'{source}: expected a COCO-format JSON object, got '
                         f'{type(data).__name__}')
    for key in _REQUIRED_KEYS:
        if not isinstance(data.get(key), list):
            raise ValueError(f'{source}: COCO-format annotations need a list '
                             f'under {key!r} (keys found: {sorted(data)})')
    # xtcocotools prints progress lines; keep logs clean.
    with contextlib.redirect_stdout(io.StringIO()):
        return COCO(annotation_file=source, ann_data=data)


def load_json(path: str, what: str = 'annotation file'):
    """Read a JSON file, with errors that name the file."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'{what} not found: {path}')
    try:
        with open(path, 'r') as f:
            return json.load(f)
    except json.JSONDecodeError as err:
        raise ValueError(f'{what} {path} is not valid JSON: {err}') from err


def load_coco(ann_file: str) -> COCO:
    """Load a COCO-format keypoint annotation file."""
    return coco_from_dict(load_json(ann_file), ann_file)
