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
    # Peak 1 (unnormalised) at bin 20.5 lies between bins 20 and 21.
    assert x_lab.argmax() in (20, 21)
    np.testing.assert_allclose(x_lab[20], np.exp(-0.25 / (2 * 4.9**2)),
                               rtol=1e-5)
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


def test_weights_zero_for_invisible_and_outside():
    codec = SimCCLabel(INPUT_SIZE, sigma=(4.9, 5.66))
    kpts = np.array([[[10, 10], [-1, 10], [10, 256.5], [191.5, 255.5],
                      [50, 50]]], np.float32)
    vis = np.array([[1, 1, 1, 1, 0]], np.float32)
    enc = codec.encode(kpts, vis)
    np.testing.assert_array_equal(enc['keypoint_weights'],
                                  [[1, 0, 0, 1, 0]])
    # Labels of dropped keypoints are all zero.
    for i in (1, 2, 4):
        assert not enc['keypoint_x_labels'][0, i].any()
        assert not enc['keypoint_y_labels'][0, i].any()


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


def test_round_trip_dark_subpixel():
    rng = np.random.default_rng(1)
    kpts = _random_keypoints(rng, n=20)
    for normalize in (True, False):
        codec = SimCCLabel(
            INPUT_SIZE, sigma=(4.9, 5.66), normalize=normalize, use_dark=True)
        enc = codec.encode(kpts, np.ones(kpts.shape[:2], np.float32))
        dec, _ = codec.decode(enc['keypoint_x_labels'],
                              enc['keypoint_y_labels'])
        # Includes keypoints next to the input border.
        assert np.abs(dec - kpts).max() < 0.1


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
    err_plain = np.abs(plain.decode(*noisy)[0] - kpts).mean()
    err_dark = np.abs(dark.decode(*noisy)[0] - kpts).mean()
    assert err_dark < 0.5 * err_plain


def test_decode_scores_and_invalid():
    codec = SimCCLabel((4, 3), simcc_split_ratio=1.0, sigma=1.0)
    simcc_x = np.array([[[0.1, 0.9, 0.2, 0.0], [0, 0, 0, 0]]], np.float32)
    simcc_y = np.array([[[0.3, 0.2, 0.5], [0.0, 0.4, 0.1]]], np.float32)
    kpts, scores = codec.decode(simcc_x, simcc_y)
    np.testing.assert_allclose(scores, [[0.5, 0.0]])
    np.testing.assert_allclose(kpts[0, 0], [1, 2])
    np.testing.assert_allclose(kpts[0, 1], [-1, -1])


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
