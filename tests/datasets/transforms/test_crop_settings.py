import pytest
from mmengine.config import Config

from rtmpose.datasets.transforms import crop_settings


def _cfg(*pipeline):
    return Config(dict(test_dataloader=dict(dataset=dict(
        pipeline=list(pipeline)))))


def test_settings_read_the_pipeline_and_the_transform_defaults():
    affine = dict(type='TopdownAffine', input_size=(192, 256))
    assert crop_settings(_cfg(dict(type='GetBBoxCenterScale'), affine)) == \
        dict(input_size=(192, 256), padding=1.25, use_udp=False)
    cfg = _cfg(dict(type='GetBBoxCenterScale', padding=1.5),
               dict(affine, use_udp=True))
    assert crop_settings(cfg) == dict(input_size=(192, 256), padding=1.5,
                                      use_udp=True)
    with pytest.raises(KeyError, match='no TopdownAffine'):
        crop_settings(_cfg(dict(type='GetBBoxCenterScale')))

