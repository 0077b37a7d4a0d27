"""Draw poses, boxes and track ids on BGR images (OpenCV and numpy only)."""
from typing import Mapping, Optional

import cv2
import numpy as np


def _bgr(rgb) -> tuple:
    """An RGB colour (3,) of the dataset metainfo -> a cv2 BGR tuple."""
    r, g, b = (int(c) for c in rgb)
    return (b, g, r)


def track_color(track_id: int) -> tuple:
    """A distinct, stable BGR colour per track id (golden-ratio hues)."""
    hue = int((track_id * 0.618034 % 1.0) * 180)
    hsv = np.array([[[hue, 200, 255]]], np.uint8)
    return tuple(int(c) for c in cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)[0, 0])


def draw_poses(img: np.ndarray,
               keypoints: np.ndarray,
               scores: np.ndarray,
               dataset_meta: Mapping,
               kpt_thr: float = 0.3,
               bboxes: Optional[np.ndarray] = None,
               track_ids: Optional[np.ndarray] = None,
               radius: Optional[int] = None,
               thickness: Optional[int] = None) -> np.ndarray:
    """Skeletons of N people on a copy of ``img``.

    Args:
        img: (H, W, 3) uint8 BGR image.
        keypoints: (N, K, 2) image pixels.
        scores: (N, K); keypoints scored <= ``kpt_thr`` and links touching
            them are not drawn.
        dataset_meta: ``keypoint_colors`` (K, 3), ``skeleton_links`` [(i, j)]
            and ``skeleton_link_colors`` (L, 3), RGB as in the dataset
            metainfo (``parse_pose_metainfo`` or an exported model's).
        bboxes: (N, 4) xyxy boxes to draw, optional.
        track_ids: (N,) ids written at the boxes (or the first keypoint),
            optional.
        radius, thickness: keypoint dot radius and line width in pixels;
            default scales with the image size.

    Returns:
        the annotated (H, W, 3) uint8 BGR image.
    """
    out = img.copy()
    h, w = out.shape[:2]
    if radius is None:
        radius = max(2, int(round(min(h, w) / 160)))
    if thickness is None:
        thickness = max(1, int(round(min(h, w) / 320)))
    kpt_colors = np.asarray(dataset_meta['keypoint_colors']).reshape(-1, 3)
    links = [tuple(link) for link in dataset_meta['skeleton_links']]
    link_colors = np.asarray(dataset_meta['skeleton_link_colors']).reshape(
        -1, 3)
    keypoints = np.asarray(keypoints, np.float32)
    scores = np.asarray(scores, np.float32)
    # cv2 draws on a 1/16-pixel grid: keeps sub-pixel keypoints in place
    shift, unit = 4, 16.0

    def pt(xy):
        return (int(round(xy[0] * unit)), int(round(xy[1] * unit)))

    for n in range(len(keypoints)):
        visible = scores[n] > kpt_thr
        for (i, j), color in zip(links, link_colors):
            if visible[i] and visible[j]:
                cv2.line(out, pt(keypoints[n, i]), pt(keypoints[n, j]),
                         _bgr(color), thickness, cv2.LINE_AA, shift)
        for k in np.flatnonzero(visible):
            cv2.circle(out, pt(keypoints[n, k]), int(radius * unit),
                       _bgr(kpt_colors[k % len(kpt_colors)]), -1, cv2.LINE_AA,
                       shift)
    font_scale = max(0.4, min(h, w) / 800)
    for n in range(len(scores)):
        color = (track_color(int(track_ids[n])) if track_ids is not None else
                 (0, 255, 0))
        anchor = None
        if bboxes is not None:
            x1, y1, x2, y2 = (int(round(v)) for v in bboxes[n])
            cv2.rectangle(out, (x1, y1), (x2, y2), color, thickness)
            anchor = (x1, max(y1 - 4, 12))
        elif len(keypoints[n]):
            anchor = tuple(int(v) for v in keypoints[n].min(0))
        if track_ids is not None and anchor is not None:
            cv2.putText(out, f'id {int(track_ids[n])}', anchor,
                        cv2.FONT_HERSHEY_SIMPLEX, font_scale, color,
                        max(1, thickness), cv2.LINE_AA)
    return out
