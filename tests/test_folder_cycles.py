"""No folder of ``rtmpose/`` imports one that imports it back.

Every import in the package is read from the source (module level and
inside functions, ``importlib.import_module('rtmpose...')`` too), mapped to
the folders it connects, and the folder graph of each package level (the
siblings under ``rtmpose/``, under ``rtmpose/models/``, ...) must have no
cycle. A function-level import is still a dependency: it only moves the
failure from import time to call time. Reading, not importing, keeps the
test torch-free and independent of import order.

``python tests/test_folder_cycles.py`` prints the cycles found.
"""
import ast
from collections import defaultdict
from pathlib import Path
from typing import Dict, Iterator, List, Set, Tuple

PACKAGE = Path(__file__).resolve().parents[1] / 'rtmpose'

# (importing module, imported module, 'path:line')
Edge = Tuple[str, str, str]


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix('').parts)
    if parts[-1] == '__init__':
        parts.pop()
    return '.'.join(parts)


def imports_of(path: Path, root: Path, known: Set[str]) -> Iterator[Edge]:
    """The package modules that ``path`` imports anywhere in its body."""
    name = module_name(path, root)
    package = name if path.name == '__init__.py' else name.rpartition('.')[0]
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level:
                anchor = package.split('.')
                anchor = anchor[:len(anchor) - node.level + 1]
                base = '.'.join(anchor + ([base] if base else []))
            # `from pkg import mod` imports the module pkg.mod
            targets = [
                f'{base}.{alias.name}'
                if f'{base}.{alias.name}' in known else base
                for alias in node.names
            ]
        elif (isinstance(node, ast.Call) and node.args
              and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and getattr(node.func, 'attr', getattr(node.func, 'id', None))
              in ('import_module', '__import__')):
            targets = [node.args[0].value]
        for target in targets:
            # the longest known module the dotted name starts with
            while target and target not in known:
                target = target.rpartition('.')[0]
            if target and target != name:
                yield name, target, f'{path.relative_to(root.parent)}:' \
                                    f'{node.lineno}'


def package_imports(root: Path = PACKAGE) -> List[Edge]:
    files = sorted(root.rglob('*.py'))
    known = {module_name(p, root) for p in files}
    return [edge for p in files for edge in imports_of(p, root, known)]


def folder_graphs(edges: List[Edge]) -> Dict[str, Dict[str, Dict[str, str]]]:
    """parent package -> {child: {child it imports: 'path:line' of one
    such import}}, for every parent that both modules lie under; a child is
    a sub-package or a module directly in the parent."""
    graphs: Dict[str, Dict[str, Dict[str, str]]] = defaultdict(
        lambda: defaultdict(dict))
    for src, dst, where in edges:
        a, b = src.split('.'), dst.split('.')
        depth = 0
        while depth < min(len(a), len(b)) and a[depth] == b[depth]:
            depth += 1
        # a[:depth] is the deepest common package; a package and its own
        # modules (its __init__ handing names on) are no siblings
        if depth in (len(a), len(b)):
            continue
        parent = '.'.join(a[:depth])
        graphs[parent][a[depth]].setdefault(b[depth], where)
    return graphs


def cycles(graph: Dict[str, Dict[str, str]]) -> List[List[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    found: List[List[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, {}):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def describe_cycles(edges: List[Edge]) -> List[str]:
    """One line per cycle: its folders and the imports that close it."""
    lines = []
    for parent, graph in sorted(folder_graphs(edges).items()):
        for component in cycles(graph):
            ties = [
                f'{a} -> {b} ({graph[a][b]})' for a in component
                for b in component if b in graph.get(a, {})
            ]
            lines.append(f'{parent}: {" <-> ".join(component)}: '
                         + '; '.join(ties))
    return lines


def test_no_folder_imports_one_that_imports_it_back():
    edges = package_imports()
    assert len(edges) > 200  # the scan reads the package's imports
    found = describe_cycles(edges)
    assert not found, 'folder cycles:\n' + '\n'.join(found)


def test_scan_finds_a_planted_cycle(tmp_path):
    """A function-level import planted in a copy of a clean tree."""
    root = tmp_path / 'pkg'
    for rel, text in {
            '__init__.py': '',
            'low/__init__.py': '',
            'low/geometry.py': 'import math\n',
            'high/__init__.py': 'from .user import run\n',
            'high/user.py': 'from ..low import geometry\n'
                            'def run():\n    return geometry\n',
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    assert describe_cycles(package_imports(root)) == []
    (root / 'low/geometry.py').write_text(
        'def lazy():\n    from pkg.high.user import run\n    return run\n')
    found = describe_cycles(package_imports(root))
    assert len(found) == 1 and found[0].startswith('pkg: high <-> low')
    assert 'low -> high (pkg/low/geometry.py:2)' in found[0]


def test_cycles_on_a_hand_made_graph():
    graph = {'a': {'b': ''}, 'b': {'c': ''}, 'c': {'a': ''}, 'd': {'a': ''}}
    assert cycles(graph) == [['a', 'b', 'c']]
    assert cycles({'a': {'b': ''}, 'b': {}}) == []


if __name__ == '__main__':
    print('\n'.join(describe_cycles(package_imports())) or 'no folder cycle')
