"""RTMDet: published layouts, forward shapes, preprocessing, post-processing
into image pixels, checkpoint loading and ``inference_detector``."""
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from listings import assert_matches_listing

import rtmpose.models  # noqa: F401  (registers the model parts)
from rtmpose import checkpoint as ckpt_io
from rtmpose.apis import inference_detector, init_model
from rtmpose.registry import MODELS

REPO = Path(__file__).resolve().parents[2]
CONFIGS = {
    'nano': REPO / 'configs/rtmdet/person/rtmdet_nano_320-8xb32_coco-person.py',
    'm': REPO / 'configs/rtmdet/person/rtmdet_m_640-8xb32_coco-person.py',
}
LISTINGS = {
    'nano': 'rtmdet-nano_coco-person-320.txt',
    'm': 'rtmdet-m_coco-person-640.txt'
}
# unique parameters, millions (the m model shares its head convs)
PARAMS_M = {'nano': 0.994, 'm': 24.663}


def build(size: str):
    init_default_scope('rtmpose')
    return MODELS.build(Config.fromfile(str(CONFIGS[size])).model)


@pytest.mark.parametrize('size', sorted(CONFIGS))
def test_state_dict_matches_listing(size):
    assert_matches_listing(build(size).state_dict(), LISTINGS[size])


@pytest.mark.parametrize('size', sorted(CONFIGS))
def test_parameter_count(size):
    count = sum(p.numel() for p in build(size).parameters()) / 1e6
    assert round(count, 3) == PARAMS_M[size]


def test_m_head_shares_convs_not_norms():
    head = build('m').bbox_head
    assert head.cls_convs[2][1].conv is head.cls_convs[0][1].conv
    assert head.reg_convs[1][0].conv is head.reg_convs[0][0].conv
    assert head.cls_convs[2][1].bn is not head.cls_convs[0][1].bn
    nano = build('nano').bbox_head
    assert (nano.cls_convs[1][0].depthwise_conv.conv is
            not nano.cls_convs[0][0].depthwise_conv.conv)


def test_tensor_mode_shapes():
    model = build('nano').eval()
    with torch.no_grad():
        cls_scores, bbox_preds = model(torch.randn(2, 3, 320, 256), None,
                                       mode='tensor')
    assert [tuple(c.shape) for c in cls_scores] == [(2, 1, 40, 32),
                                                    (2, 1, 20, 16),
                                                    (2, 1, 10, 8)]
    assert [tuple(b.shape) for b in bbox_preds] == [(2, 4, 40, 32),
                                                    (2, 4, 20, 16),
                                                    (2, 4, 10, 8)]


def test_preprocessor_pads_raw_pixels_to_multiple_of_32():
    from rtmpose.structures import DetDataSample
    pre = build('nano').data_preprocessor
    imgs = [
        torch.full((3, 50, 70), 10, dtype=torch.uint8),
        torch.full((3, 64, 40), 200, dtype=torch.uint8)
    ]
    samples = [DetDataSample(), DetDataSample()]
    out = pre(dict(inputs=imgs, data_samples=samples))
    batch = out['inputs']
    assert batch.shape == (2, 3, 64, 96)
    mean = torch.tensor([103.53, 116.28, 123.675])
    std = torch.tensor([57.375, 57.12, 58.395])
    # channels stay BGR: channel 0 uses the B mean
    assert torch.allclose(batch[0, :, 0, 0], (10 - mean) / std)
    assert torch.allclose(batch[0, :, 60, 90], (114 - mean) / std)
    assert torch.allclose(batch[1, :, 10, 50], (114 - mean) / std)
    assert out['data_samples'][1].pad_shape == (64, 96)
    assert out['data_samples'][0].batch_input_shape == (64, 96)


def _one_box_outputs(prior_xy, dists, logit=4.0, levels=((40, 40), (20, 20),
                                                          (10, 10))):
    """Head outputs with a single confident prior on level 0."""
    cls = [torch.full((1, 1, h, w), -10.0) for h, w in levels]
    reg = [torch.full((1, 4, h, w), 1.0) for h, w in levels]
    x, y = prior_xy
    cls[0][0, 0, y // 8, x // 8] = logit
    reg[0][0, :, y // 8, x // 8] = torch.tensor(dists)
    return cls, reg


def test_predict_maps_boxes_to_original_image_pixels():
    head = build('nano').bbox_head
    # a 640x480 image resized by 0.5 to 320x240, padded to 320x320
    meta = dict(img_shape=(320, 320), ori_shape=(480, 640),
                scale_factor=(0.5, 0.5))
    cls, reg = _one_box_outputs((80, 40), [30., 20., 50., 100.])
    pred = head.predict_by_feat(cls, reg, [meta])[0]
    assert pred.bboxes.tolist() == [[100., 40., 260., 280.]]
    assert pred.scores.tolist() == pytest.approx([1 / (1 + np.exp(-4.0))])
    assert pred.labels.tolist() == [0]
    # a box reaching into the padding is clipped to the image
    cls, reg = _one_box_outputs((160, 200), [10., 10., 10., 100.])
    pred = head.predict_by_feat(cls, reg, [meta])[0]
    assert pred.bboxes.tolist() == [[300., 380., 340., 480.]]
    # below the score threshold: nothing
    cls, reg = _one_box_outputs((80, 40), [30., 20., 50., 100.], logit=-3.0)
    assert len(head.predict_by_feat(cls, reg, [meta])[0].scores) == 0


def test_predict_nms_and_limits():
    head = build('nano').bbox_head
    meta = dict(img_shape=(320, 320), ori_shape=(320, 320),
                scale_factor=(1.0, 1.0))
    g = torch.Generator().manual_seed(0)
    cls = [torch.randn(1, 1, s, s, generator=g) * 2 for s in (40, 20, 10)]
    reg = [torch.rand(1, 4, s, s, generator=g) * 30 + 5 for s in (40, 20,
                                                                 10)]
    pred = head.predict_by_feat(cls, reg, [meta])[0]
    assert len(pred.scores) == 100
    assert (pred.scores[:-1] >= pred.scores[1:]).all()
    assert (pred.scores > 0.05).all()
    from rtmpose.structures import bbox_overlaps
    iou = bbox_overlaps(pred.bboxes, pred.bboxes).triu(1)
    assert iou.max() <= 0.6


def _published_checkpoint(model, path):
    """mmdet's layout: EMA weights in state_dict, raw ones (module.-prefixed,
    with a step counter) in ema_state_dict, numpy values in meta."""
    sd = model.state_dict()
    ema = {'steps': torch.tensor(10)}
    ema.update({f'module.{k}': v.clone() for k, v in sd.items()})
    torch.save(
        dict(state_dict=sd, ema_state_dict=ema,
             meta=dict(epoch=100, iter=np.int64(1000),
                       hist=np.arange(3.0),
                       dataset_meta=dict(classes=('person', )))), path)


@pytest.fixture(scope='module')
def nano_checkpoint(tmp_path_factory):
    model = build('nano')
    torch.manual_seed(3)
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0, 0.05)
        for cls_conv in model.bbox_head.rtm_cls:
            cls_conv.bias.fill_(2.0)  # many boxes above the threshold
    path = tmp_path_factory.mktemp('rtmdet') / 'rtmdet_nano_person.pth'
    _published_checkpoint(model, path)
    return str(path), model.state_dict()


def test_published_layout_loads_strictly_through_init_model(nano_checkpoint):
    path, expected = nano_checkpoint
    loaded = ckpt_io.load_checkpoint(path)  # safe unpickling
    assert set(loaded) == {'state_dict', 'ema_state_dict', 'meta'}
    model = init_model(str(CONFIGS['nano']), path)
    assert not model.training
    got = model.state_dict()
    assert all(torch.equal(got[k], expected[k]) for k in expected)
    assert model.dataset_meta == {'classes': ('person', )}


def test_inference_detector_path_and_arrays(nano_checkpoint, tmp_path):
    path, _ = nano_checkpoint
    model = init_model(str(CONFIGS['nano']), path)
    rng = np.random.default_rng(0)
    img = rng.integers(0, 255, (240, 360, 3), dtype=np.uint8)
    img_path = str(tmp_path / 'img.png')
    cv2.imwrite(img_path, img)
    bboxes, scores = inference_detector(model, img_path)
    assert bboxes.dtype == np.float32 and scores.dtype == np.float32
    assert bboxes.shape == (len(scores), 4) and 0 < len(scores) <= 100
    assert (np.diff(scores) <= 0).all()
    assert (bboxes[:, [0, 2]] <= 360).all() and (bboxes[:, [1, 3]] <= 240
                                                  ).all()
    assert (bboxes >= 0).all()
    # same image as a uint8 array and as a float array
    b2, s2 = inference_detector(model, img)
    np.testing.assert_array_equal(b2, bboxes)
    b3, s3 = inference_detector(model, img.astype(np.float64))
    np.testing.assert_allclose(s3, scores, atol=1e-3)
    with pytest.raises(ValueError, match=r'\(H, W, 3\)'):
        inference_detector(model, img[..., 0])


def test_loss_with_and_without_boxes():
    from mmengine.structures import InstanceData

    from rtmpose.structures import DetDataSample
    model = build('nano').train()
    torch.manual_seed(0)
    inputs = torch.randn(2, 3, 128, 128)

    def samples(boxes_per_image):
        out = []
        for boxes in boxes_per_image:
            s = DetDataSample(metainfo=dict(img_shape=(128, 128)))
            boxes = torch.tensor(boxes, dtype=torch.float32).reshape(-1, 4)
            s.gt_instances = InstanceData(
                bboxes=boxes, labels=torch.zeros(len(boxes), dtype=torch.long))
            out.append(s)
        return out

    losses = model(inputs, samples([[[10, 10, 90, 120]], []]), mode='loss')
    assert set(losses) == {'loss_cls', 'loss_bbox'}
    assert len(losses['loss_cls']) == 3
    total = sum(sum(v) for v in losses.values())
    assert torch.isfinite(total) and total > 0
    total.backward()
    assert model.bbox_head.rtm_reg[0].weight.grad is not None
    # no box anywhere: classification pushes all scores down, no box loss
    model.zero_grad()
    empty = model(inputs, samples([[], []]), mode='loss')
    assert sum(empty['loss_bbox']).item() == 0
    assert sum(empty['loss_cls']).item() > 0
