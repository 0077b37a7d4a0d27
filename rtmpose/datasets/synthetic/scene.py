"""One image: the people placed (size, truncation, occlusion limits),
painted over the background, and their COCO annotations."""
from dataclasses import dataclass

import numpy as np

from .figure import _clipped_normal, _sample_figure
from .render import _add_noise, _background, _paint

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
    """COCO fields of one person (no ids); see ``writer``'s docstring."""
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
