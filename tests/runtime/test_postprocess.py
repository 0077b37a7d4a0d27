"""The runtime decodes stored codec settings exactly as the codecs do."""
import numpy as np
import pytest

from rtmpose.codecs import MSRAHeatmap, SimCCLabel, UDPHeatmap
from rtmpose.runtime import decode_outputs


def _peaked(shape, rng):
    """Positive responses with a smooth off-grid peak per row."""
    *lead, w = shape
    centres = rng.uniform(3, w - 4, lead)[..., None]
    return np.exp(-0.5 * ((np.arange(w) - centres) / 2.0)**2).astype(
        np.float32) + rng.uniform(0, 0.01, shape).astype(np.float32)


@pytest.mark.parametrize('use_dark', [False, True])
def test_simcc_metadata_decode_equals_codec(use_dark):
    codec = SimCCLabel((96, 128), sigma=(4.9, 5.66), use_dark=use_dark)
    rng = np.random.default_rng(0)
    outputs = [_peaked((2, 17, 192), rng), _peaked((2, 17, 256), rng)]
    meta = dict(outputs='simcc', decode=codec.decode_args())
    kpts, scores = decode_outputs(outputs, meta)
    ref_kpts, ref_scores = codec.decode(*outputs)
    np.testing.assert_array_equal(kpts, ref_kpts)
    np.testing.assert_array_equal(scores, ref_scores)
    # DARK moves locations off the half-pixel grid of the bins (k = 2)
    off_grid = np.abs(kpts * 2 - np.round(kpts * 2)).max()
    assert (off_grid > 0.05) == use_dark


@pytest.mark.parametrize('codec', [
    MSRAHeatmap((192, 256), (48, 64), sigma=2),
    MSRAHeatmap((192, 256), (48, 64), sigma=2, unbiased=True),
    UDPHeatmap((192, 256), (48, 64)),
])
def test_heatmap_metadata_decode_equals_codec(codec):
    rng = np.random.default_rng(1)
    keypoints = rng.uniform(20, 170, (1, 17, 2)).astype(np.float32)
    heatmaps = codec.encode(keypoints)['heatmaps'][None]
    meta = dict(outputs='heatmaps', decode=codec.decode_args())
    kpts, scores = decode_outputs([heatmaps], meta)
    ref_kpts, ref_scores = codec.decode(heatmaps)
    np.testing.assert_array_equal(kpts, ref_kpts)
    np.testing.assert_array_equal(scores, ref_scores)
    assert np.abs(kpts - keypoints).max() < 2.5  # quarter pixel of stride 4


def test_unknown_output_kind_is_named():
    with pytest.raises(ValueError, match="'depth'"):
        decode_outputs([np.zeros((1, 17, 2))], dict(outputs='depth'))
