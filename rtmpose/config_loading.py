"""Find and read a config file, with errors that name the culprit file and
line.

The toolbox's configs ship inside the package: a wheel holds the checkout's
``configs/`` tree as ``rtmpose/configs/`` (copied by ``setup.py``'s
``build_py``), next to the dataset descriptions that live there in the
checkout too. So a repository-relative name such as
``configs/rtmpose/coco/rtmpose-m_8xb256-420e_coco-256x192.py`` resolves from
any working directory, in a checkout (editable install) and from a wheel.
"""
import ast
import os.path as osp
from pathlib import Path
from typing import List, Optional

from mmengine.config import Config

# ``rtmpose/config_loading.py`` -> ``rtmpose/``, which holds configs/ in a
# wheel; its parent is the checkout, whose configs/ an editable install uses
PACKAGE_ROOT = Path(__file__).resolve().parent
CHECKOUT_ROOT = PACKAGE_ROOT.parent


def find_config(path: str) -> str:
    """The file ``path`` names: itself if it exists (absolute, or relative to
    the working directory: a user's own config wins), else the shipped file
    of that repository-relative name (``configs/...``) in the package, else
    in the checkout the package was imported from."""
    if osp.isfile(path) or osp.isabs(path):
        candidates = [path]
    else:
        candidates = [
            osp.abspath(path),
            str(PACKAGE_ROOT / path),
            str(CHECKOUT_ROOT / path)
        ]
    for candidate in candidates:
        if osp.isfile(candidate):
            return candidate
    raise FileNotFoundError(
        f'config file not found: {path} (looked at '
        f'{", ".join(repr(c) for c in candidates)})')


def load_config(path: str) -> Config:
    """``Config.fromfile`` of :func:`find_config` ``(path)``, but a syntax
    error in the file or in one of its ``_base_`` files names that file and
    line (mmengine reports ``<unknown>``)."""
    path = find_config(path)
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
