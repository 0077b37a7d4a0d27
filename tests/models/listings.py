"""The reference models' ``state_dict`` listings in ``../shared/spec/``
(``key (d0, d1, ...)`` per line), compared with a model's keys and shapes.
A user's clone has no ``../shared``: the comparison then skips."""
import re
from pathlib import Path

import pytest

SPEC = Path(__file__).resolve().parents[2].parent / 'shared' / 'spec' / \
    'checkpoint_keys'


def read_listing(path: Path) -> dict:
    """``key (d0, d1, ...)`` lines -> {key: shape tuple}."""
    listing = {}
    for line in path.read_text().splitlines():
        if line.strip():
            key, shape = line.split(' ', 1)
            listing[key] = tuple(int(d) for d in re.findall(r'\d+', shape))
    return listing


def assert_matches_listing(state_dict: dict, name: str) -> None:
    """Same keys and shapes as ``SPEC / name``, or skip without it."""
    path = SPEC / name
    if not path.exists():
        pytest.skip(f'reference listing {path} not available')
    expected = read_listing(path)
    got = {k: tuple(v.shape) for k, v in state_dict.items()}
    assert sorted(set(got) - set(expected)) == [], 'unexpected keys'
    assert sorted(set(expected) - set(got)) == [], 'missing keys'
    wrong = {k: (got[k], expected[k]) for k in got if got[k] != expected[k]}
    assert wrong == {}, 'shape mismatches (got, expected)'
