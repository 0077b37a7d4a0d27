"""Checks of codec and head arguments (constructor arguments, the keypoints
given to ``encode``), with errors that name the class and the argument
(instead of a numpy broadcast error later)."""
import math
import numbers
from typing import Sequence, Tuple, Union

import numpy as np


def size_pair(owner: str, name: str, value) -> Tuple[int, int]:
    """``value`` as a ``(w, h)`` pair of positive ints."""
    try:
        w, h = value
    except (TypeError, ValueError):
        raise ValueError(f'{owner}: {name} must be (width, height), got '
                         f'{value!r}') from None
    if not all(isinstance(v, numbers.Integral) and not isinstance(v, bool)
               and v > 0 for v in (w, h)):
        raise ValueError(f'{owner}: {name} must be two positive ints '
                         f'(width, height), got {value!r}')
    return int(w), int(h)


def positive_number(owner: str, name: str, value) -> float:
    """``value`` as a finite float > 0."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or \
            not math.isfinite(value) or value <= 0:
        raise ValueError(f'{owner}: {name} must be a finite number > 0, got '
                         f'{value!r}')
    return float(value)


def positive_per_axis(owner: str, name: str,
                      value: Union[float, Sequence[float]]) -> np.ndarray:
    """``value`` (one number, or one per axis x, y) as a (2,) float32 array
    of finite numbers > 0."""
    values = [value] * 2 if isinstance(value, numbers.Real) else value
    try:
        values = list(values)
    except TypeError:
        values = None
    if values is None or len(values) != 2:
        raise ValueError(f'{owner}: {name} must be a number or two numbers '
                         f'(x, y), got {value!r}')
    for v in values:
        positive_number(owner, name, v)
    return np.asarray(values, dtype=np.float32)


def positive_int(owner: str, name: str, value, odd: bool = False) -> int:
    """``value`` as an int > 0 (and odd when ``odd``)."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) \
            or value <= 0 or (odd and value % 2 != 1):
        kind = 'an odd int > 0' if odd else 'an int > 0'
        raise ValueError(f'{owner}: {name} must be {kind}, got {value!r}')
    return int(value)


def check_keypoints(keypoints, keypoints_visible,
                    owner: str) -> Tuple[np.ndarray, np.ndarray]:
    """Validate and default (N, K, 2) keypoints and (N, K) visibility."""
    keypoints = np.asarray(keypoints, dtype=np.float32)
    if keypoints.ndim != 3 or keypoints.shape[-1] != 2:
        raise ValueError(f'{owner}.encode: keypoints must be (N, K, 2), got '
                         f'{keypoints.shape}')
    if keypoints_visible is None:
        keypoints_visible = np.ones(keypoints.shape[:2], np.float32)
    keypoints_visible = np.asarray(keypoints_visible, dtype=np.float32)
    if keypoints_visible.shape != keypoints.shape[:2]:
        raise ValueError(f'{owner}.encode: keypoints_visible must be (N, K) '
                         f'= {keypoints.shape[:2]}, got '
                         f'{keypoints_visible.shape}')
    return keypoints, keypoints_visible
