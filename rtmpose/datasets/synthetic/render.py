"""Painting: figures onto an image on OpenCV's sub-pixel grid, the
cluttered background, and pixel noise."""
from functools import lru_cache
from statistics import NormalDist

import cv2
import numpy as np

from .figure import _SHIFT, _SUBPIX, _direction, _hsv, _side_colour


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


@lru_cache(maxsize=8)
def _noise_table(std):
    """(256,) int16 quantiles of N(0, std) at the centres of 256 equal
    probability bins (read-only: shared between calls)."""
    dist = NormalDist(0.0, std)
    table = np.round([dist.inv_cdf((i + 0.5) / 256) for i in range(256)])
    table = table.astype(np.int16)
    table.flags.writeable = False
    return table


def _add_noise(rng, img, std):
    """Gaussian pixel noise, drawn as a quantile table indexed by random bytes
    (far cheaper than normal floats per pixel)."""
    noise = _noise_table(std)[rng.integers(0, 256, img.shape, np.uint8)]
    return np.clip(img + noise, 0, 255).astype(np.uint8)
