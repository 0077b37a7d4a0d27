"""A short synthetic video of drawn people panning across the frame, with
per-frame ground truth (for video-pipeline tests, demos and benchmarks).

One image of :func:`generate_synthetic_coco` is translated frame by frame
along a path that goes back and forth in x at constant speed (a triangle
wave, turning abruptly) and drifts up and down in y (a sinusoid of half the
frequency), so the people keep moving fast enough for stale boxes to lose
them.
"""
import json
import os.path as osp
from pathlib import Path
from typing import Tuple

import cv2
import numpy as np

from rtmpose.structures import bbox_xywh2xyxy
from .writer import generate_synthetic_coco


def make_synthetic_video(root: str,
                         num_frames: int = 40,
                         fps: float = 20.0,
                         amplitude: Tuple[float, float] = (160.0, 15.0),
                         period: float = 40.0,
                         num_people: int = 2,
                         image_size: Tuple[int, int] = (640, 240),
                         seed: int = 0) -> dict:
    """Write ``root/video.avi`` (MJPG) and ``root/detections.json``.

    Args:
        root: output folder (the source image data goes to root/data).
        num_frames, fps: clip length and frame rate.
        amplitude: (ax, ay) pixels of the pan; period: frames per x cycle
            (x speed 4 * ax / period px per frame: 16 by default).
        num_people: people in the scene.
        image_size: (w, h) pixels.
        seed: seed of the synthetic image.

    Returns:
        dict with ``video`` (path), ``det_json`` (path: COCO results list of
        the ground-truth boxes, image_id = frame index, score 1), ``fps``,
        ``frames`` (T, h, w, 3) uint8 BGR as written, ``keypoints``
        (T, N, K, 2) pixels, ``visible`` (T, N, K) bool (labelled and inside
        the frame) and ``bboxes`` (T, N, 4) xyxy.
    """
    root = Path(root)
    paths = generate_synthetic_coco(root / 'data',
                                    num_train_images=1,
                                    num_val_images=1,
                                    seed=seed,
                                    image_size=image_size,
                                    people_per_image=(num_people, num_people),
                                    person_height=(90, 130),
                                    truncation_prob=0.0,
                                    occlusion_prob=0.0,
                                    clutter_shapes=2.0)
    with open(paths['val_ann_file']) as f:
        coco = json.load(f)
    image = cv2.imread(
        osp.join(paths['val_img_dir'], coco['images'][0]['file_name']))
    anns = [a for a in coco['annotations'] if a['num_keypoints'] > 0]
    kpts0 = np.array([a['keypoints'] for a in anns],
                     np.float32).reshape(len(anns), -1, 3)
    boxes0 = bbox_xywh2xyxy(
        np.array([a['bbox'] for a in anns], np.float32).reshape(-1, 4))

    w, h = image_size
    t = np.arange(num_frames)
    phase = (t / period + 0.25) % 1.0  # start at the centre, moving right
    triangle = 1 - 4 * np.abs(phase - 0.5)  # in [-1, 1]
    shifts = np.stack(
        [amplitude[0] * triangle, amplitude[1] * np.sin(np.pi * t / period)],
        -1).astype(np.float32)
    video = str(root / 'video.avi')
    writer = cv2.VideoWriter(video, cv2.VideoWriter_fourcc(*'MJPG'), fps,
                             (w, h))
    frames, keypoints, visible, bboxes, dets = [], [], [], [], []
    for i, (dx, dy) in enumerate(shifts):
        mat = np.array([[1, 0, dx], [0, 1, dy]], np.float32)
        frame = cv2.warpAffine(image,
                               mat, (w, h),
                               borderMode=cv2.BORDER_REPLICATE)
        writer.write(frame)
        frames.append(frame)
        kpts = kpts0[..., :2] + (dx, dy)
        keypoints.append(kpts)
        visible.append((kpts0[..., 2] > 0) & (kpts[..., 0] >= 0)
                       & (kpts[..., 0] <= w - 1) & (kpts[..., 1] >= 0)
                       & (kpts[..., 1] <= h - 1))
        box = boxes0 + (dx, dy, dx, dy)
        bboxes.append(box)
        dets += [
            dict(image_id=i,
                 category_id=1,
                 score=1.0,
                 bbox=[
                     float(b[0]),
                     float(b[1]),
                     float(b[2] - b[0]),
                     float(b[3] - b[1])
                 ]) for b in box
        ]
    writer.release()
    det_json = str(root / 'detections.json')
    with open(det_json, 'w') as f:
        json.dump(dets, f)
    return dict(video=video,
                det_json=det_json,
                fps=fps,
                frames=np.stack(frames),
                keypoints=np.stack(keypoints),
                visible=np.stack(visible),
                bboxes=np.stack(bboxes))
