import cv2
import numpy as np
import pytest

from rtmpose.codecs import (MSRAHeatmap, UDPHeatmap, gaussian_blur,
                            get_heatmap_maximum)

INPUT, HEATMAP = (192, 256), (48, 64)


def interior_keypoints(codec, n=400, margin=4, seed=0):
    """(1, n, 2) input pixels at least ``margin`` heatmap pixels from the
    map border (nearer, the zero-padded smoothing of DARK pulls the peak)."""
    rng = np.random.default_rng(seed)
    lo = margin * codec.scale_factor
    hi = (np.array(HEATMAP) - 1 - margin) * codec.scale_factor
    return rng.uniform(lo, hi, (1, n, 2)).astype(np.float32)


@pytest.mark.parametrize('codec', [
    UDPHeatmap(INPUT, HEATMAP, sigma=2),
    MSRAHeatmap(INPUT, HEATMAP, sigma=2, unbiased=True),
], ids=['udp', 'msra-dark'])
def test_round_trip_subpixel(codec):
    kpts = interior_keypoints(codec)
    enc = codec.encode(kpts)
    assert enc['heatmaps'].shape == (400, 64, 48)
    assert enc['heatmaps'].dtype == np.float32
    np.testing.assert_array_equal(enc['keypoint_weights'], 1)
    decoded, scores = codec.decode(enc['heatmaps'])
    assert decoded.shape == (1, 400, 2) and scores.shape == (1, 400)
    err = np.abs(decoded - kpts).max()
    print(f'{type(codec).__name__} round-trip max error {err:.4f} px')
    assert err < 0.2
    assert scores.min() > 0.9


def test_dark_beats_argmax_and_quarter_offset():
    codec = MSRAHeatmap(INPUT, HEATMAP, sigma=2, unbiased=True)
    kpts = interior_keypoints(codec, seed=1)
    maps = codec.encode(kpts)['heatmaps']
    dark = np.abs(codec.decode(maps)[0] - kpts).mean()
    locs, _ = get_heatmap_maximum(maps)
    argmax = np.abs(locs * codec.scale_factor - kpts[0]).mean()
    plain = MSRAHeatmap(INPUT, HEATMAP, sigma=2, unbiased=False)
    quarter = np.abs(plain.decode(maps)[0] - kpts).mean()
    print(f'mean error px: argmax {argmax:.3f}, quarter offset '
          f'{quarter:.3f}, DARK {dark:.4f}')
    assert argmax > 0.8  # uniform sub-pixel offsets: ~1 px on average
    assert quarter < argmax
    assert dark < 0.05 < quarter


def test_msra_biased_encoding_is_on_the_rounded_pixel():
    codec = MSRAHeatmap(INPUT, HEATMAP, sigma=2)
    maps = codec.encode(np.array([[[41.0, 50.5]]], np.float32))['heatmaps']
    # 41 / 4 = 10.25 -> column 10; 50.5 / 4 = 12.625 -> row 13
    assert np.unravel_index(maps[0].argmax(), maps[0].shape) == (13, 10)
    assert maps[0, 13, 10] == 1.0
    # cut to 3 sigma = 6 pixels around the centre
    assert maps[0, 13, 16] > 0 and maps[0, 13, 17] == 0


def test_msra_integer_centre_truncates_toward_zero():
    """The reference's int(x / 4 + 0.5) truncates toward zero: x = -2.8 px
    (heatmap -0.7) gets its peak on column 0 (flooring would put the centre
    at -1 and leave exp(-1/8) there)."""
    codec = MSRAHeatmap(INPUT, HEATMAP, sigma=2)
    maps = codec.encode(np.array([[[-2.8, 40.0]]], np.float32))['heatmaps']
    assert maps[0, 10, 0] == 1.0
    np.testing.assert_allclose(maps[0, 10, 1], np.exp(-1 / 8), rtol=1e-6)


@pytest.mark.parametrize('x, weight, column0', [
    (-28.0, 1, np.exp(-36 / 8)),  # -7 -> centre int(-6.5) = -6, reaches 0
    (-30.0, 1, 0.0),  # -7.5 -> centre -7: support ends at column 0 (kept)
    (-32.0, 1, 0.0),  # -8 -> int(-7.5) = -7 again
    (-34.4, 0, 0.0),  # -8.6 -> centre -8: support ends at -1, dropped
])
def test_msra_keep_rule_left_of_the_map(x, weight, column0):
    codec = MSRAHeatmap(INPUT, HEATMAP, sigma=2)
    enc = codec.encode(np.array([[[x, 40.0]]], np.float32))
    assert enc['keypoint_weights'][0, 0] == weight
    np.testing.assert_allclose(enc['heatmaps'][0, 10, 0], column0, rtol=1e-6)
    assert enc['heatmaps'][0, :, 1:].max() == (0 if x < -29 else
                                               enc['heatmaps'][0, 10, 1])


def test_udp_gaussian_is_cut_at_three_sigma():
    codec = UDPHeatmap(INPUT, HEATMAP, sigma=2)
    # input x = 94 * 47 / 191 = 23.13 heatmap pixels
    maps = codec.encode(np.array([[[94.0, 126.0]]], np.float32))['heatmaps']
    row = maps[0, 31]
    assert row[17] > 0 and row[29] > 0 and row[16] == 0 and row[30] == 0


def test_weights_invisible_and_off_map():
    codec = UDPHeatmap(INPUT, HEATMAP, sigma=2)
    kpts = np.array([[[50, 50], [60, 60], [-40, 50], [-20, 50],
                      [50, 400]]], np.float32)
    visible = np.array([[1, 0, 1, 1, 1]], np.float32)
    enc = codec.encode(kpts, visible)
    # -40 px -> -9.8 heatmap px: support [-16, -4] misses the map;
    # -20 px -> -4.9: support [-11, 1] touches column 0 and 1
    np.testing.assert_array_equal(enc['keypoint_weights'],
                                  [[1, 0, 0, 1, 0]])
    assert enc['heatmaps'][1].max() == 0 and enc['heatmaps'][2].max() == 0
    assert enc['heatmaps'][3].max() > 0


def test_multiple_instances_merge_by_maximum():
    codec = MSRAHeatmap(INPUT, HEATMAP, sigma=2)
    kpts = np.array([[[40, 40]], [[120, 200]]], np.float32)
    enc = codec.encode(kpts)
    assert enc['heatmaps'].shape == (1, 64, 48)
    assert enc['keypoint_weights'].shape == (2, 1)
    assert enc['heatmaps'][0, 10, 10] == 1 and enc['heatmaps'][0, 50, 30] == 1


def test_batched_decode_equals_per_sample():
    codec = UDPHeatmap(INPUT, HEATMAP, sigma=2)
    rng = np.random.default_rng(3)
    maps = rng.random((3, 17, 64, 48)).astype(np.float32)
    kpts, scores = codec.decode(maps)
    assert kpts.shape == (3, 17, 2) and scores.shape == (3, 17)
    for i in range(3):
        k, s = codec.decode(maps[i])
        np.testing.assert_allclose(kpts[i:i + 1], k, atol=1e-5)
        np.testing.assert_allclose(scores[i:i + 1], s)


def test_non_positive_maps_decode_to_minus_one_heatmap_pixel():
    """As the reference: a missing maximum is location -1 in heatmap
    pixels, scaled to input pixels like any location (UDP refines it from
    the padded corner: a flat map moves it by 0)."""
    maps = np.zeros((2, 64, 48), np.float32)
    maps[1, 20, 20] = 1
    kpts, scores = UDPHeatmap(INPUT, HEATMAP, sigma=2).decode(maps)
    np.testing.assert_allclose(kpts[0, 0], [-191 / 47, -255 / 63], rtol=1e-6)
    assert scores[0, 0] == 0 and scores[0, 1] == 1
    kpts, _ = MSRAHeatmap(INPUT, HEATMAP, sigma=2).decode(maps)
    np.testing.assert_array_equal(kpts[0, 0], [-4, -4])


def test_udp_combined_round_trip():
    codec = UDPHeatmap(INPUT, HEATMAP, heatmap_type='combined')
    kpts = interior_keypoints(codec, n=17, margin=8, seed=2)
    visible = np.ones((1, 17), np.float32)
    visible[0, 3] = 0
    enc = codec.encode(kpts, visible)
    assert enc['heatmaps'].shape == (51, 64, 48)
    assert enc['heatmaps'][9:12].max() == 0  # keypoint 3 is invisible
    decoded, _ = codec.decode(enc['heatmaps'])
    err = np.abs(decoded - kpts)[0, np.arange(17) != 3].max()
    assert err < 0.2


def test_gaussian_blur_vectorised_equals_padded_reference():
    rng = np.random.default_rng(4)
    maps = rng.random((600, 16, 12)).astype(np.float32)  # > 512 channels
    out = gaussian_blur(maps, 11)
    for i in (0, 511, 599):
        pad = np.zeros((26, 22), np.float32)
        pad[5:-5, 5:-5] = maps[i]
        ref = cv2.GaussianBlur(pad, (11, 11), 0)[5:-5, 5:-5]
        ref *= maps[i].max() / ref.max()
        np.testing.assert_allclose(out[i], ref, rtol=1e-5, atol=1e-6)


def test_bad_arguments():
    with pytest.raises(ValueError, match='heatmap_type'):
        UDPHeatmap(INPUT, HEATMAP, heatmap_type='offset')
    with pytest.raises(ValueError, match='odd'):
        MSRAHeatmap(INPUT, HEATMAP, sigma=2, blur_kernel_size=10)
    with pytest.raises(ValueError, match=r'\(N, K, 2\)'):
        UDPHeatmap(INPUT, HEATMAP).encode(np.zeros((17, 2)))
    with pytest.raises(ValueError, match='heatmaps'):
        UDPHeatmap(INPUT, HEATMAP).decode(np.zeros((64, 48)))


@pytest.mark.parametrize('x, y, moves', [
    (1, 10, (0, 1)),   # second column: no x shift (the reference's 1 < x)
    (2, 10, (1, 1)),
    (46, 10, (1, 1)),  # W - 2
    (10, 0, (0, 0)),   # first row: neither (0 < y for x, 1 < y for y)
    (10, 1, (1, 0)),   # second row: x only
    (0, 10, (0, 0)),   # first column: neither
])
def test_quarter_refinement_bounds_are_the_reference(x, y, moves):
    """The classic quarter-pixel step moves x for 2 <= x <= W - 2 and
    y >= 1, y for 2 <= y <= H - 2 and x >= 1 (mmpose's refine_keypoints)."""
    from rtmpose.codecs.heatmap_decoding import refine_keypoints_quarter
    maps = np.zeros((1, 64, 48), np.float32)
    maps[0, y, x] = 1.0
    maps[0, min(y + 1, 63), min(x + 1, 47)] = 0.5  # raise the +x/+y sides
    maps[0, y, min(x + 1, 47)] = maps[0, min(y + 1, 63), x] = 0.5
    maps[0, y, x] = 1.0
    out = refine_keypoints_quarter(np.array([[x, y]], np.float32), maps)
    np.testing.assert_array_equal(out[0] - (x, y), np.multiply(moves, 0.25))


def test_udp_far_off_maximum_keeps_subpixel_digits():
    """An ill-conditioned DARK step (a faint noisy slope) lands
    far outside the crop; decoding and the crop-to-image mapping run in
    float64 as the reference's, so the image coordinate equals the float64
    evaluation of the refined heatmap location (float32 arithmetic: ~1e-3
    px off at 1e4 px)."""
    from rtmpose.codecs.heatmap_decoding import (get_heatmap_maximum,
                                                 refine_keypoints_dark_udp)
    from rtmpose.structures.bbox import input_to_image
    codec = UDPHeatmap(INPUT, HEATMAP, sigma=2)
    yy, xx = np.mgrid[:64, :48]
    rng = np.random.default_rng(12)
    a, b = rng.normal(0, 0.02, (2, 17, 1, 1))
    maps = (0.3 + a * (xx - 24) + b * (yy - 32) +
            1e-2 * rng.normal(size=(17, 64, 48)))
    # faint maps: the clip at 1e-3 flattens the log around some maxima
    maps = (maps * rng.uniform(0.001, 0.01, (17, 1, 1))).astype(np.float32)
    center = np.float32([500.3, 400.7])
    scale = np.float32([300.2, 400.27])
    keypoints = input_to_image(codec.decode(maps)[0], center, scale, INPUT,
                               use_udp=True)
    locs = refine_keypoints_dark_udp(get_heatmap_maximum(maps)[0], maps, 11)
    # the reference: l / (W - 1) * w, then the non-UDP input-to-image map
    expected = (locs / (np.array(HEATMAP) - 1.) * INPUT / INPUT *
                scale.astype(np.float64) + center - 0.5 * scale.astype(
                    np.float64))
    assert np.abs(expected).max() > 1e3
    np.testing.assert_allclose(keypoints[0], expected, rtol=0, atol=1e-6)
    assert keypoints.dtype == np.float64
