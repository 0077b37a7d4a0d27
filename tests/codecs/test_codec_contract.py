"""Every codec declares its output kind, decode arguments and argmax scale;
``decode`` is its registered output kind's function."""
import json

import numpy as np
import pytest

import torch

from rtmpose.codecs import (BaseKeypointCodec, MSRAHeatmap, SimCCLabel,
                            UDPHeatmap, decode_by_kind, get_output_kind)

CODECS = [
    SimCCLabel(input_size=(192, 256), sigma=(4.9, 5.66),
               simcc_split_ratio=2.0, use_dark=True),
    MSRAHeatmap(input_size=(192, 256), heatmap_size=(48, 64), sigma=2),
    UDPHeatmap(input_size=(192, 256), heatmap_size=(48, 64), sigma=2),
]


@pytest.mark.parametrize('codec', CODECS, ids=lambda c: type(c).__name__)
def test_decode_is_the_kinds_function(codec):
    kpts = np.array([[[20.5, 30.25], [100., 200.], [150.75, 10.5]]])
    outputs = [codec.encode(kpts)[key][None] if key == 'heatmaps' else
               codec.encode(kpts)[key] for key in
               (('keypoint_x_labels', 'keypoint_y_labels')
                if codec.kind == 'simcc' else ('heatmaps', ))]
    stored = json.loads(json.dumps(codec.decode_args()))  # as export does
    by_table = get_output_kind(codec.kind).decode(*outputs, **stored)
    for mine, table in zip(codec.decode(*outputs), by_table):
        np.testing.assert_array_equal(mine, table)
    # and the round trip lands within half an output unit
    err = np.abs(codec.decode(*outputs)[0] - kpts).max()
    assert err <= 0.5 * max(codec.argmax_scale()), err


def test_argmax_scale_and_refinement():
    simcc, msra, udp = CODECS
    assert simcc.argmax_scale() == (0.5, 0.5) and simcc.refinement() == 'DARK'
    assert msra.argmax_scale() == (4.0, 4.0)
    assert msra.refinement() == 'quarter'
    assert udp.refinement() == 'dark_udp'
    combined = UDPHeatmap(input_size=(192, 256), heatmap_size=(48, 64),
                          heatmap_type='combined', sigma=2)
    with pytest.raises(NotImplementedError, match='combined'):
        combined.argmax_scale()


def test_unknown_kind_and_incomplete_codec_are_refused():
    with pytest.raises(ValueError, match="'depth'"):
        decode_by_kind('depth', [], {})

    class NoDecodeArgs(BaseKeypointCodec):
        kind = 'simcc'

        def encode(self, keypoints, keypoints_visible=None):
            return {}

    with pytest.raises(TypeError, match='decode_args'):
        NoDecodeArgs()


@pytest.mark.parametrize('codec', CODECS, ids=lambda c: type(c).__name__)
def test_graph_argmax_is_the_plain_argmax(codec):
    """The kind's in-graph argmax (tensor methods) = numpy's argmax."""
    rng = np.random.default_rng(0)
    kind = get_output_kind(codec.kind)
    shapes = ([(2, 3, 384), (2, 3, 512)] if codec.kind == 'simcc' else
              [(2, 3, 64, 48)])
    outputs = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    x, y, scores = kind.graph_argmax(*map(torch.from_numpy, outputs))
    if codec.kind == 'simcc':
        expected = (outputs[0].argmax(-1), outputs[1].argmax(-1),
                    np.minimum(outputs[0].max(-1), outputs[1].max(-1)))
    else:
        flat = outputs[0].reshape(2, 3, -1)
        expected = (flat.argmax(-1) % 48, flat.argmax(-1) // 48,
                    flat.max(-1))
    for got, want in zip((x, y, scores), expected):
        np.testing.assert_array_equal(got.numpy(), want)
    assert len(kind.output_names) == len(shapes)


def test_codecs_follow_another_input_size_or_refuse():
    simcc, msra, udp = CODECS
    with pytest.raises(ValueError, match=r'fixed to its input_size'):
        simcc.at_input_size((288, 384), lambda: 1 / 0)  # never runs
    assert simcc.at_input_size((192, 256), lambda: 1 / 0) is simcc
    bigger = udp.at_input_size((288, 384), lambda: [(1, 17, 96, 72)])
    assert (type(bigger), bigger.input_size, bigger.heatmap_size,
            bigger.sigma) == (UDPHeatmap, (288, 384), (72, 96), 2.0)
