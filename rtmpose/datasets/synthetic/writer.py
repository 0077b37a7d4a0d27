"""A small COCO-format person-keypoint dataset of drawn people (demo data).

Every image shows a few articulated figures painted with OpenCV over a
cluttered background. The figures carry the 17 COCO keypoints at clearly
drawn joints, so a top-down pose model can learn them in minutes on a CPU.

Files written under ``root``::

    annotations/person_keypoints_train.json  COCO keypoints, train split
    annotations/person_keypoints_val.json    COCO keypoints, val split
    images/train/000001.jpg ...              train images (``file_name``)
    images/val/000001.jpg ...                val images
    .synthetic_complete.json                 completion marker, written last

Use ``data_prefix=dict(img='images/train/')`` with
``ann_file='annotations/person_keypoints_train.json'`` (same for ``val``).

How the people look and are labelled:

* Left and right differ by design: the person's LEFT arm, leg and ear are
  painted in a blue/cyan colour family, the RIGHT ones in a red/orange
  family. Most people face the camera (their left on the image right) and
  show eyes, nose and mouth; a few are seen from the back (dark hair instead
  of a face, their left on the image left) with nose and eyes unlabelled
  (v=0), like COCO. A horizontal-flip augmentation swaps the labels but not
  the colours, so under flipping only the facing (face vs. back of the head)
  tells left from right.
* Joints are marked with light dots so each keypoint location is unambiguous.
* Visibility: v=2 visible; v=1 labelled but covered by a person drawn later
  (people are drawn from small/far to large/near); v=0 outside the image
  (truncated, stored as 0, 0) or a face point of a back-facing person.
* ``bbox`` (x, y, w, h): box around the labelled keypoints, each grown by the
  body part it sits on (half a limb width, the hand, the foot, the whole head
  for face points), clipped to the pixel centres [0, W-1] x [0, H-1].
* ``area``: pixels of the person's painted silhouette inside the image,
  before occlusion by later people (COCO uses the visible segmentation area;
  the unoccluded one keeps the OKS scale independent of who stands in front).
  It is about 0.35 of the box area (median), as the figures are slim.

Same seed and arguments give byte-identical JSON files (and images, with the
same OpenCV build). The val split does not depend on ``num_train_images``.
"""
import json
import shutil
from dataclasses import asdict
from pathlib import Path

import cv2
import numpy as np

from rtmpose.fileio import atomic_write
from .figure import COCO_KEYPOINT_NAMES, COCO_SKELETON
from .scene import _Params, _draw_scene

ANN_FILES = {
    'train': 'annotations/person_keypoints_train.json',
    'val': 'annotations/person_keypoints_val.json'
}
IMG_DIRS = {'train': 'images/train', 'val': 'images/val'}
MARKER = '.synthetic_complete.json'
_FORMAT_VERSION = 1


def _write_split(root, split, num_images, seed, params):
    img_dir = root / IMG_DIRS[split]
    img_dir.mkdir(parents=True, exist_ok=True)
    w, h = params.image_size
    split_code = {'train': 0, 'val': 1}[split]
    images, annotations = [], []
    for i in range(num_images):
        # One generator per image: it depends only on (seed, split, index).
        rng = np.random.default_rng([seed, split_code, i])
        img, anns = _draw_scene(rng, params)
        image_id = i + 1
        path = img_dir / f'{image_id:06d}.jpg'
        ok, buf = cv2.imencode(
            '.jpg', img, [cv2.IMWRITE_JPEG_QUALITY, params.jpeg_quality])
        if not ok:
            raise RuntimeError(f'cv2 failed to JPEG-encode {path}')
        path.write_bytes(buf.tobytes())
        images.append(
            dict(id=image_id, file_name=path.name, width=w, height=h))
        for ann in anns:
            annotations.append(
                dict(id=len(annotations) + 1, image_id=image_id,
                     category_id=1, iscrowd=0, **ann))
    category = dict(id=1, name='person', supercategory='person',
                    keypoints=list(COCO_KEYPOINT_NAMES),
                    skeleton=[list(link) for link in COCO_SKELETON])
    coco = dict(
        info=dict(description=f'rtmpose synthetic people, {split} split',
                  version=str(_FORMAT_VERSION)),
        images=images, annotations=annotations, categories=[category])
    ann_path = root / ANN_FILES[split]
    ann_path.parent.mkdir(parents=True, exist_ok=True)
    ann_path.write_text(json.dumps(coco, separators=(',', ':')))


def _read_marker(root):
    try:
        return json.loads((Path(root) / MARKER).read_text())
    except (OSError, ValueError):
        return None


def is_generated(root):
    """True when ``root`` holds a completely written synthetic dataset: the
    marker (written last) is there and so are both annotation files."""
    root = Path(root)
    marker = _read_marker(root)
    return (isinstance(marker, dict)
            and marker.get('version') == _FORMAT_VERSION
            and all((root / f).is_file() for f in ANN_FILES.values()))


def generate_synthetic_coco(root,
                            num_train_images=1200,
                            num_val_images=300,
                            seed=0,
                            image_size=(320, 240),
                            people_per_image=(1, 4),
                            person_height=(80, 190),
                            truncation_prob=0.1,
                            occlusion_prob=0.3,
                            max_occluded_fraction=0.5,
                            back_facing_prob=0.1,
                            clutter_shapes=4.0,
                            limb_coloured_clutter_prob=0.2,
                            noise_std=5.0,
                            jpeg_quality=90,
                            overwrite=False):
    """Write the synthetic dataset under ``root`` (layout: module docstring)
    unless a complete one made with the same arguments is already there.

    Args:
        root: dataset directory (created; reserve it for this dataset).
        num_train_images, num_val_images: images per split.
        seed: generator seed; same seed and arguments -> byte-identical JSON.
        image_size: (w, h) pixels.
        people_per_image: (min, max) people tried per image, uniform; one
            that cannot be placed within the occlusion limits is dropped.
        person_height: (min, max) standing height (head top to ankles),
            pixels, log-uniform; raised arms make boxes taller than this.
        truncation_prob: chance a person sticks 15-50% over an image border.
        occlusion_prob: chance a person may stand in front of earlier
            (smaller) people and cover some of their keypoints; otherwise it
            is placed where it covers none.
        max_occluded_fraction: most of a person's in-image keypoints that
            people in front may cover.
        back_facing_prob: chance a person is seen from the back (nose and
            eyes v=0).
        clutter_shapes: mean number (Poisson) of background shapes.
        limb_coloured_clutter_prob: chance a clutter shape has a limb colour.
        noise_std: Gaussian pixel noise (grey levels) over the whole image.
        jpeg_quality: JPEG quality 0-100.
        overwrite: regenerate even if a matching dataset exists.

    Returns:
        dict of absolute paths (str): 'root', 'train_ann_file',
        'val_ann_file', 'train_img_dir', 'val_img_dir'.
    """
    root = Path(root).absolute()
    params = _Params(
        image_size=tuple(int(v) for v in image_size),
        people_per_image=tuple(int(v) for v in people_per_image),
        person_height=tuple(float(v) for v in person_height),
        truncation_prob=float(truncation_prob),
        occlusion_prob=float(occlusion_prob),
        max_occluded_fraction=float(max_occluded_fraction),
        back_facing_prob=float(back_facing_prob),
        clutter_shapes=float(clutter_shapes),
        limb_coloured_clutter_prob=float(limb_coloured_clutter_prob),
        noise_std=float(noise_std),
        jpeg_quality=int(jpeg_quality))
    if not 1 <= params.people_per_image[0] <= params.people_per_image[1]:
        raise ValueError('people_per_image must be (min, max) with '
                         f'1 <= min <= max, got {people_per_image}')
    if not 0 < params.person_height[0] <= params.person_height[1]:
        raise ValueError('person_height must be (min, max) with '
                         f'0 < min <= max, got {person_height}')
    marker = dict(version=_FORMAT_VERSION, seed=int(seed),
                  num_train_images=int(num_train_images),
                  num_val_images=int(num_val_images),
                  params=json.loads(json.dumps(asdict(params))))
    paths = dict(root=str(root),
                 train_ann_file=str(root / ANN_FILES['train']),
                 val_ann_file=str(root / ANN_FILES['val']),
                 train_img_dir=str(root / IMG_DIRS['train']),
                 val_img_dir=str(root / IMG_DIRS['val']))
    if not overwrite and is_generated(root) and _read_marker(root) == marker:
        return paths

    # Marker out first, in last: an interrupted run never counts as done.
    (root / MARKER).unlink(missing_ok=True)
    for split in ('train', 'val'):
        shutil.rmtree(root / IMG_DIRS[split], ignore_errors=True)
        (root / ANN_FILES[split]).unlink(missing_ok=True)
    _write_split(root, 'train', int(num_train_images), int(seed), params)
    _write_split(root, 'val', int(num_val_images), int(seed), params)
    atomic_write(root / MARKER, json.dumps(marker, sort_keys=True))
    return paths
