import numpy as np
import pytest
import torch
from mmengine.registry import init_default_scope
from mmengine.structures import InstanceData

from rtmpose.codecs import SimCCLabel
from rtmpose.models.pose_estimators import input_to_image_coords
from rtmpose.registry import MODELS
from rtmpose.structures import PoseDataSample, get_warp_matrix

K, SIZE = 5, 64  # keypoints; square input SIZE x SIZE
FLIP_INDICES = [0, 2, 1, 4, 3]
CODEC = dict(type='SimCCLabel', input_size=(SIZE, SIZE), sigma=(2., 2.))


def build_model(flip_test=False, shift_flip=False):
    init_default_scope('rtmpose')
    model = MODELS.build(
        dict(
            type='TopdownPoseEstimator',
            data_preprocessor=dict(
                type='PoseDataPreprocessor',
                mean=[123.675, 116.28, 103.53],
                std=[58.395, 57.12, 57.375],
                bgr_to_rgb=True),
            backbone=dict(
                type='CSPNeXt',
                deepen_factor=0.167,
                widen_factor=0.125,
                out_indices=(4, ),
                norm_cfg=dict(type='SyncBN'),
                act_cfg=dict(type='SiLU')),
            head=dict(
                type='RTMCCHead',
                in_channels=128,
                out_channels=K,
                final_layer_kernel_size=3,
                gau_cfg=dict(hidden_dims=32, s=16, act_fn='SiLU'),
                loss=dict(type='KLDiscretLoss', beta=10., label_softmax=True),
                decoder=CODEC),
            test_cfg=dict(flip_test=flip_test, shift_flip=shift_flip)))
    model.init_weights()
    return model


def sample(center=(100., 80.), scale=(128., 128.), udp=False, keypoints=None):
    s = PoseDataSample(
        metainfo=dict(
            input_center=np.array(center, np.float32),
            input_scale=np.array(scale, np.float32),
            input_size=(SIZE, SIZE),
            input_udp=udp,
            flip_indices=FLIP_INDICES))
    s.gt_instances = InstanceData(
        bboxes=np.array([[10., 20., 30., 40.]], np.float32),
        bbox_scores=np.array([0.9], np.float32))
    if keypoints is not None:
        enc = SimCCLabel(input_size=(SIZE, SIZE), sigma=(2., 2.)).encode(
            keypoints[None], np.ones((1, K), np.float32))
        s.gt_instance_labels = InstanceData(
            **{k: torch.from_numpy(v) for k, v in enc.items()})
    return s


@pytest.mark.parametrize('udp', [False, True])
def test_input_to_image_coords_inverts_the_crop_warp(udp):
    center = np.array([150.5, 90.25], np.float32)
    scale = np.array([120., 160.], np.float32)
    size = (48, 64)
    img_pts = np.array([[100., 50.], [170.3, 120.9], [150.5, 90.25]],
                       np.float32)
    mat = get_warp_matrix(center, scale, 0., size, use_udp=udp)
    input_pts = img_pts @ mat[:, :2].T + mat[:, 2]
    meta = dict(input_center=center, input_scale=scale, input_size=size,
                input_udp=udp)
    np.testing.assert_allclose(
        input_to_image_coords(input_pts, meta), img_pts, atol=1e-3)


def test_input_to_image_coords_numbers():
    meta = dict(input_center=[100., 80.], input_scale=[128., 64.],
                input_size=(64, 32))
    # non-UDP: kp * scale / size + center - scale / 2
    np.testing.assert_allclose(
        input_to_image_coords(np.array([[0., 0.], [32., 16.]]), meta),
        [[36., 48.], [100., 80.]])
    # UDP: (kp - (size - 1) / 2) * scale / (size - 1) + center
    meta['input_udp'] = True
    np.testing.assert_allclose(
        input_to_image_coords(np.array([[31.5, 15.5], [63., 31.]]), meta),
        [[100., 80.], [164., 112.]])
    with pytest.raises(KeyError, match='input_center'):
        input_to_image_coords(np.zeros((1, 2)), dict(input_scale=[1, 1]))


def test_predict_maps_to_image_pixels_and_copies_boxes():
    model = build_model().eval()
    inputs = torch.randn(2, 3, SIZE, SIZE)
    samples = [sample(), sample(center=(50., 60.), scale=(64., 64.))]
    fixed = np.array([[[0., 0.], [32., 32.], [16., 48.], [64., 0.],
                       [10., 20.]]], np.float32)
    model.head.predict = lambda feats, data_samples, test_cfg: [
        InstanceData(keypoints=fixed.copy(),
                     keypoint_scores=np.ones((1, K), np.float32))
        for _ in data_samples
    ]
    with torch.no_grad():
        out = model(inputs, samples, mode='predict')
    np.testing.assert_allclose(out[0].pred_instances.keypoints,
                               fixed * 2 + [100 - 64, 80 - 64])
    np.testing.assert_allclose(out[1].pred_instances.keypoints,
                               fixed + [50 - 32, 60 - 32])
    np.testing.assert_array_equal(out[0].pred_instances.bboxes,
                                  [[10., 20., 30., 40.]])
    np.testing.assert_array_equal(out[0].pred_instances.bbox_scores,
                                  np.float32([0.9]))


def test_output_keypoint_indices_select_and_order_keypoints():
    model = build_model().eval()
    model.test_cfg['output_keypoint_indices'] = [3, 0]
    fixed = np.arange(K * 2, dtype=np.float32).reshape(1, K, 2)
    model.head.predict = lambda feats, data_samples, test_cfg: [
        InstanceData(keypoints=fixed.copy(),
                     keypoint_scores=np.arange(K, dtype=np.float32)[None])
    ]
    with torch.no_grad():
        out = model(torch.randn(1, 3, SIZE, SIZE),
                    [sample(center=(SIZE / 2, SIZE / 2),
                            scale=(SIZE, SIZE))], mode='predict')
    pred = out[0].pred_instances
    np.testing.assert_allclose(pred.keypoints, [[[6., 7.], [0., 1.]]])
    np.testing.assert_array_equal(pred.keypoint_scores, [[3., 0.]])


@pytest.mark.parametrize('shift_flip, mirror_width',
                         [(True, SIZE - 1), (False, SIZE - 1 / 2)])
def test_flip_test_is_mirror_consistent(shift_flip, mirror_width):
    """Predictions on a crop and on its mirror are mirror images, keypoints
    swapped: x -> W - 1 - x with the exact flip undo (shift_flip); with the
    reference's plain bin reversal (default) the mirror axis sits half a bin
    further right, x -> W - 1/k - x (k = 2)."""
    torch.manual_seed(0)
    model = build_model(flip_test=True, shift_flip=shift_flip).eval()
    inputs = torch.randn(1, 3, SIZE, SIZE)
    # center = size / 2, scale = size: image pixels == input pixels
    crop = dict(center=(SIZE / 2, SIZE / 2), scale=(SIZE, SIZE))
    with torch.no_grad():
        a = model(inputs, [sample(**crop)], mode='predict')[0]
        b = model(inputs.flip(-1), [sample(**crop)], mode='predict')[0]
    a, b = a.pred_instances, b.pred_instances
    mirrored = b.keypoints[:, FLIP_INDICES].copy()
    mirrored[..., 0] = mirror_width - mirrored[..., 0]
    np.testing.assert_allclose(a.keypoints, mirrored, atol=1e-5)
    np.testing.assert_allclose(a.keypoint_scores,
                               b.keypoint_scores[:, FLIP_INDICES], atol=1e-5)


def test_flip_test_batches_both_views_like_separate_passes():
    torch.manual_seed(0)
    model = build_model(flip_test=True).eval()
    inputs = torch.randn(2, 3, SIZE, SIZE)
    seen = {}

    def fake_predict(feats, data_samples, test_cfg):
        seen['feats'] = feats
        return [
            InstanceData(keypoints=np.zeros((1, K, 2), np.float32))
            for _ in data_samples
        ]

    model.head.predict = fake_predict
    with torch.no_grad():
        model(inputs, [sample(), sample()], mode='predict')
        plain = model.extract_feat(inputs)[-1]
        flipped = model.extract_feat(inputs.flip(-1))[-1]
    torch.testing.assert_close(seen['feats'][0][-1], plain)
    torch.testing.assert_close(seen['feats'][1][-1], flipped)


def test_tensor_mode_and_bad_mode():
    model = build_model().eval()
    with torch.no_grad():
        pred_x, pred_y = model(torch.randn(2, 3, SIZE, SIZE), mode='tensor')
    assert pred_x.shape == (2, K, 2 * SIZE) and pred_y.shape == (2, K,
                                                                   2 * SIZE)
    with pytest.raises(ValueError, match='mode'):
        model(torch.randn(1, 3, SIZE, SIZE), mode='train')


def test_train_steps_decrease_loss():
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    model = build_model().train()
    data = dict(
        inputs=[
            torch.randint(0, 256, (3, SIZE, SIZE), dtype=torch.uint8)
            for _ in range(4)
        ],
        data_samples=[
            sample(keypoints=rng.uniform(4, 60, (K, 2)).astype(np.float32))
            for _ in range(4)
        ])
    optim = torch.optim.AdamW(model.parameters(), lr=5e-3)
    losses = []
    for _ in range(8):
        batch = model.data_preprocessor(data, training=True)
        loss = model(**batch, mode='loss')
        assert set(loss) == {'loss_kpt', 'acc_pose'}
        optim.zero_grad()
        loss['loss_kpt'].backward()
        optim.step()
        losses.append(loss['loss_kpt'].item())
    assert losses[-1] < 0.9 * losses[0]


def test_data_preprocessor_normalises_and_swaps_channels():
    model = build_model()
    img = torch.zeros(3, 4, 4, dtype=torch.uint8)
    img[0] = 10  # B
    img[2] = 200  # R
    batch = model.data_preprocessor(
        dict(inputs=[img, img], data_samples=[sample(), sample()]))
    x = batch['inputs']
    assert x.shape == (2, 3, 4, 4) and x.dtype == torch.float32
    assert torch.allclose(x[:, 0], torch.tensor((200 - 123.675) / 58.395))
    assert torch.allclose(x[:, 1], torch.tensor((0 - 116.28) / 57.12))
    assert torch.allclose(x[:, 2], torch.tensor((10 - 103.53) / 57.375))


def test_input_spec_and_derived_head_args():
    """The model says what crops it takes; the head's input size and map
    size come from the codec and the backbone's declared stride."""
    model = build_model()
    assert model.head.input_size == (SIZE, SIZE)
    assert model.head.in_featuremap_size == (SIZE // 32, SIZE // 32)
    spec = model.input_spec
    assert spec.input_size == (SIZE, SIZE)
    assert spec.codec is model.head.decoder
    np.testing.assert_allclose(spec.mean, [123.675, 116.28, 103.53])
    np.testing.assert_allclose(spec.std, [58.395, 57.12, 57.375])
    assert (spec.bgr_to_rgb, spec.bbox_padding, spec.use_udp) == \
        (True, 1.25, False)


@pytest.mark.parametrize('backbone', [
    dict(type='CSPNeXt', deepen_factor=0.167, widen_factor=0.125,
         out_indices=(1, 3, 4)),
    dict(type='VisionTransformer', img_size=(64, 48), patch_size=16,
         patch_cfg=dict(padding=2),
         arch=dict(embed_dims=32, num_layers=1, num_heads=2,
                   feedforward_channels=64)),
])
def test_backbones_declare_their_maps(backbone):
    """Declared out_channels and out_sizes = the maps a forward gives."""
    init_default_scope('rtmpose')
    net = MODELS.build(backbone).eval()
    size = (48, 64)  # (w, h)
    with torch.no_grad():
        maps = net(torch.zeros(1, 3, size[1], size[0]))
    assert [m.shape[1] for m in maps] == list(net.out_channels)
    assert [(m.shape[3], m.shape[2]) for m in maps] == net.out_sizes(size)
    assert len(net.out_strides) == len(maps)
