"""Drawn people: the COCO keypoint layout, sampling a figure's pose and
build (kinematics, colours) and the drawing operations that paint it.

A figure carries the 17 COCO keypoints at clearly drawn joints; the
person's LEFT limbs and ear are blue/cyan, the RIGHT ones red/orange, so
only the facing tells left from right under a horizontal flip (see
``rtmpose.datasets.synthetic.writer`` for the labels).
"""
import colorsys
from dataclasses import dataclass

import numpy as np

COCO_KEYPOINT_NAMES = ('nose', 'left_eye', 'right_eye', 'left_ear',
                       'right_ear', 'left_shoulder', 'right_shoulder',
                       'left_elbow', 'right_elbow', 'left_wrist',
                       'right_wrist', 'left_hip', 'right_hip', 'left_knee',
                       'right_knee', 'left_ankle', 'right_ankle')
# COCO person skeleton, 1-based keypoint ids as in the official annotations.
COCO_SKELETON = ((16, 14), (14, 12), (17, 15), (15, 13), (12, 13), (6, 12),
                 (7, 13), (6, 7), (6, 8), (7, 9), (8, 10), (9, 11), (2, 3),
                 (1, 2), (1, 3), (2, 4), (3, 5), (4, 6), (5, 7))

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
