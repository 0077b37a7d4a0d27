"""Weights files on this machine: a URL becomes a local file, fetched once.

A URL (``http(s)://``, or ``file://`` for a local mirror) names a file by
its base name. :func:`local_path` looks for that name, in order, in
``$RTMPOSE_HOME`` (a folder of pre-downloaded files, for machines without
network; ``--weights-dir`` sets it) and in torch hub's cache
(``torch.hub.get_dir()/checkpoints``, where torchvision and mmengine keep
theirs too), and downloads it into the cache when it is in neither: once,
with a progress bar, into a temporary file renamed only when complete.

With the expected sha256 prefix (the model index has one per file;
published mmpose names carry it too) a file is checked before it is used:
a corrupt or partial file is named in a warning and fetched again, never
loaded. When the file is not here and cannot be fetched, one
:class:`WeightsUnavailableError` names the URL, the reason, and where to put
the file by hand.

Standard library and torch's hub folder only: every floor of the package
can import it.
"""
import hashlib
import os
import os.path as osp
import re
import urllib.error
import urllib.parse
import urllib.request
import warnings
from typing import List, Optional

from rtmpose.fileio import temp_name_for
from rtmpose.progress import Progress

HOME_ENV = 'RTMPOSE_HOME'
URL_SCHEMES = ('http://', 'https://', 'file://')
_CHUNK = 1 << 20  # bytes read per step; the progress bar counts MiB


class WeightsUnavailableError(RuntimeError):
    """A weights file is neither on this machine nor downloadable."""


def add_weights_dir_argument(parser) -> None:
    """``--weights-dir`` on an ``argparse`` parser of a command that loads
    weights; :func:`set_weights_dir` applies it."""
    parser.add_argument(
        '--weights-dir',
        help='folder of pre-downloaded weights files, looked in before the '
        f'cache (the same as setting {HOME_ENV})')


def set_weights_dir(folder: Optional[str]) -> None:
    """Make ``folder`` (when given) the first place every weights lookup of
    this process searches."""
    if folder:
        os.environ[HOME_ENV] = osp.abspath(folder)


def is_url(source: str) -> bool:
    return str(source).startswith(URL_SCHEMES)


def cache_dir() -> str:
    """torch hub's checkpoint cache, where downloads go."""
    import torch.hub  # torch only when a file is actually looked up
    return osp.join(torch.hub.get_dir(), 'checkpoints')


def file_name(url: str) -> str:
    """The base name a URL's file is kept under (query string dropped)."""
    return osp.basename(urllib.parse.urlsplit(url).path)


def search_dirs() -> List[str]:
    """Where a URL's file is looked for, in order: ``$RTMPOSE_HOME`` (when
    set), then the cache."""
    home = os.environ.get(HOME_ENV)
    return ([osp.expanduser(home)] if home else []) + [cache_dir()]


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(_CHUNK), b''):
            digest.update(block)
    return digest.hexdigest()


# OpenMMLab's publish tools name a file by the first 8 hex digits of its
# sha256, maybe followed by the upload date: ...-f2f7d6f6_20230130.pth
_OPENMMLAB_NAME = re.compile(r'-([0-9a-f]{8})(?:_\d{8})?\.pth$')


def expected_sha256(url: str) -> Optional[str]:
    """The sha256 prefix that a file on ``download.openmmlab.com`` carries in
    its name, else ``None``."""
    if urllib.parse.urlsplit(url).hostname != 'download.openmmlab.com':
        return None
    match = _OPENMMLAB_NAME.search(file_name(url))
    return match.group(1) if match else None


def _verified(path: str, sha256: Optional[str]) -> bool:
    """Whether ``path``'s content has the hash prefix (no prefix: any
    non-empty file); a mismatch is named in a warning."""
    if not sha256:
        return osp.getsize(path) > 0
    actual = sha256_of(path)
    if actual.startswith(sha256.lower()):
        return True
    warnings.warn(f'{path}: sha256 {actual[:len(sha256)]}..., expected '
                  f'{sha256}... (a partial or corrupt file); not loading it, '
                  'fetching it again')
    return False


def find_cached(url: str, sha256: Optional[str] = None) -> Optional[str]:
    """The verified local copy of ``url``'s file, or ``None``."""
    name = file_name(url)
    for folder in search_dirs():
        path = osp.join(folder, name)
        if osp.isfile(path) and _verified(path, sha256):
            return path
    return None


def fetch(url: str, sha256: Optional[str] = None) -> str:
    """The local path of ``url``'s file: found (:func:`find_cached`) or
    downloaded into the cache. ``sha256`` (a hex prefix) defaults to the
    one an OpenMMLab file name carries (:func:`expected_sha256`).

    Raises:
        WeightsUnavailableError: the download failed (no network, HTTP
            error) or gave a file with the wrong hash; the message names
            the URL, the reason and the paths where the file would be
            found.
    """
    sha256 = sha256 or expected_sha256(url)
    found = find_cached(url, sha256)
    if found is not None:
        return found
    target = osp.join(cache_dir(), file_name(url))
    try:
        os.makedirs(cache_dir(), exist_ok=True)
        _download(url, target, sha256)
    except (OSError, ValueError) as err:  # URLError/HTTPError are OSErrors
        raise WeightsUnavailableError(unavailable_message(url, err)) from err
    return target


def unavailable_message(url: str, reason) -> str:
    """Why ``url`` is not here, and where to put it by hand."""
    places = ' or '.join(osp.join(folder, file_name(url))
                         for folder in search_dirs())
    return (f'cannot fetch {url}: {_reason(reason)}. Download it on a '
            f'machine with network and put it at {places} (or point '
            f'{HOME_ENV} at the folder holding it)')


def _reason(err) -> str:
    if isinstance(err, urllib.error.URLError) and not isinstance(
            err, urllib.error.HTTPError):
        return f'unreachable ({err.reason})'
    return str(err)


def _download(url: str, target: str, sha256: Optional[str]) -> None:
    """Stream ``url`` into a temporary file next to ``target``, check its
    hash, then rename it to ``target``: no partial file ever bears the
    name."""
    part = temp_name_for(target)
    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(url, timeout=30) as response, \
                open(part, 'wb') as out:
            size = int(response.headers.get('Content-Length') or 0)
            progress = Progress(max(1, -(-size // _CHUNK)),
                                f'download {file_name(url)} (MiB)') \
                if size else None
            done = 0
            for block in iter(lambda: response.read(_CHUNK), b''):
                out.write(block)
                digest.update(block)
                done += len(block)
                if progress is not None:
                    progress.update(min(progress.total, -(-done // _CHUNK)))
            if progress is not None:
                progress.close()
        if size and done != size:
            raise ValueError(f'the download stopped at {done} of {size} '
                             'bytes')
        actual = digest.hexdigest()
        if sha256 and not actual.startswith(sha256.lower()):
            raise ValueError(
                f'the downloaded file has sha256 {actual[:len(sha256)]}..., '
                f'expected {sha256}... (a corrupt download, or the file '
                'changed upstream)')
        os.replace(part, target)
    finally:
        if osp.exists(part):
            os.remove(part)


def local_path(source: str, sha256: Optional[str] = None) -> str:
    """A local file for ``source``: a URL fetched (:func:`fetch`), a path
    as given (``~`` expanded)."""
    if is_url(source):
        return fetch(source, sha256)
    return osp.expanduser(source)
