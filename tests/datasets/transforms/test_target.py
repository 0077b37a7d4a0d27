import numpy as np
import pytest

from rtmpose.codecs import SimCCLabel
from rtmpose.datasets.transforms import GenerateTarget

CODEC = dict(type='SimCCLabel', input_size=(192, 256), sigma=(4.9, 5.66),
             simcc_split_ratio=2.0, normalize=False)


def _results():
    return dict(
        keypoints=np.full((1, 3, 2), -500, np.float32),  # image space
        transformed_keypoints=np.array([[[10, 20], [100, 200], [300, 5]]],
                                       np.float32),
        keypoints_visible=np.array([[1, 1, 1]], np.float32),
        dataset_keypoint_weights=np.array([1.0, 1.5, 2.0], np.float32))


def test_generate_target_uses_transformed_keypoints():
    gen = GenerateTarget(encoder=CODEC)
    assert isinstance(gen.encoder, SimCCLabel)
    out = gen(_results())
    assert out['keypoint_x_labels'].shape == (1, 3, 384)
    assert out['keypoint_y_labels'].shape == (1, 3, 512)
    assert out['keypoint_x_labels'][0, 0].argmax() == 20
    # Third keypoint is outside the 192-wide input.
    np.testing.assert_array_equal(out['keypoint_weights'], [[1, 1, 0]])
    assert out['label_mapping_table'] == SimCCLabel.label_mapping_table


def test_dataset_keypoint_weights():
    out = GenerateTarget(
        encoder=CODEC, use_dataset_keypoint_weights=True)(_results())
    np.testing.assert_allclose(out['keypoint_weights'], [[1.0, 1.5, 0.0]])


def test_missing_keypoints_error():
    with pytest.raises(KeyError, match='keypoints_visible'):
        GenerateTarget(encoder=CODEC)(dict(keypoints=np.zeros((1, 3, 2))))
    assert 'SimCCLabel' in repr(GenerateTarget(encoder=CODEC))


@pytest.mark.parametrize('codec', [
    CODEC,
    dict(type='MSRAHeatmap', input_size=(192, 256), heatmap_size=(48, 64),
         sigma=2),
])
def test_non_finite_keypoint_gives_finite_targets_and_zero_weight(codec):
    results = _results()
    results['transformed_keypoints'][0, 1] = [np.nan, 200]
    results['transformed_keypoints'][0, 0, 1] = np.inf
    out = GenerateTarget(encoder=codec)(results)
    for name, value in out.items():
        if isinstance(value, np.ndarray) and name not in (
                'keypoints', 'transformed_keypoints'):
            assert np.isfinite(value).all(), name
    np.testing.assert_array_equal(out['keypoint_weights'], [[0, 0, 0]])


def test_codec_emitting_non_finite_is_an_error():

    class BrokenCodec(SimCCLabel):

        def encode(self, keypoints, keypoints_visible=None):
            encoded = super().encode(keypoints, keypoints_visible)
            encoded['keypoint_x_labels'][0, 0, 0] = np.nan
            return encoded

    broken = BrokenCodec(input_size=(192, 256), sigma=(4.9, 5.66))
    results = dict(_results(), img_path='x.jpg', id=42)
    with pytest.raises(ValueError, match=r"BrokenCodec produced a non-finite "
                       r"'keypoint_x_labels' for x.jpg \(annotation id 42\)"):
        GenerateTarget(encoder=broken)(results)
