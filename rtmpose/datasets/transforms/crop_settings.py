"""The crop a config's test pipeline makes, for code that crops without the
pipeline (the eager and ONNX inference backends, ONNX export)."""
import inspect

from .bbox_transforms import GetBBoxCenterScale
from .topdown_affine import TopdownAffine


def _default(transform: type, arg: str):
    return inspect.signature(transform.__init__).parameters[arg].default


def crop_settings(cfg) -> dict:
    """``input_size`` (w, h), ``padding`` and ``use_udp`` of the test
    pipeline's ``GetBBoxCenterScale`` and ``TopdownAffine`` in ``cfg`` (an
    mmengine Config); an argument the config leaves out takes the
    transform's own default."""
    pipeline = cfg.test_dataloader.dataset.pipeline
    steps = {step['type']: step for step in pipeline}
    if 'TopdownAffine' not in steps:
        raise KeyError('test_dataloader.dataset.pipeline has no TopdownAffine '
                       f'(types: {list(steps)})')
    affine = steps['TopdownAffine']
    box = steps.get('GetBBoxCenterScale', {})
    return dict(
        input_size=tuple(int(v) for v in affine['input_size']),
        padding=float(
            box.get('padding', _default(GetBBoxCenterScale, 'padding'))),
        use_udp=bool(affine.get('use_udp',
                                _default(TopdownAffine, 'use_udp'))))
