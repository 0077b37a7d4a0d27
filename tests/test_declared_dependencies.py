"""Every third-party package the project imports is declared in setup.py.

A fresh machine has only what ``pip install -e ".[tests]"`` brings; a package
imported anywhere in the package, tools, demo or tests but declared nowhere
works on a developer's machine and fails on a user's.
"""
import ast
import os
import re
import sys
from importlib import metadata
from pathlib import Path
from unittest import mock

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ('rtmpose', 'tools', 'demo', 'tests')
# import name -> distribution, for optional packages that may be absent here
# (installed ones are looked up in their metadata)
KNOWN_DISTRIBUTIONS = {'skimage': 'scikit-image', 'cv2': 'opencv-python',
                       'PIL': 'pillow', 'yaml': 'pyyaml',
                       'sklearn': 'scikit-learn'}
# A first-line comment of scripts that run under the reference toolbox's
# python (its own venv, e.g. /tmp/mmpose-ref), never in this project's: their
# imports (mmpose) are that venv's, not ours.
REFERENCE_SIDE_MARKER = '# Runs under the reference python'


def _normalise(name):
    return re.sub(r'[-_.]+', '-', name).lower()


def declared_distributions():
    """Distribution names in install_requires and every extra."""
    captured = {}
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        with mock.patch('setuptools.setup', lambda **kw: captured.update(kw)):
            exec(compile((ROOT / 'setup.py').read_text(), 'setup.py', 'exec'),
                 {'__name__': '__main__'})
    finally:
        os.chdir(cwd)
    specs = list(captured['install_requires'])
    for extra in captured.get('extras_require', {}).values():
        specs += extra
    return {_normalise(re.split(r'[<>=!~; \[]', s, maxsplit=1)[0])
            for s in specs}


def imported_top_level_modules():
    """{top-level module: first file importing it} over the scanned trees."""
    local = {p.name for p in ROOT.iterdir() if p.is_dir()}
    local |= {p.stem for d in SCANNED for p in (ROOT / d).rglob('*.py')}
    found = {}
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob('*.py')):
            source = path.read_text()
            if source.startswith(REFERENCE_SIDE_MARKER):
                continue
            tree = ast.parse(source, str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and not node.level:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split('.')[0]
                    if (top in sys.stdlib_module_names or top in local
                            or top.startswith('_')):
                        continue
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def test_every_imported_package_is_declared():
    declared = declared_distributions()
    owners = metadata.packages_distributions()
    undeclared = []
    for module, where in sorted(imported_top_level_modules().items()):
        dists = {_normalise(d) for d in owners.get(
            module, [KNOWN_DISTRIBUTIONS.get(module, module)])}
        if not dists & declared:
            undeclared.append(f'{module} (imported in {where}, '
                              f'distribution {sorted(dists)})')
    assert not undeclared, ('imported but declared in no install_requires or '
                            'extra of setup.py: ' + '; '.join(undeclared))


def test_the_check_can_fail(tmp_path):
    # a module importing an undeclared package must be reported
    assert 'scipy' in declared_distributions()
    with mock.patch.object(sys.modules[__name__], 'declared_distributions',
                           lambda: {'torch'}):
        with pytest.raises(AssertionError, match='numpy'):
            test_every_imported_package_is_declared()
