import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData, PixelData

from rtmpose.codecs import MSRAHeatmap, UDPHeatmap
from rtmpose.models.heads import HeatmapHead
from rtmpose.models.losses import KeypointMSELoss
from rtmpose.models.utils import flip_back_heatmaps, heatmap_pck_accuracy
from rtmpose.structures import PoseDataSample

K, INPUT, HEATMAP = 5, (48, 64), (12, 16)
FLIP = [0, 2, 1, 4, 3]
CODEC = dict(type='UDPHeatmap', input_size=INPUT, heatmap_size=HEATMAP,
             sigma=1.5)


def make_head(**kwargs):
    cfg = dict(in_channels=16, out_channels=K, deconv_out_channels=(8, 8),
               deconv_kernel_sizes=(4, 4), decoder=CODEC)
    cfg.update(kwargs)
    return HeatmapHead(**cfg)


def labelled_samples(keypoints, codec=None):
    codec = codec or UDPHeatmap(INPUT, HEATMAP, sigma=1.5)
    samples = []
    for kpts in keypoints:
        enc = codec.encode(kpts[None])
        sample = PoseDataSample(metainfo=dict(flip_indices=FLIP))
        sample.gt_fields = PixelData(
            heatmaps=torch.from_numpy(enc['heatmaps']))
        sample.gt_instance_labels = InstanceData(
            keypoint_weights=torch.from_numpy(enc['keypoint_weights']))
        samples.append(sample)
    return samples


def test_classic_layout_and_shapes():
    head = make_head()
    keys = [k for k in head.state_dict() if 'loss' not in k]
    assert 'deconv_layers.0.weight' in keys
    assert 'deconv_layers.4.running_var' in keys
    assert head.deconv_layers[0].bias is None
    assert head((torch.randn(2, 16, 4, 3), )).shape == (2, K, 16, 12)
    head3 = make_head(deconv_kernel_sizes=(3, 2),
                      conv_out_channels=(8, ), conv_kernel_sizes=(3, ))
    assert head3((torch.randn(1, 16, 4, 3), )).shape == (1, K, 16, 12)
    assert 'conv_layers.0.weight' in head3.state_dict()


def test_bad_layer_config():
    with pytest.raises(ValueError, match='differ in length'):
        make_head(deconv_kernel_sizes=(4, ))
    with pytest.raises(ValueError, match='deconv kernel 5'):
        make_head(deconv_kernel_sizes=(4, 5))
    with pytest.raises(KeyError, match='final_layer'):
        make_head(final_layer=dict(kernel_size=1, bias=False))


def test_mse_loss_numbers():
    pred = torch.zeros(2, 3, 4, 4)
    target = torch.ones(2, 3, 4, 4)
    weights = torch.tensor([[1., 0., 1.], [0., 0., 0.5]])
    assert KeypointMSELoss()(pred, target) == pytest.approx(1.0)
    loss = KeypointMSELoss(use_target_weight=True, loss_weight=2.)
    # mean over all 6 maps of the weights (1 + 1 + 0.5) / 6, times 2
    assert loss(pred, target, weights) == pytest.approx(2.5 / 6 * 2)
    target[0, 1] = 0
    skip = KeypointMSELoss(skip_empty_channel=True)
    assert skip(pred, target) == pytest.approx(5 / 6)
    with pytest.raises(ValueError, match='target_weights'):
        loss(pred, target)


def test_loss_decreases_and_accuracy():
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    kpts = rng.uniform(8, 40, (4, K, 2)).astype(np.float32)
    samples = labelled_samples(kpts)
    head = make_head(final_layer=dict(kernel_size=1))
    head.init_weights()
    feats = (torch.randn(4, 16, 4, 3), )
    opt = torch.optim.Adam(head.parameters(), lr=1e-2)
    first = None
    for _ in range(30):
        losses = head.loss(feats, samples)
        opt.zero_grad()
        losses['loss_kpt'].backward()
        opt.step()
        if first is None:
            first = losses['loss_kpt'].item()
    assert losses['loss_kpt'].item() < 0.5 * first
    assert 0 <= float(losses['acc_pose']) <= 1
    with pytest.raises(KeyError, match='gt_fields.heatmaps'):
        head.loss(feats, [PoseDataSample()] * 4)


def test_pck_accuracy_numbers():
    """mmpose's convention: x / map height, y / map width, thr 0.05, mean
    over keypoints of the per-keypoint accuracy."""
    target = torch.zeros(1, 4, 40, 20)  # 20 wide, 40 high
    target[0, :, 20, 10] = 1
    pred = target.clone()
    pred[0, 1] = torch.roll(pred[0, 1], 1, -1)  # 1 px in x: 1 / 40 < 0.05
    pred[0, 2] = torch.roll(pred[0, 2], 1, -2)  # 1 px in y: 1 / 20 = 0.05
    weights = torch.tensor([[1., 1., 1., 0.]])
    acc = heatmap_pck_accuracy(pred, target, weights)
    assert float(acc) == pytest.approx(2 / 3)
    pred[0, 0] = 0  # no positive maximum: decodes to -1, wrong
    assert float(heatmap_pck_accuracy(pred, target, weights)) == \
        pytest.approx(1 / 3)


def test_udp_flip_back_is_exact():
    """Heatmaps of the flipped input, flipped back, equal the heatmaps of
    the original input: UDP maps input x to heatmap x (W-1)/(w-1)."""
    codec = UDPHeatmap(INPUT, HEATMAP, sigma=1.5)
    rng = np.random.default_rng(1)
    kpts = rng.uniform(4, 44, (1, K, 2)).astype(np.float32)
    flipped = kpts[:, FLIP].copy()
    flipped[..., 0] = INPUT[0] - 1 - flipped[..., 0]
    maps = torch.from_numpy(codec.encode(kpts)['heatmaps'])[None]
    maps_of_flipped = torch.from_numpy(codec.encode(flipped)['heatmaps'])[None]
    back = flip_back_heatmaps(maps_of_flipped, FLIP)
    torch.testing.assert_close(back, maps, atol=1e-6, rtol=0)


def test_stride_heatmap_flip_needs_shift():
    """With stride-4 heatmaps the flipped-back peak sits 0.75 heatmap px
    (3 input px) left; the one-pixel shift leaves 0.25 px (1 input px)
    right."""
    codec = MSRAHeatmap((192, 256), (48, 64), sigma=2, unbiased=True)
    kpts = np.array([[[60.3, 100.], [130.7, 80.], [90., 150.]]], np.float32)
    flipped = kpts.copy()
    flipped[..., 0] = 191 - flipped[..., 0]
    maps = torch.from_numpy(codec.encode(flipped)['heatmaps'])[None]
    idx = [0, 1, 2]
    plain = codec.decode(flip_back_heatmaps(maps, idx).numpy())[0]
    shifted = codec.decode(flip_back_heatmaps(maps, idx, True).numpy())[0]
    np.testing.assert_allclose(plain[..., 0] - kpts[..., 0], -3, atol=0.05)
    np.testing.assert_allclose(shifted[..., 0] - kpts[..., 0], 1, atol=0.05)
    np.testing.assert_allclose(plain[..., 1], kpts[..., 1], atol=0.05)


def test_predict_flip_test_averages_views():
    torch.manual_seed(0)
    head = make_head().eval()
    feats = (torch.randn(2, 16, 4, 3), )
    samples = labelled_samples(np.zeros((2, K, 2), np.float32) + 20)
    with torch.no_grad():
        single = head.predict(feats, samples, dict(output_heatmaps=True))
        both = head.predict([feats, (feats[0].flip(-1), )], samples,
                            dict(flip_test=True, output_heatmaps=True))
        expected = (head(feats) + flip_back_heatmaps(
            head((feats[0].flip(-1), )), FLIP)) / 2
    assert single[0].keypoints.shape == (1, K, 2)
    assert single[0].keypoint_scores.shape == (1, K)
    assert single[0].heatmaps.shape == (1, K, 16, 12)
    np.testing.assert_allclose(both[1].heatmaps, expected[1:].numpy(),
                               atol=1e-6)
    kpts, _ = head.decoder.decode(expected.numpy())
    np.testing.assert_allclose(both[0].keypoints, kpts[:1], atol=1e-5)
    with pytest.raises(KeyError, match='flip_indices'):
        head.predict([feats, feats], [PoseDataSample()] * 2,
                     dict(flip_test=True))
