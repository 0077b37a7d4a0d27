"""Read a config file with errors that name the culprit file and line."""
import ast
import os.path as osp
from typing import List, Optional

from mmengine.config import Config


def load_config(path: str) -> Config:
    """``Config.fromfile(path)``, but a syntax error in the file or in one of
    its ``_base_`` files names that file and line (mmengine reports
    ``<unknown>``)."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'config file not found: {path}')
    try:
        return Config.fromfile(path)
    except SyntaxError as err:
        culprit = find_syntax_error(path)
        if culprit is None:
            raise
        raise culprit from err


def find_syntax_error(path: str,
                      seen: Optional[List[str]] = None
                      ) -> Optional[SyntaxError]:
    """The first syntax error in ``path`` or its ``_base_`` files, depth
    first, as a ``SyntaxError`` whose message names file and line."""
    seen = [] if seen is None else seen
    path = osp.abspath(path)
    if path in seen or not osp.isfile(path) or not path.endswith('.py'):
        return None
    seen.append(path)
    with open(path, encoding='utf-8') as f:
        source = f.read()
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as err:
        line = (err.text or '').rstrip()
        return SyntaxError(
            f'config file {path}, line {err.lineno}: {err.msg}' +
            (f'\n    {line}' if line else ''),
            (path, err.lineno, err.offset, err.text))
    for base in _bases(tree):
        found = find_syntax_error(osp.join(osp.dirname(path), base), seen)
        if found is not None:
            return found
    return None


def _bases(tree: ast.Module) -> List[str]:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == '_base_'
                for t in node.targets):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                return []
            return [value] if isinstance(value, str) else list(value)
    return []
