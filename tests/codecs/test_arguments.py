"""Codec and head arguments are checked in __init__, naming class and
argument."""
import numpy as np
import pytest

from rtmpose.codecs import MSRAHeatmap, SimCCLabel, UDPHeatmap
from rtmpose.models.heads import HeatmapHead, RTMCCHead


@pytest.mark.parametrize('kwargs, match', [
    (dict(sigma=(4.9, 5.66, 1.0)), r'SimCCLabel: sigma must be a number or '
     r'two numbers \(x, y\), got \(4.9, 5.66, 1.0\)'),
    (dict(sigma=(4.9, -1.0)), r'SimCCLabel: sigma must be a finite number '
     r'> 0, got -1.0'),
    (dict(sigma=0), r'SimCCLabel: sigma must be a finite number > 0'),
    (dict(sigma=float('nan')), r'SimCCLabel: sigma must be a finite'),
    (dict(simcc_split_ratio=0), r'SimCCLabel: simcc_split_ratio must be a '
     r'finite number > 0, got 0'),
    (dict(input_size=(192, )), r'SimCCLabel: input_size must be \(width, '
     r'height\)'),
    (dict(input_size=(192, -256)), r'SimCCLabel: input_size must be two '
     r'positive ints'),
])
def test_simcc_label_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        SimCCLabel(**{'input_size': (192, 256), 'sigma': (4.9, 5.66),
                      **kwargs})


def test_valid_sigma_forms():
    np.testing.assert_allclose(SimCCLabel((192, 256), sigma=6.).sigma,
                               [6., 6.])
    np.testing.assert_allclose(
        SimCCLabel([192, 256], sigma=[4.9, 5.66]).sigma, [4.9, 5.66],
        rtol=1e-6)


@pytest.mark.parametrize('cls', [MSRAHeatmap, UDPHeatmap])
@pytest.mark.parametrize('kwargs, match', [
    (dict(sigma=-2), 'sigma must be a finite number > 0'),
    (dict(heatmap_size=(48, 0)), 'heatmap_size must be two positive ints'),
    (dict(blur_kernel_size=4), 'blur_kernel_size must be an odd int > 0'),
])
def test_heatmap_codec_arguments(cls, kwargs, match):
    with pytest.raises(ValueError, match=f'{cls.__name__}: {match}'):
        cls(**{'input_size': (192, 256), 'heatmap_size': (48, 64),
               'sigma': 2, **kwargs})


def test_head_arguments():
    good = dict(in_channels=8, out_channels=17, input_size=(192, 256),
                in_featuremap_size=(6, 8))
    with pytest.raises(ValueError, match=r'RTMCCHead: simcc_split_ratio must '
                       'be a finite number > 0'):
        RTMCCHead(**good, simcc_split_ratio=-2.0)
    with pytest.raises(ValueError, match='RTMCCHead: in_featuremap_size must'
                       r' be \(width, height\)'):
        RTMCCHead(**dict(good, in_featuremap_size=6))
    with pytest.raises(ValueError, match='RTMCCHead: out_channels must be an '
                       'int > 0, got 0'):
        RTMCCHead(**dict(good, out_channels=0))
    with pytest.raises(ValueError, match='HeatmapHead: out_channels must be '
                       'an int > 0'):
        HeatmapHead(in_channels=8, out_channels=-1)
