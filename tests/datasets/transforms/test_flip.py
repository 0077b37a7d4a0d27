import numpy as np
import pytest

from rtmpose.datasets.transforms import RandomFlip

FLIP_INDICES = [0, 2, 1, 4, 3]


def _results():
    rng = np.random.default_rng(0)
    img = rng.integers(0, 256, (40, 60, 3), dtype=np.uint8)
    kpts = np.array([[[10, 5], [20, 7], [30, 9], [40, 11], [50, 13]]],
                    np.float32)
    return dict(
        img=img,
        bbox=np.array([[5, 2, 45, 30]], np.float32),
        bbox_center=np.array([[25, 16]], np.float32),
        bbox_scale=np.array([[50, 35]], np.float32),
        keypoints=kpts,
        keypoints_visible=np.array([[1, 1, 0, 1, 0]], np.float32),
        flip_indices=FLIP_INDICES)


def test_flip_image_and_keypoints_consistently():
    orig = _results()
    out = RandomFlip(prob=1.0)(_results())
    assert out['flip'] is True and out['flip_direction'] == 'horizontal'
    np.testing.assert_array_equal(out['img'], orig['img'][:, ::-1])
    # Keypoint k of the output is the mirrored flip_indices[k] of the input.
    for k, src in enumerate(FLIP_INDICES):
        x, y = orig['keypoints'][0, src]
        np.testing.assert_allclose(out['keypoints'][0, k], [59 - x, y])
        assert out['keypoints_visible'][0, k] == \
            orig['keypoints_visible'][0, src]
        # The pixel under the keypoint is the same before and after.
        xo, yo = out['keypoints'][0, k].astype(int)
        np.testing.assert_array_equal(out['img'][yo, xo],
                                      orig['img'][int(y), int(x)])
    np.testing.assert_allclose(out['bbox_center'], [[59 - 25, 16]])


def test_flip_twice_is_identity():
    orig = _results()
    flip = RandomFlip(prob=1.0)
    out = flip(flip(_results()))
    for key in ('img', 'keypoints', 'keypoints_visible', 'bbox',
                'bbox_center'):
        np.testing.assert_array_equal(out[key], orig[key], err_msg=key)


def test_no_flip_with_prob_zero():
    orig = _results()
    out = RandomFlip(prob=0.0)(_results())
    assert out['flip'] is False and out['flip_direction'] is None
    np.testing.assert_array_equal(out['img'], orig['img'])
    np.testing.assert_array_equal(out['keypoints'], orig['keypoints'])


def test_flip_rate_and_bad_args():
    np.random.seed(0)
    flip = RandomFlip(prob=0.5)
    rate = np.mean([flip(_results())['flip'] for _ in range(400)])
    assert 0.4 < rate < 0.6
    with pytest.raises(ValueError, match='horizontal'):
        RandomFlip(direction='vertical')
    results = _results()
    results['flip_indices'] = [0, 1]
    with pytest.raises(ValueError, match='flip_indices'):
        RandomFlip(prob=1.0)(results)
    assert 'prob=0.5' in repr(flip)
