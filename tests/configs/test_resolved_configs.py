"""Every config resolves to the values recorded in ``resolved_configs.json``:
recomposing the config files (``_base_`` axes) must not change what a config
means. Configs added later are not in the snapshot and are skipped."""
import json

import pytest

from resolved_configs import SNAPSHOT, config_names, resolve

with open(SNAPSHOT) as f:
    EXPECTED = json.load(f)


def _diff(expected, actual, path=''):
    """Paths (dotted) where two JSON values differ."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        out = []
        for key in sorted(set(expected) | set(actual)):
            sub = f'{path}.{key}' if path else str(key)
            if key not in actual:
                out.append(f'{sub}: missing')
            elif key not in expected:
                out.append(f'{sub}: unexpected')
            else:
                out += _diff(expected[key], actual[key], sub)
        return out
    if (isinstance(expected, list) and isinstance(actual, list)
            and len(expected) == len(actual)):
        return [d for i, (e, a) in enumerate(zip(expected, actual))
                for d in _diff(e, a, f'{path}[{i}]')]
    return [] if expected == actual else [f'{path}: {expected!r} -> {actual!r}']


def test_snapshot_lists_every_config():
    missing = sorted(set(EXPECTED) - set(config_names()))
    assert not missing, f'configs gone or renamed: {missing}'


@pytest.mark.parametrize('name', sorted(EXPECTED))
def test_config_resolves_as_recorded(name):
    diffs = _diff(EXPECTED[name], resolve(name))
    assert not diffs, '\n'.join(diffs[:20])


def test_diff_reports_a_changed_value():
    assert _diff({'a': [1, {'b': 2}]}, {'a': [1, {'b': 3}]}) == ['a[1].b: 2 -> 3']
