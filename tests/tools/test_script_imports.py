"""The rtmpose imports of the scripts, function-local ones included (run
only when their option is used), name modules and objects that exist."""
import ast
import glob
import importlib
import importlib.util
import os.path as osp

import pytest

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SCRIPTS = sorted(
    osp.relpath(p, ROOT)
    for pattern in ('tools/**/*.py', 'demo/*.py')
    for p in glob.glob(osp.join(ROOT, pattern), recursive=True))


def _rtmpose_imports(path):
    with open(osp.join(ROOT, path)) as f:
        tree = ast.parse(f.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and \
                node.module.split('.')[0] == 'rtmpose':
            yield node.lineno, node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split('.')[0] == 'rtmpose':
                    yield node.lineno, alias.name, []


@pytest.mark.parametrize('path', SCRIPTS)
def test_rtmpose_imports_resolve(path):
    missing = []
    for line, module, names in _rtmpose_imports(path):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as err:
            missing.append(f'line {line}: {module} ({err})')
            continue
        missing += [f'line {line}: {module}.{name}' for name in names
                    if not hasattr(mod, name)
                    and importlib.util.find_spec(f'{module}.{name}') is None]
    assert not missing, f'{path}: ' + '; '.join(missing)
