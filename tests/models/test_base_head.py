"""The predict skeleton of BaseHead on a head whose forward is the identity."""
import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData

from rtmpose.codecs import MSRAHeatmap
from rtmpose.models.heads import BaseHead
from rtmpose.structures import PoseDataSample


class IdentityHead(BaseHead):
    output_names = ('heatmaps', )

    def __init__(self):
        super().__init__()
        self.decoder = MSRAHeatmap(input_size=(32, 32), heatmap_size=(8, 8),
                                   sigma=1.0)
        self.merged = None

    def forward(self, feats):
        return feats[-1]

    def loss(self, feats, batch_data_samples, train_cfg=None):
        return {}

    def merge_flip(self, outputs, flipped, flip_indices, test_cfg):
        self.merged = (flip_indices, test_cfg)
        return torch.maximum(outputs, flipped)


def _maps(peaks):
    maps = torch.zeros(len(peaks), 1, 8, 8)
    for i, (x, y) in enumerate(peaks):
        maps[i, 0, y, x] = 1.
    return maps


def _samples(n, **meta):
    return [PoseDataSample(metainfo=meta) for _ in range(n)]


def test_predict_decodes_and_packs_per_sample():
    head = IdentityHead()
    preds = head.predict((_maps([(1, 2), (5, 6)]), ), _samples(2),
                         dict(output_heatmaps=True))
    assert [type(p) for p in preds] == [InstanceData] * 2
    # heatmap pixel (x, y) -> input pixel 4 * (x, y) (stride 32 / 8)
    np.testing.assert_allclose(preds[0].keypoints, [[[4., 8.]]])
    np.testing.assert_allclose(preds[1].keypoints, [[[20., 24.]]])
    assert preds[1].keypoint_scores.shape == (1, 1)
    assert preds[1].heatmaps.shape == (1, 1, 8, 8)
    assert 'heatmaps' not in head.predict((_maps([(1, 2)]), ), _samples(1))[0]


def test_flip_test_goes_through_merge_flip():
    head = IdentityHead()
    feats, flipped = (_maps([(1, 2)]), ), (_maps([(6, 2)]), )
    cfg = dict(flip_test=True, shift_heatmap=True)
    head.predict([feats, flipped], _samples(1, flip_indices=[0]), cfg)
    assert head.merged == ([0], cfg)
    with pytest.raises(KeyError, match='flip_indices'):
        head.predict([feats, flipped], _samples(1), dict(flip_test=True))
    head.decoder = None
    with pytest.raises(RuntimeError, match='IdentityHead.predict needs a '
                       'decoder'):
        head.predict(feats, _samples(1))
