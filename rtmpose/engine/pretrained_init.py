"""``init_cfg=dict(type='Pretrained', ...)`` with safe, strict loading, and
its weights made local before training starts."""
import os
import os.path as osp
from typing import Iterator, List, Optional, Tuple

from mmengine.dist import barrier, get_dist_info
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


def pretrained_checkpoints(cfg, key: str = 'model'
                           ) -> Iterator[Tuple[str, str]]:
    """``(config key of the init_cfg, checkpoint)`` of every ``Pretrained``
    init_cfg under ``cfg`` (a model config)."""
    if isinstance(cfg, (list, tuple)):
        for i, item in enumerate(cfg):
            yield from pretrained_checkpoints(item, f'{key}.{i}')
        return
    if not isinstance(cfg, dict):
        return
    if cfg.get('type') == 'Pretrained' and cfg.get('checkpoint'):
        yield key, str(cfg['checkpoint'])
    for name, value in cfg.items():
        yield from pretrained_checkpoints(value, f'{key}.{name}')


def fetch_pretrained(model_cfg) -> List[str]:
    """Make every pretrained-weights file of ``model_cfg`` local now (a URL
    fetched once into the cache; a path checked), so that a missing file
    stops training before the first iteration with one error that says how
    to go on; returns the local paths. Under distributed training rank 0
    fetches first and the others then find the files in the cache (or,
    when rank 0 failed or another node has its own cache, fetch them
    themselves and fail alike: no rank is left waiting).

    Raises:
        hub.WeightsUnavailableError: naming the URL (and the cache path) or
            the missing file, and the two ways out: a local file through
            ``--cfg-options KEY.checkpoint=/path/file.pth``, or
            ``KEY=None`` to train from scratch.
    """
    rank, world_size = get_dist_info()
    if rank != 0:
        barrier()
    try:
        return _local_pretrained(model_cfg)
    finally:
        if rank == 0 and world_size > 1:
            barrier()


def _local_pretrained(model_cfg) -> List[str]:
    paths = []
    for key, checkpoint in pretrained_checkpoints(model_cfg):
        try:
            path = hub.local_path(checkpoint)
            if not osp.isfile(path):
                raise hub.WeightsUnavailableError(
                    f'{path} does not exist (working directory '
                    f'{os.getcwd()})')
        except hub.WeightsUnavailableError as err:
            raise hub.WeightsUnavailableError(
                f'{key} needs pretrained weights, and {err}.\nOr go on: '
                f'--cfg-options {key}.checkpoint=/path/file.pth to load a '
                f'local copy, or --cfg-options {key}=None to train from '
                'scratch (random initialisation; lower accuracy than the '
                'published recipe)') from err
        paths.append(path)
    return paths
