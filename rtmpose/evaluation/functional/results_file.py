"""The COCO results file that pycocotools / xtcocotools evaluate: written
once for keypoints and boxes alike."""
import json
import os
import os.path as osp
import tempfile
from contextlib import contextmanager
from typing import Iterator, List, Optional


@contextmanager
def coco_results_file(results: List[dict], image_ids, suffix: str,
                      outfile_prefix: Optional[str], who: str,
                      gt_name: str) -> Iterator[str]:
    """Write ``results`` (COCO result dicts) to ``{outfile_prefix}.{suffix}
    .json``, or to a temporary folder removed on exit when the prefix is
    ``None``, and yield the file's path.

    Raises ``ValueError`` naming ``who`` when a result's ``image_id`` is not
    in ``image_ids`` (the ground truth ``gt_name``): COCOeval would drop it
    silently.
    """
    unknown = {r['image_id'] for r in results} - set(image_ids)
    if unknown:
        raise ValueError(
            f'{who}: results for image ids {sorted(unknown)[:5]} absent from '
            f'the ground truth ({gt_name})')
    with tempfile.TemporaryDirectory() as tmp_dir:
        prefix = outfile_prefix or osp.join(tmp_dir, 'results')
        path = f'{prefix}.{suffix}.json'
        if osp.dirname(path):
            os.makedirs(osp.dirname(path), exist_ok=True)
        with open(path, 'w') as f:
            json.dump(results, f)
        yield path
