"""Save augmented training (or validation) samples with their keypoints and
codec targets drawn, to check a pipeline by eye.

Usage::

    python tools/analysis/browse_dataset.py CONFIG --out DIR \
        [--phase train|val] [--n 20] [--seed 0] [--scale 3]

Each output image shows the model input (after all transforms) with the
keypoints (transformed to input pixels, invisible ones hidden) on the left,
and the codec targets on the right: SimCC label vectors as curves along the
bottom (x) and left (y) edges, or heatmaps (max over keypoints) as a colour
overlay. ``--scale S`` enlarges the input S times (nearest neighbour, so
pixels stay visible) before drawing, for small inputs such as 96x128.
Files: ``DIR/{index:04d}_img{img_id}.jpg``.
"""
import argparse
import os
import os.path as osp
import sys

sys.path.insert(0,
                osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402
from mmengine.runner import set_random_seed  # noqa: E402

from rtmpose.config_loading import load_config  # noqa: E402
from rtmpose.registry import DATASETS  # noqa: E402
from rtmpose.visualization import (
    draw_heatmaps,
    draw_poses,  # noqa: E402
    draw_simcc_targets)


def render_sample(sample: dict, meta: dict, scale: float = 1.0) -> np.ndarray:
    """Packed sample (``inputs`` (3, h, w) uint8 BGR tensor,
    ``data_samples``) -> (s*h, 2*s*w, 3) uint8 BGR: keypoints | targets,
    with s = ``scale``."""
    img = np.ascontiguousarray(sample['inputs'].permute(1, 2, 0).numpy())
    if scale != 1:
        img = cv2.resize(img, None, fx=scale, fy=scale,
                         interpolation=cv2.INTER_NEAREST
                         if scale > 1 else cv2.INTER_AREA)
    data = sample['data_samples']
    gt = data.gt_instances
    # pixel centres: input pixel x covers [x - 0.5, x + 0.5]
    kpts = (np.asarray(gt.keypoints, np.float32) + 0.5) * scale - 0.5
    vis = np.asarray(gt.keypoints_visible, np.float32)
    left = draw_poses(img, kpts, vis, meta, kpt_thr=0.5, radius=2, thickness=1)
    right = img.copy()
    labels = data.get('gt_instance_labels')
    fields = data.get('gt_fields')
    if labels is not None and 'keypoint_x_labels' in labels:
        x_labels = np.asarray(labels.keypoint_x_labels)[0]
        y_labels = np.asarray(labels.keypoint_y_labels)[0]
        weights = np.asarray(labels.keypoint_weights)[0] \
            if 'keypoint_weights' in labels else None
        right = draw_simcc_targets(img, x_labels, y_labels,
                                   x_labels.shape[-1] / img.shape[1],
                                   meta['keypoint_colors'], weights)
    elif fields is not None and 'heatmaps' in fields:
        right = draw_heatmaps(img, np.asarray(fields.heatmaps))
    return np.concatenate([left, right], 1)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config')
    parser.add_argument('--out', required=True, help='output folder')
    parser.add_argument('--phase', choices=('train', 'val'), default='train')
    parser.add_argument('--n', type=int, default=20, help='samples to save')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--scale', type=float, default=1.0,
                        help='enlarge the drawn samples this many times')
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error(f'--scale must be > 0, got {args.scale}')

    cfg = load_config(args.config)
    init_default_scope(cfg.get('default_scope', 'rtmpose'))
    set_random_seed(args.seed)
    loader = cfg.train_dataloader if args.phase == 'train' \
        else cfg.val_dataloader
    dataset = DATASETS.build(loader.dataset)
    meta = dataset.metainfo
    os.makedirs(args.out, exist_ok=True)
    written = []
    for i in range(min(args.n, len(dataset))):
        sample = dataset[i]
        img_id = sample['data_samples'].metainfo.get('img_id', i)
        path = osp.join(args.out, f'{i:04d}_img{img_id}.jpg')
        cv2.imwrite(path, render_sample(sample, meta, args.scale))
        written.append(path)
    print(f'wrote {len(written)} samples ({args.phase}) to {args.out}')
    return written


if __name__ == '__main__':
    main()
