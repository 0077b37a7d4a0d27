"""The COCO results of CocoMetric and CocoDetMetric: checked against the
ground truth's images and written as the file pycocotools / xtcocotools
read, in one place for keypoints and boxes alike."""
import json
import os
import os.path as osp
from typing import List, Optional


def write_coco_results(results: List[dict], image_ids, suffix: str,
                       outfile_prefix: Optional[str], who: str,
                       gt_name: str) -> Optional[str]:
    """Write ``results`` (COCO result dicts) to ``{outfile_prefix}.{suffix}
    .json`` and return the path; with no prefix nothing is written (the
    metrics evaluate the list in memory) and ``None`` is returned.

    Raises ``ValueError`` naming ``who`` when a result's ``image_id`` is not
    in ``image_ids`` (the ground truth ``gt_name``): COCOeval would drop it
    silently.
    """
    unknown = {r['image_id'] for r in results} - set(image_ids)
    if unknown:
        raise ValueError(
            f'{who}: results for image ids {sorted(unknown)[:5]} absent from '
            f'the ground truth ({gt_name})')
    if outfile_prefix is None:
        return None
    path = f'{outfile_prefix}.{suffix}.json'
    if osp.dirname(path):
        os.makedirs(osp.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        json.dump(results, f)
    return path
