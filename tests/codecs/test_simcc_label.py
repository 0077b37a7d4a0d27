import numpy as np
import pytest

from rtmpose.codecs import SimCCLabel
from rtmpose.registry import KEYPOINT_CODECS

INPUT_SIZE = (192, 256)  # (w, h)


def _random_keypoints(rng, n=8, k=17):
    """Sub-pixel keypoints inside the representable range [0, W - 1/k]."""
    hi = np.array([INPUT_SIZE[0] - 0.5, INPUT_SIZE[1] - 0.5])
    return rng.uniform(0, hi, (n, k, 2)).astype(np.float32)


def test_label_shapes_and_values():
    codec = SimCCLabel(INPUT_SIZE, sigma=(4.9, 5.66), normalize=False)
    kpts = np.array([[[10.25, 20.5], [100.0, 200.0]]], np.float32)
    enc = codec.encode(kpts, np.ones((1, 2), np.float32))
    assert enc['keypoint_x_labels'].shape == (1, 2, 384)
    assert enc['keypoint_y_labels'].shape == (1, 2, 512)
    assert enc['keypoint_weights'].shape == (1, 2)
    for v in enc.values():
        assert v.dtype == np.float32
    x_lab = enc['keypoint_x_labels'][0, 0]
    # 10.25 px is bin 20.5, rounded half to even to bin 20 (the reference's
    # np.around): peak 1 (unnormalised) there, symmetric neighbours.
    assert x_lab.argmax() == 20 and x_lab[20] == 1
    np.testing.assert_allclose(x_lab[21], np.exp(-1 / (2 * 4.9**2)),
                               rtol=1e-6)
    assert x_lab[19] == x_lab[21]
    # y uses its own sigma (5.66) and is centred at bin 2 * 20.5 = 41.
    y = np.arange(512, dtype=np.float32)
    expected = np.exp(-(y - 41.0)**2 / (2 * 5.66**2))
    np.testing.assert_allclose(enc['keypoint_y_labels'][0, 0], expected,
                               atol=1e-6)


def test_normalize_divides_by_gaussian_normaliser():
    kpts = np.array([[[50.0, 60.0]]], np.float32)
    plain = SimCCLabel(INPUT_SIZE, sigma=6.0, normalize=False).encode(kpts)
    normed = SimCCLabel(INPUT_SIZE, sigma=6.0, normalize=True).encode(kpts)
    ratio = plain['keypoint_x_labels'].max() / normed[
        'keypoint_x_labels'].max()
    assert ratio == pytest.approx(6.0 * np.sqrt(2 * np.pi), rel=1e-5)
    # A normalised Gaussian well inside the range sums to ~1 over bins.
    assert normed['keypoint_x_labels'].sum() == pytest.approx(1.0, abs=1e-3)


def test_weights_keep_keypoints_whose_gaussian_reaches_the_bins():
    """A visible keypoint keeps its weight while [mu - 3 sigma,
    mu + 3 sigma + 1] overlaps the bins on both axes (radius 14.7 x-bins,
    16.98 y-bins here; 384 x 512 bins)."""
    codec = SimCCLabel(INPUT_SIZE, sigma=(4.9, 5.66))
    kpts = np.array([[
        [10, 10],
        [-7.5, 10],  # mu_x = -15: -15 + 14.7 + 1 = 0.7 >= 0, kept
        [-8, 10],  # mu_x = -16: right edge -0.3 < 0, dropped
        [10, 264],  # mu_y = 528: 528 - 16.98 = 511.02 < 512, kept
        [10, 264.5],  # mu_y = 529: 512.02 >= 512, dropped
        [50, 50],  # invisible
        [191.5, 255.5]
    ]], np.float32)
    vis = np.array([[1, 1, 1, 1, 1, 0, 1]], np.float32)
    enc = codec.encode(kpts, vis)
    np.testing.assert_array_equal(enc['keypoint_weights'],
                                  [[1, 1, 0, 1, 0, 0, 1]])
    for i in (2, 4, 5):  # labels of dropped / invisible keypoints are zero
        assert not enc['keypoint_x_labels'][0, i].any()
        assert not enc['keypoint_y_labels'][0, i].any()
    # the kept outside keypoint's label is the tail of a Gaussian at -15
    x = enc['keypoint_x_labels'][0, 1]
    np.testing.assert_allclose(
        x[:3] * 4.9 * np.sqrt(2 * np.pi),
        np.exp(-np.array([15., 16, 17])**2 / (2 * 4.9**2)), rtol=1e-5)


def test_keypoint_just_outside_gets_the_rounded_peak():
    """x = -0.3 px is bin -0.6, rounded to -1: the label peaks at bin 0
    with the value of a Gaussian one bin from its centre, weight 1."""
    codec = SimCCLabel(INPUT_SIZE, sigma=(4.9, 5.66), normalize=False)
    enc = codec.encode(np.array([[[-0.3, 7.26]]], np.float32))
    x, y = enc['keypoint_x_labels'][0, 0], enc['keypoint_y_labels'][0, 0]
    assert enc['keypoint_weights'][0, 0] == 1
    assert x.argmax() == 0
    np.testing.assert_allclose(x[:2], np.exp(-np.array([1., 4]) /
                                             (2 * 4.9**2)), rtol=1e-6)
    # y: 7.26 px is bin 14.52 -> 15
    assert y.argmax() == 15 and y[15] == 1


def test_round_trip_argmax_within_half_bin():
    rng = np.random.default_rng(0)
    codec = SimCCLabel(INPUT_SIZE, sigma=(4.9, 5.66), use_dark=False)
    kpts = _random_keypoints(rng)
    enc = codec.encode(kpts, np.ones(kpts.shape[:2], np.float32))
    dec, scores = codec.decode(enc['keypoint_x_labels'],
                               enc['keypoint_y_labels'])
    assert dec.shape == kpts.shape and scores.shape == kpts.shape[:2]
    # Plain argmax quantises to bins of 1/k = 0.5 px.
    assert np.abs(dec - kpts).max() <= 0.25 + 1e-4
    # Bin-aligned keypoints come back exactly.
    aligned = np.round(kpts * 2) / 2
    enc = codec.encode(aligned)
    dec, _ = codec.decode(enc['keypoint_x_labels'], enc['keypoint_y_labels'])
    np.testing.assert_allclose(dec, aligned, atol=1e-5)


def test_round_trip_dark_returns_the_label_centre():
    """Labels sit on whole bins, so DARK decodes the rounded position."""
    rng = np.random.default_rng(1)
    kpts = _random_keypoints(rng, n=20)
    rounded = np.around(kpts * 2) / 2
    for normalize in (True, False):
        codec = SimCCLabel(
            INPUT_SIZE, sigma=(4.9, 5.66), normalize=normalize, use_dark=True)
        enc = codec.encode(kpts, np.ones(kpts.shape[:2], np.float32))
        dec, _ = codec.decode(enc['keypoint_x_labels'],
                              enc['keypoint_y_labels'])
        # Includes keypoints next to the input border.
        assert np.abs(dec - rounded).max() < 0.05


def test_dark_beats_argmax_on_noisy_responses():
    rng = np.random.default_rng(2)
    kpts = _random_keypoints(rng, n=20)
    plain = SimCCLabel(INPUT_SIZE, sigma=(4.9, 5.66), use_dark=False)
    dark = SimCCLabel(INPUT_SIZE, sigma=(4.9, 5.66), use_dark=True)
    enc = plain.encode(kpts)
    noisy = [
        enc[k] * (1 + 0.02 * rng.standard_normal(enc[k].shape))
        for k in ('keypoint_x_labels', 'keypoint_y_labels')
    ]
    centre = np.around(kpts * 2) / 2
    err_plain = np.abs(plain.decode(*noisy)[0] - centre).mean()
    err_dark = np.abs(dark.decode(*noisy)[0] - centre).mean()
    assert err_dark < 0.5 * err_plain


def test_decode_scores_and_invalid():
    codec = SimCCLabel((4, 3), simcc_split_ratio=1.0, sigma=1.0)
    simcc_x = np.array([[[0.1, 0.9, 0.2, 0.0], [0, 0, 0, 0]]], np.float32)
    simcc_y = np.array([[[0.3, 0.2, 0.5], [0.0, 0.4, 0.1]]], np.float32)
    kpts, scores = codec.decode(simcc_x, simcc_y)
    np.testing.assert_allclose(scores, [[0.5, 0.0]])
    np.testing.assert_allclose(kpts[0, 0], [1, 2])
    np.testing.assert_allclose(kpts[0, 1], [-1, -1])
    # the missing location is bin -1, i.e. -1 / k pixels (the reference)
    kpts, _ = SimCCLabel((2, 3), simcc_split_ratio=2.0, sigma=1.0).decode(
        simcc_x, np.concatenate([simcc_y, simcc_y], -1))
    np.testing.assert_allclose(kpts[0, 1], [-0.5, -0.5])


def test_standard_smoothing():
    codec = SimCCLabel(INPUT_SIZE, smoothing_type='standard',
                       label_smooth_weight=0.1)
    enc = codec.encode(np.array([[[10.2, 20.0]]], np.float32))
    x = enc['keypoint_x_labels'][0, 0]
    assert x.argmax() == 20 and x[20] == pytest.approx(0.9)
    assert x.sum() == pytest.approx(1.0, abs=1e-5)
    with pytest.raises(ValueError, match='standard'):
        SimCCLabel(INPUT_SIZE, label_smooth_weight=0.1)


def test_registry_build_and_repr():
    codec = KEYPOINT_CODECS.build(
        dict(type='SimCCLabel', input_size=INPUT_SIZE, sigma=(4.9, 5.66)))
    assert isinstance(codec, SimCCLabel)
    assert 'sigma=(4.9' in repr(codec)
    assert set(codec.label_mapping_table) == {
        'keypoint_x_labels', 'keypoint_y_labels', 'keypoint_weights'}


def test_encode_rejects_bad_shapes_naming_the_codec():
    codec = SimCCLabel(INPUT_SIZE)
    with pytest.raises(ValueError, match=r'SimCCLabel\.encode: keypoints '
                       r'must be \(N, K, 2\)'):
        codec.encode(np.zeros((17, 2), np.float32))
    with pytest.raises(ValueError, match=r'SimCCLabel\.encode: '
                       'keypoints_visible must be'):
        codec.encode(np.zeros((1, 17, 2), np.float32), np.ones((1, 16)))
    # visibility defaults to all visible
    enc = codec.encode(np.full((1, 17, 2), 50., np.float32))
    np.testing.assert_array_equal(enc['keypoint_weights'], np.ones((1, 17)))
