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
import colorsys
import json
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from statistics import NormalDist

import cv2
import numpy as np

from rtmpose.fileio import atomic_write

COCO_KEYPOINT_NAMES = ('nose', 'left_eye', 'right_eye', 'left_ear',
                       'right_ear', 'left_shoulder', 'right_shoulder',
                       'left_elbow', 'right_elbow', 'left_wrist',
                       'right_wrist', 'left_hip', 'right_hip', 'left_knee',
                       'right_knee', 'left_ankle', 'right_ankle')
# COCO person skeleton, 1-based keypoint ids as in the official annotations.
COCO_SKELETON = ((16, 14), (14, 12), (17, 15), (15, 13), (12, 13), (6, 12),
                 (7, 13), (6, 7), (6, 8), (7, 9), (8, 10), (9, 11), (2, 3),
                 (1, 2), (1, 3), (2, 4), (3, 5), (4, 6), (5, 7))

ANN_FILES = {
    'train': 'annotations/person_keypoints_train.json',
    'val': 'annotations/person_keypoints_val.json'
}
IMG_DIRS = {'train': 'images/train', 'val': 'images/val'}
MARKER = '.synthetic_complete.json'
_FORMAT_VERSION = 1

_NOSE, _L_EYE, _R_EYE, _L_EAR, _R_EAR = 0, 1, 2, 3, 4
_FACE = (_NOSE, _L_EYE, _R_EYE)  # hidden on a back-facing person
# (shoulder, elbow, wrist) and (hip, knee, ankle); side +1 = person's left.
_ARMS = {1: (5, 7, 9), -1: (6, 8, 10)}
_LEGS = {1: (11, 13, 15), -1: (12, 14, 16)}
_EARS = {1: _L_EAR, -1: _R_EAR}

# OpenCV hue ranges (0..180). Left: blue/cyan; right: red/orange (wraps).
_LEFT_HUE = (95.0, 125.0)
_RIGHT_HUE = (-10.0, 14.0)
_SHIFT = 4  # cv2 sub-pixel bits: coordinates are drawn on a 1/16 pixel grid
_SUBPIX = float(1 << _SHIFT)
# BGR colours of the joint dots and face details.
_DOT, _DOT_RIM = (235, 235, 235), (40, 40, 40)
_WHITE, _PUPIL, _LIPS = (245, 245, 245), (30, 20, 20), (40, 30, 150)
# A placement leaving fewer labelled keypoints in the image is retried.
_MIN_IN_IMAGE = 8


@dataclass(frozen=True)
class _Params:
    """Difficulty knobs; kept in the marker to tell if a dataset is current."""
    image_size: tuple
    people_per_image: tuple
    person_height: tuple
    truncation_prob: float
    occlusion_prob: float
    max_occluded_fraction: float
    back_facing_prob: float
    clutter_shapes: float
    limb_coloured_clutter_prob: float
    noise_std: float
    jpeg_quality: int


def _hsv(h, s, v):
    """One BGR colour (tuple of ints) from OpenCV-style HSV: h in [0, 180)
    (wraps), s and v in [0, 255]."""
    r, g, b = colorsys.hsv_to_rgb((h / 180.0) % 1.0,
                                  min(s, 255) / 255.0,
                                  min(v, 255) / 255.0)
    return (int(round(b * 255)), int(round(g * 255)), int(round(r * 255)))


def _side_colour(rng, side, value_scale=1.0):
    lo, hi = _LEFT_HUE if side == 1 else _RIGHT_HUE
    return _hsv(rng.uniform(lo, hi), rng.uniform(150, 255),
                rng.uniform(140, 240) * value_scale)


def _clipped_normal(rng, std, limit):
    return min(max(rng.normal(0.0, std), -limit), limit)


def _direction(angle_deg, side):
    """Unit vector ``angle_deg`` from straight down, positive towards ``side``
    (+1: image right in the canonical frame), y pointing down."""
    a = np.deg2rad(angle_deg)
    return np.array([side * np.sin(a), np.cos(a)])


def _rotate(v, deg):
    a = np.deg2rad(deg)
    c, s = np.cos(a), np.sin(a)
    return np.array([c * v[0] - s * v[1], s * v[0] + c * v[1]])


@dataclass
class _Figure:
    """One person in some 2-D frame (pixels, y down).

    points (M, 2): rows 0-16 the keypoints, row 17 the head centre, then the
    points of the drawing ops. labelled (17,) bool: False for the face points
    of a back-facing person. extents (17,): pixels a keypoint's body part
    reaches around it (face points use the head disc instead). prims: drawing
    ops (kind, start, stop, size, colour) on points[start:stop], kind 'line'
    (size = thickness px), 'poly' or 'disc' (size = radius px), in paint
    order.
    """
    points: np.ndarray
    labelled: np.ndarray
    extents: np.ndarray
    head_radius: float
    prims: list

    @property
    def keypoints(self):
        return self.points[:17]

    @property
    def head(self):
        return self.points[17]

    def transformed(self, mat):
        """Copy moved by the 2x3 rigid (or mirroring) transform ``mat``, points
        snapped to the 1/16 px drawing grid so labels equal drawn positions."""
        moved = self.points @ mat[:, :2].T + mat[:, 2]
        return _Figure(
            np.round(moved * _SUBPIX) / _SUBPIX, self.labelled, self.extents,
            self.head_radius, self.prims)

    def box(self):
        """(x0, y0, x1, y1) around the labelled keypoints and their extents."""
        lab = self.labelled
        lo = np.minimum((self.keypoints[lab] - self.extents[lab, None]).min(0),
                        self.head - self.head_radius)
        hi = np.maximum((self.keypoints[lab] + self.extents[lab, None]).max(0),
                        self.head + self.head_radius)
        return np.concatenate([lo, hi])


def _arm_angles(rng):
    """(shoulder, elbow) angles in degrees: shoulder from straight down towards
    the arm's own side (negative = across the body), elbow added on top."""
    mode = rng.random()
    if mode < 0.35:  # lowered
        shoulder = rng.uniform(5, 35)
    elif mode < 0.6:  # sideways
        shoulder = rng.uniform(50, 115)
    elif mode < 0.85:  # raised
        shoulder = rng.uniform(120, 175)
    else:  # across the body
        shoulder = rng.uniform(-35, 0)
    if rng.random() < 0.4:  # nearly straight
        elbow = rng.uniform(-20, 20)
    else:
        elbow = rng.uniform(-130, 130)
    return shoulder, elbow


def _sample_figure(rng, height, back_facing):
    """A person ~``height`` px tall (head top to ankles, standing) in a frame
    with the pelvis centre at the origin and the person's left towards +x."""
    h = height
    r_head = h * rng.uniform(0.065, 0.08)
    torso_len = h * rng.uniform(0.28, 0.32)
    neck_len = h * rng.uniform(0.02, 0.04)
    shoulder_half = h * rng.uniform(0.11, 0.135)
    hip_half = h * rng.uniform(0.07, 0.09)
    upper_arm = h * rng.uniform(0.16, 0.18)
    fore_arm = h * rng.uniform(0.14, 0.16)
    thigh = h * rng.uniform(0.23, 0.26)
    shin = h * rng.uniform(0.22, 0.25)
    # Widths are per person (build) but shared by that person's limbs.
    arm_w = max(3.0, h * rng.uniform(0.055, 0.075))
    leg_w = max(4.0, h * rng.uniform(0.07, 0.095))
    foot_len = h * rng.uniform(0.05, 0.07)

    colours = {}
    for side in (1, -1):
        colours[side] = dict(arm=_side_colour(rng, side),
                             fore=_side_colour(rng, side, 0.8),
                             leg=_side_colour(rng, side),
                             shin=_side_colour(rng, side, 0.8))
    # Torso hues avoid both side families: yellow, green, purple (or grey).
    torso_hue = (rng.uniform(22, 34), rng.uniform(45, 75),
                 rng.uniform(135, 160))[rng.integers(3)]
    torso_col = _hsv(torso_hue, rng.uniform(0, 200), rng.uniform(90, 210))
    skin = _hsv(rng.uniform(6, 18), rng.uniform(60, 150),
                rng.uniform(120, 235))
    hair = _hsv(rng.uniform(0, 180), rng.uniform(0, 120), rng.uniform(15, 70))
    shoe = _hsv(rng.uniform(0, 180), rng.uniform(0, 80), rng.uniform(20, 80))

    kps = np.zeros((17, 2))
    ext = np.zeros(17)
    lean = _clipped_normal(rng, 6, 15)
    up = _rotate(np.array([0.0, -1.0]), lean)
    across = _rotate(np.array([1.0, 0.0]), lean)
    neck_base = up * torso_len
    hip_dir = _rotate(np.array([1.0, 0.0]), _clipped_normal(rng, 4, 10))
    for side in (1, -1):
        sho, elb, wri = _ARMS[side]
        hip, kne, ank = _LEGS[side]
        kps[sho] = neck_base + side * shoulder_half * across
        kps[hip] = side * hip_half * hip_dir
        a_sho, a_elb = _arm_angles(rng)
        # Segment lengths shrink a little at random: foreshortening.
        kps[elb] = kps[sho] + (_direction(a_sho, side) * upper_arm *
                               rng.uniform(0.8, 1.0))
        kps[wri] = kps[elb] + (_direction(a_sho + a_elb, side) * fore_arm *
                               rng.uniform(0.8, 1.0))
        if rng.random() < 0.15:  # stepping / kicking out
            a_hip = rng.uniform(25, 70)
        else:
            a_hip = rng.uniform(-5, 25)
        if rng.random() < 0.5:  # bent knee: shin swings inwards
            a_knee = rng.uniform(10, 45)
        else:
            a_knee = rng.uniform(-10, 10)
        kps[kne] = kps[hip] + (_direction(a_hip, side) * thigh *
                               rng.uniform(0.85, 1.0))
        kps[ank] = kps[kne] + (_direction(a_hip - a_knee, side) * shin *
                               rng.uniform(0.85, 1.0))
        ext[[sho, elb]] = 0.6 * arm_w
        ext[wri] = 1.4 * arm_w  # the hand sticks out past the wrist
        ext[[hip, kne]] = 0.55 * leg_w
        ext[ank] = foot_len

    tilt = _clipped_normal(rng, 8, 20)
    head_up, head_across = _rotate(up, tilt), _rotate(across, tilt)
    head = neck_base + head_up * (neck_len + r_head)
    yaw = rng.uniform(-0.2, 0.2) * r_head  # sideways shift of the face
    kps[_NOSE] = head + head_across * yaw - head_up * 0.2 * r_head
    for side, eye in ((1, _L_EYE), (-1, _R_EYE)):
        kps[eye] = (head + head_across * (side * 0.36 * r_head + yaw) +
                    head_up * 0.12 * r_head)
        kps[_EARS[side]] = head + head_across * side * 0.9 * r_head

    ops = []  # (kind, points, size, colour); painted in this order
    for side in (-1, 1):
        hip, kne, ank = _LEGS[side]
        toe = kps[ank] + np.array([side, 0.35]) / np.hypot(1, 0.35) * foot_len
        ops += [('line', [kps[ank], toe], max(2, round(0.8 * leg_w)), shoe),
                ('line', kps[[hip, kne]], round(leg_w), colours[side]['leg']),
                ('line', kps[[kne, ank]], max(2, round(0.9 * leg_w)),
                 colours[side]['shin'])]
    ops.append(('line', [neck_base, head], max(2, round(0.7 * r_head)), skin))
    torso = [kps[5] + 0.35 * arm_w * across, kps[6] - 0.35 * arm_w * across,
             kps[12] - 0.3 * leg_w * hip_dir, kps[11] + 0.3 * leg_w * hip_dir]
    ops += [('poly', torso, 0, torso_col),
            ('line', kps[[5, 6]], round(arm_w), torso_col)]
    for side in (-1, 1):
        sho, elb, wri = _ARMS[side]
        fore = kps[wri] - kps[elb]
        hand = kps[wri] + fore / max(np.linalg.norm(fore), 1e-6) * 0.6 * arm_w
        ops += [('line', kps[[sho, elb]], round(arm_w), colours[side]['arm']),
                ('line', kps[[elb, wri]], max(2, round(0.9 * arm_w)),
                 colours[side]['fore']),
                ('disc', [hand], 0.75 * arm_w, skin)]
    # Joint dots on top so every body keypoint is a visible, well-defined blob.
    for k in range(5, 17):
        r = 0.3 * (arm_w if k <= 10 else leg_w)
        ops += [('disc', [kps[k]], max(1.5, r + 1.0), _DOT_RIM),
                ('disc', [kps[k]], max(1.0, r), _DOT)]
    if back_facing:
        ops.append(('disc', [head], r_head, hair))
    else:
        # Hair disc shifted up, face disc over it: a hair line on the top.
        face = head - head_up * 0.06 * r_head
        ops += [('disc', [head + head_up * 0.1 * r_head], r_head, hair),
                ('disc', [face], 0.92 * r_head, skin)]
        for eye in (_L_EYE, _R_EYE):
            ops += [('disc', [kps[eye]], max(1.0, 0.17 * r_head), _WHITE),
                    ('disc', [kps[eye]], max(0.7, 0.09 * r_head), _PUPIL)]
        nose_col = _hsv(8, 170, 120)
        ops.append(('disc', [kps[_NOSE]], max(0.8, 0.11 * r_head), nose_col))
        mouth = head + head_across * yaw - head_up * 0.52 * r_head
        half = head_across * 0.2 * r_head
        ops.append(('line', [mouth - half, mouth + half], 1, _LIPS))
    for side in (-1, 1):  # ears in the side colour
        ops.append(('disc', [kps[_EARS[side]]], max(1.0, 0.22 * r_head),
                    colours[side]['arm']))

    geometry = [np.asarray(pts, float).reshape(-1, 2) for _, pts, _, _ in ops]
    bounds = np.cumsum([18] + [len(g) for g in geometry]).tolist()
    prims = [(kind, start, stop, size, col) for (kind, _, size, col), start,
             stop in zip(ops, bounds[:-1], bounds[1:])]
    labelled = np.ones(17, bool)
    if back_facing:
        labelled[list(_FACE)] = False
    return _Figure(np.vstack([kps, head[None]] + geometry), labelled, ext,
                   r_head, prims)


def _paint(canvas, fig, colour=None):
    """Paint a figure on ``canvas``; with ``colour``: a flat, aliased mask."""
    line_type = cv2.LINE_AA if colour is None else cv2.LINE_8
    pix = np.round(fig.points * _SUBPIX).astype(np.int32)
    pts = pix.tolist()
    for kind, start, stop, size, col in fig.prims:
        col = col if colour is None else colour
        if kind == 'line':
            cv2.line(canvas, pts[start], pts[start + 1], col, size, line_type,
                     _SHIFT)
        elif kind == 'poly':
            cv2.fillPoly(canvas, [pix[start:stop]], col, line_type, _SHIFT)
        else:
            cv2.circle(canvas, pts[start], round(size * _SUBPIX), col, -1,
                       line_type, _SHIFT)


def _background(rng, w, h, params):
    """(h, w, 3) uint8: two-colour gradient, sometimes stripes, clutter."""
    c0, c1 = (np.array(_hsv(rng.uniform(0, 180), rng.uniform(0, 120),
                            rng.uniform(50, 230)), np.float32)
              for _ in range(2))
    theta = rng.uniform(0, 2 * np.pi)
    ramp = (np.arange(w, dtype=np.float32)[None] * np.cos(theta) +
            np.arange(h, dtype=np.float32)[:, None] * np.sin(theta))
    ramp = ((ramp - ramp.min()) *
            (255 / max(float(np.ptp(ramp)), 1.0))).astype(np.uint8)
    # Colour the 0..255 ramp through a 256-entry table: much cheaper than
    # blending three float channels per pixel.
    steps = np.linspace(0, 1, 256, dtype=np.float32)[:, None]
    table = c0 + steps * (c1 - c0)
    img = cv2.LUT(cv2.merge([ramp] * 3),
                  table.round().astype(np.uint8)[:, None])
    if rng.random() < 0.3:  # faint stripes
        phi, period = rng.uniform(0, np.pi), rng.uniform(6, 30)
        wave = (np.arange(w, dtype=np.float32)[None] * np.cos(phi) +
                np.arange(h, dtype=np.float32)[:, None] * np.sin(phi))
        stripes = (np.sin(wave * (2 * np.pi / period)) > 0).astype(np.uint8)
        amp = float(rng.uniform(8, 25))
        cv2.add(img, (amp, amp, amp, 0), dst=img, mask=stripes)

    for _ in range(rng.poisson(params.clutter_shapes)):
        if rng.random() < params.limb_coloured_clutter_prob:
            col = _side_colour(rng, rng.choice([-1, 1]))
        else:
            col = _hsv(rng.uniform(0, 180), rng.uniform(0, 255),
                       rng.uniform(40, 255))
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        kind = rng.integers(4)
        if kind == 0:
            size = rng.integers(8, 70, 2)
            cv2.rectangle(img, (x, y), (x + int(size[0]), y + int(size[1])),
                          col, -1)
        elif kind == 1:
            cv2.circle(img, (x, y), int(rng.integers(4, 25)), col, -1,
                       cv2.LINE_AA)
        elif kind == 2:  # limb-like bar
            d = _direction(rng.uniform(0, 360), 1) * rng.uniform(20, 90)
            cv2.line(img, (x, y), (int(x + d[0]), int(y + d[1])), col,
                     int(rng.integers(3, 14)), cv2.LINE_AA)
        else:
            axes = (int(rng.integers(5, 40)), int(rng.integers(3, 20)))
            cv2.ellipse(img, (x, y), axes, float(rng.uniform(0, 180)), 0, 360,
                        col, -1, cv2.LINE_AA)
    return img


def _place(rng, fig, w, h, truncation_prob):
    """Shift a posed figure so its box lies inside the image, or, with
    probability ``truncation_prob``, sticks 15-50% out over one border."""
    x0, y0, x1, y1 = fig.box()
    bw, bh = x1 - x0, y1 - y0

    def inside(size, limit):
        return rng.uniform(*sorted((0.0, limit - size)))

    left, top = inside(bw, w - 1), inside(bh, h - 1)
    if rng.random() < truncation_prob:
        out = rng.uniform(0.15, 0.5)
        border = rng.integers(4)
        if border == 0:
            left = -out * bw
        elif border == 1:
            left = w - 1 - (1 - out) * bw
        elif border == 2:
            top = -out * bh
        else:
            top = h - 1 - (1 - out) * bh
    mat = np.array([[1.0, 0, left - x0], [0, 1.0, top - y0]])
    return fig.transformed(mat)


def _in_image(kps, w, h):
    return ((kps[:, 0] >= 0) & (kps[:, 0] <= w - 1) & (kps[:, 1] >= 0) &
            (kps[:, 1] <= h - 1))


def _pixels(kps, w, h):
    xs = np.clip(np.round(kps[:, 0]).astype(int), 0, w - 1)
    ys = np.clip(np.round(kps[:, 1]).astype(int), 0, h - 1)
    return ys, xs


def _arrange_people(rng, params):
    """Pose and place the people of one image, far (small) to near (large).

    Returns a list of [figure, in-image labelled (17,) bool, covered by a later
    person (17,) bool, silhouette (h, w) uint8 mask], in paint order.
    """
    w, h = params.image_size
    lo_n, hi_n = params.people_per_image
    lo_h, hi_h = np.log(params.person_height)
    n_people = int(rng.integers(lo_n, hi_n + 1))
    heights = np.sort(np.exp(rng.uniform(lo_h, hi_h, n_people)))
    placed = []
    for height in heights:
        # Most people must leave everyone already placed fully visible.
        may_cover = rng.random() < params.occlusion_prob
        max_cover = params.max_occluded_fraction if may_cover else 0.0
        back_facing = rng.random() < params.back_facing_prob
        fig = _sample_figure(rng, height, back_facing)
        # Whole-body tilt; a back view is the mirror image (left on the left).
        rot = np.deg2rad(_clipped_normal(rng, 6, 25))
        lin = np.array([[np.cos(rot), -np.sin(rot)],
                        [np.sin(rot), np.cos(rot)]])
        lin = lin @ np.diag([-1.0 if back_facing else 1.0, 1.0])
        posed = fig.transformed(np.hstack([lin, np.zeros((2, 1))]))
        for _ in range(12):  # try positions; drop the person if none fits
            fig = _place(rng, posed, w, h, params.truncation_prob)
            in_img = _in_image(fig.keypoints, w, h) & fig.labelled
            if in_img.sum() < _MIN_IN_IMAGE:
                continue
            sil = np.zeros((h, w), np.uint8)
            _paint(sil, fig, colour=255)
            covers = [sil[_pixels(f.keypoints, w, h)] > 0 for f, *_ in placed]
            if any((m & (c | new)).sum() > max_cover * m.sum()
                   for (_, m, c, _), new in zip(placed, covers)):
                continue
            for entry, new in zip(placed, covers):
                entry[2] |= new
            placed.append([fig, in_img, np.zeros(17, bool), sil])
            break
    return placed


def _annotation(fig, in_img, covered, sil, w, h):
    """COCO fields of one person (no ids); see the module docstring."""
    vis = np.where(in_img, np.where(covered, 1, 2), 0)
    lab = vis > 0
    kps = np.where(lab[:, None], fig.keypoints, 0.0)
    lo = fig.keypoints[lab] - fig.extents[lab, None]
    hi = fig.keypoints[lab] + fig.extents[lab, None]
    if lab[:5].any():  # a labelled face point: the box takes the whole head
        lo = np.vstack([lo, fig.head - fig.head_radius])
        hi = np.vstack([hi, fig.head + fig.head_radius])
    x0, y0 = np.clip(lo.min(0), 0, [w - 1, h - 1])
    x1, y1 = np.clip(hi.max(0), 0, [w - 1, h - 1])
    keypoints = np.concatenate([kps, vis[:, None]], axis=1).ravel().tolist()
    keypoints[2::3] = [int(v) for v in vis]
    return dict(
        bbox=[round(float(v), 2) for v in (x0, y0, x1 - x0, y1 - y0)],
        area=float(np.count_nonzero(sil)),
        num_keypoints=int(lab.sum()),
        keypoints=keypoints)


def _add_noise(rng, img, std):
    """Gaussian pixel noise, drawn as a quantile table indexed by random bytes
    (far cheaper than normal floats per pixel)."""
    dist = NormalDist(0.0, std)
    table = np.round([dist.inv_cdf((i + 0.5) / 256) for i in range(256)])
    noise = table.astype(np.int16)[rng.integers(0, 256, img.shape, np.uint8)]
    return np.clip(img + noise, 0, 255).astype(np.uint8)


def _draw_scene(rng, params):
    """One image: (h, w, 3) uint8 BGR and its per-person annotation dicts."""
    w, h = params.image_size
    placed = _arrange_people(rng, params)
    img = _background(rng, w, h, params)
    anns = []
    for fig, in_img, covered, sil in placed:
        _paint(img, fig)
        anns.append(_annotation(fig, in_img, covered, sil, w, h))
    if params.noise_std > 0:
        img = _add_noise(rng, img, params.noise_std)
    return img, anns


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
