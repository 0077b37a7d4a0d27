"""Every codec declares its output kind, decode arguments and argmax scale;
``decode`` is the kind's function from the one dispatch table."""
import json

import numpy as np
import pytest

from rtmpose.codecs import (DECODERS, BaseKeypointCodec, MSRAHeatmap,
                            SimCCLabel, UDPHeatmap, decode_by_kind)

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
    by_table = DECODERS[codec.kind](*outputs, **stored)
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
