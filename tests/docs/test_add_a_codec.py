"""docs/add_a_codec.md, worked example: a codec and its output kind
defined here (outside the package) train, test and export with an RTMCC
head through the normal tools, and the ONNX runtime decodes with the kind
(config: configs/toy_codec.py)."""
import numpy as np

from rtmpose.codecs import OutputKind, register_output_kind
from rtmpose.codecs.simcc_decoding import simcc_graph_argmax
from rtmpose.codecs.simcc_label import SimCCLabel
from rtmpose.registry import KEYPOINT_CODECS

from five_keypoints import train_test_export


def decode_soft_argmax(simcc_x, simcc_y, simcc_split_ratio, temperature):
    """SimCC logits (N, K, Wx), (N, K, Wy) -> keypoints (N, K, 2) input
    pixels, the expected bin under a softmax of each axis, and scores
    (N, K), the smaller of the two axes' highest probability. numpy only
    (the runtime decodes with it)."""
    def expect(logits):
        prob = np.exp((logits - logits.max(-1, keepdims=True)) / temperature)
        prob /= prob.sum(-1, keepdims=True)
        return (prob * np.arange(logits.shape[-1])).sum(-1), prob.max(-1)

    (x, x_score), (y, y_score) = expect(simcc_x), expect(simcc_y)
    keypoints = np.stack([x, y], -1) / simcc_split_ratio
    return (keypoints.astype(np.float32),
            np.minimum(x_score, y_score).astype(np.float32))


# what export and the runtime need: output names, numpy decoding, and the
# plain argmax an exported graph may decode with (SimCC's)
register_output_kind(
    OutputKind('simcc_soft_argmax', ('simcc_x', 'simcc_y'),
               decode_soft_argmax, simcc_graph_argmax))


@KEYPOINT_CODECS.register_module()
class SoftArgmaxSimCC(SimCCLabel):
    """SimCC targets (as ``SimCCLabel``), decoded by a soft-argmax."""

    kind = 'simcc_soft_argmax'

    def __init__(self, *args, temperature: float = 1.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.temperature = float(temperature)

    def decode_args(self) -> dict:
        return dict(simcc_split_ratio=self.simcc_split_ratio,
                    temperature=self.temperature)

    def refinement(self) -> str:
        return 'soft-argmax'


def test_soft_argmax_round_trip():
    codec = SoftArgmaxSimCC(input_size=(64, 64), sigma=(2.8, 2.8),
                            normalize=False, temperature=0.05)
    kpts = np.array([[[10.25, 20.5], [40., 33.75]]], np.float32)
    encoded = codec.encode(kpts)
    # the labels as logits: the soft-argmax lands within half a pixel
    found, scores = codec.decode(np.log(encoded['keypoint_x_labels'] + 1e-9),
                                 np.log(encoded['keypoint_y_labels'] + 1e-9))
    np.testing.assert_allclose(found, kpts, atol=0.5)
    assert scores.shape == (1, 2)


def test_toy_codec_trains_tests_and_exports(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = train_test_export('toy_codec.py', tmp_path)
    assert 0.0 <= out['metrics']['coco/AP'] <= 1.0
    assert out['meta']['outputs'] == 'simcc_soft_argmax'
    assert out['meta']['decode'] == dict(simcc_split_ratio=2.0,
                                         temperature=1.0)
    (onnx_kpts, onnx_scores), (kpts, scores) = out['onnx'], out['torch']
    assert kpts.shape == (1, 5, 2)
    np.testing.assert_allclose(onnx_kpts, kpts, atol=1e-3)
    np.testing.assert_allclose(onnx_scores, scores, atol=1e-4)
