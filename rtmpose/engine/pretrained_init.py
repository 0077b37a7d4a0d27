"""``init_cfg=dict(type='Pretrained', ...)`` with safe, strict loading, and
its weights fetched before training starts."""
from typing import Iterator, List, Optional, Tuple

from torch import nn

from rtmpose import hub
from rtmpose.checkpoint import load_weights
from rtmpose.registry import WEIGHT_INITIALIZERS


@WEIGHT_INITIALIZERS.register_module(name='Pretrained')
class PretrainedInit:
    """Initialise a module from (a prefix of) a checkpoint file.

    Args:
        checkpoint: local path or URL (fetched once into torch hub's cache).
        prefix: keep only keys starting with it, stripped, e.g. ``'backbone.'``
            to take the backbone of a whole pose model.
        map_location: passed to ``torch.load``.
        strict: fail on missing, unexpected or mis-shaped keys.
    """

    def __init__(self,
                 checkpoint: str,
                 prefix: Optional[str] = None,
                 map_location: str = 'cpu',
                 strict: bool = True):
        self.checkpoint = checkpoint
        self.prefix = prefix
        self.map_location = map_location
        self.strict = strict

    def __call__(self, module: nn.Module) -> None:
        load_weights(module, self.checkpoint, prefix=self.prefix,
                     strict=self.strict, map_location=self.map_location)

    def _get_init_info(self) -> str:
        return f'{self.__class__.__name__}: load from {self.checkpoint}'


def pretrained_urls(cfg, key: str = 'model') -> Iterator[Tuple[str, str]]:
    """``(config key of the init_cfg, URL)`` of every ``Pretrained``
    init_cfg under ``cfg`` (a model config) whose checkpoint is a URL."""
    if isinstance(cfg, (list, tuple)):
        for i, item in enumerate(cfg):
            yield from pretrained_urls(item, f'{key}.{i}')
        return
    if not isinstance(cfg, dict):
        return
    if cfg.get('type') == 'Pretrained' and hub.is_url(
            str(cfg.get('checkpoint', ''))):
        yield key, cfg['checkpoint']
    for name, value in cfg.items():
        yield from pretrained_urls(value, f'{key}.{name}')


def fetch_pretrained(model_cfg) -> List[str]:
    """Fetch every pretrained-weights URL of ``model_cfg`` now (once, into
    the cache), so that a missing file stops training before the first
    iteration with one error that says how to go on; returns the local
    paths.

    Raises:
        hub.WeightsUnavailableError: naming the URL, the cache path, and
            the two ways out: a local file through ``--cfg-options
            KEY.checkpoint=/path/file.pth``, or ``KEY=None`` to train
            from scratch.
    """
    paths = []
    for key, url in pretrained_urls(model_cfg):
        try:
            paths.append(hub.fetch(url))
        except hub.WeightsUnavailableError as err:
            raise hub.WeightsUnavailableError(
                f'{key} needs pretrained weights, and {err}.\nOr go on '
                f'without the cache: --cfg-options {key}.checkpoint='
                f'/path/file.pth to load a local copy, or --cfg-options '
                f'{key}=None to train from scratch (random '
                'initialisation; lower accuracy than the published recipe)'
            ) from err
    return paths
