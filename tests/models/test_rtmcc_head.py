import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData

from rtmpose.codecs import SimCCLabel
from rtmpose.models.heads import RTMCCHead
from rtmpose.models.utils import simcc_pck_accuracy
from rtmpose.structures import PoseDataSample

K, W, H = 5, 48, 64  # keypoints, input width, input height


def make_head(**kwargs):
    cfg = dict(
        in_channels=16,
        out_channels=K,
        input_size=(W, H),
        in_featuremap_size=(3, 4),
        final_layer_kernel_size=3,
        gau_cfg=dict(hidden_dims=32, s=16, act_fn='SiLU'),
        loss=dict(type='KLDiscretLoss', beta=10., label_softmax=True),
        decoder=dict(type='SimCCLabel', input_size=(W, H), sigma=(2., 2.)))
    cfg.update(kwargs)
    head = RTMCCHead(**cfg)
    head.init_weights()
    return head


def labelled_samples(keypoints):
    codec = SimCCLabel(input_size=(W, H), sigma=(2., 2.))
    samples = []
    for kpts in keypoints:
        enc = codec.encode(kpts[None], np.ones((1, K), np.float32))
        sample = PoseDataSample(metainfo=dict(flip_indices=[0, 2, 1, 4, 3]))
        sample.gt_instance_labels = InstanceData(
            **{k: torch.from_numpy(v) for k, v in enc.items()})
        samples.append(sample)
    return samples


def test_forward_shapes_and_layout():
    head = make_head()
    pred_x, pred_y = head((torch.randn(2, 16, 4, 3), ))
    assert pred_x.shape == (2, K, 2 * W) and pred_y.shape == (2, K, 2 * H)
    assert head.mlp[1].weight.shape == (32, 12)
    assert head.gau.uv.weight.shape == (2 * 64 + 16, 32)
    with pytest.raises(ValueError, match='in_featuremap_size'):
        head((torch.randn(2, 16, 3, 4), ))


def test_unknown_gau_key_rejected():
    with pytest.raises(KeyError, match='hidden_dim'):
        make_head(gau_cfg=dict(hidden_dim=32))


def test_loss_and_accuracy():
    rng = np.random.default_rng(0)
    kpts = rng.uniform(5, 40, (2, K, 2)).astype(np.float32)
    head = make_head()
    losses = head.loss((torch.randn(2, 16, 4, 3), ), labelled_samples(kpts))
    assert set(losses) == {'loss_kpt', 'acc_pose'}
    assert losses['loss_kpt'].ndim == 0 and losses['loss_kpt'] > 0
    assert losses['loss_kpt'].requires_grad
    assert 0 <= losses['acc_pose'] <= 1
    with pytest.raises(KeyError, match='keypoint_x_labels'):
        head.loss((torch.randn(1, 16, 4, 3), ), [PoseDataSample()])


def test_pck_accuracy_numbers():
    """mmpose's convention: x / input height, y / input width, thr 0.05,
    mean over keypoints of the per-keypoint accuracy."""
    # input 100 wide, 300 high, 2 bins per pixel; labels at (50, 150) px
    gx, gy = torch.zeros(2, 4, 200), torch.zeros(2, 4, 600)
    gx[..., 100] = 1
    gy[..., 300] = 1
    px, py = gx.clone(), gy.clone()
    px[0, 1] = torch.roll(px[0, 1], 24)  # 12 px in x: 12 / 300 < 0.05
    py[0, 2] = torch.roll(py[0, 2], 12)  # 6 px in y: 6 / 100 > 0.05
    px[1, 0] = 0  # no positive maximum: decodes to -1, wrong
    weights = torch.tensor([[1., 1., 1., 0.], [1., 0., 0., 0.]])
    acc = simcc_pck_accuracy(px, py, gx, gy, weights, (100, 300), 2.0)
    # keypoint 0: 1 of 2, keypoint 1: 1 of 1, keypoint 2: 0 of 1
    assert acc.item() == pytest.approx((0.5 + 1 + 0) / 3)
    none = simcc_pck_accuracy(px, py, gx, gy, weights * 0, (100, 300), 2.0)
    assert none == 0


def test_predict_decodes_forward_outputs():
    head = make_head().eval()
    feats = (torch.randn(3, 16, 4, 3), )
    with torch.no_grad():
        preds = head.predict(feats, [PoseDataSample()] * 3,
                             dict(output_heatmaps=True))
        pred_x, pred_y = head(feats)
    assert len(preds) == 3
    for i, pred in enumerate(preds):
        assert pred.keypoints.shape == (1, K, 2)
        assert pred.keypoint_scores.shape == (1, K)
        expected = torch.stack([pred_x[i].argmax(-1), pred_y[i].argmax(-1)],
                               -1) / 2.0
        np.testing.assert_allclose(pred.keypoints[0], expected.numpy())
        np.testing.assert_allclose(pred.keypoint_x_labels[0], pred_x[i])
        assert pred.keypoint_y_labels.shape == (1, K, 2 * H)


def test_predict_flip_averages_flipped_back_vectors():
    head = make_head().eval()
    feats, feats_flip = (torch.randn(1, 16, 4, 3), ), (torch.randn(
        1, 16, 4, 3), )
    samples = [PoseDataSample(metainfo=dict(flip_indices=[0, 2, 1, 4, 3]))]
    with torch.no_grad():
        pred = head.predict([feats, feats_flip], samples,
                            dict(flip_test=True, output_heatmaps=True))[0]
        x0, y0 = head(feats)
        x1, y1 = head(feats_flip)
    idx = [0, 2, 1, 4, 3]
    x1 = x1[:, idx].flip(-1)
    x1 = torch.cat([x1[..., 1:], x1[..., -1:]], -1)  # shift by k - 1 = 1 bin
    np.testing.assert_allclose(pred.keypoint_x_labels, (x0 + x1) / 2,
                               atol=1e-6)
    np.testing.assert_allclose(pred.keypoint_y_labels,
                               (y0 + y1[:, idx]) / 2, atol=1e-6)
    with pytest.raises(KeyError, match='flip_indices'):
        head.predict([feats, feats_flip], [PoseDataSample()],
                     dict(flip_test=True))


def test_predict_without_decoder_fails_clearly():
    head = make_head(decoder=None)
    with pytest.raises(RuntimeError, match='decoder'):
        head.predict((torch.randn(1, 16, 4, 3), ), [PoseDataSample()], {})
