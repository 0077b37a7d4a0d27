"""RTMDet against the reference mmdet 3.3.0 on the same random weights:
forward outputs, post-processing of the same head outputs, and the loss of
one training step. Skips without the reference venv."""
import os
import os.path as osp
import subprocess

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.structures import InstanceData

from rtmpose.registry import MODELS
from rtmpose.structures import DetDataSample

REF_PYTHON = '/tmp/mmpose-ref/bin/python'
REF_CONFIGS = ('/tmp/mmpose-ref/lib/python3.11/site-packages/mmpose/.mim/'
               'demo/mmdetection_cfg/')
# ours -> the reference's; nano: depthwise, separate convs; m: shared
# convs, exp on the distances
CONFIGS = {
    'nano': 'configs/rtmdet/person/rtmdet_nano_320-8xb32_coco-person.py',
    'm': 'configs/rtmdet/person/rtmdet_m_640-8xb32_coco-person.py',
}
# Run by the reference venv: ``python SCRIPT WORK_DIR`` reads inputs.pt
# (state_dict, input batch, GT boxes, head outputs for post-processing) and
# writes reference.pt (forward outputs, detections, losses). mmcv's compiled
# NMS is replaced by a brute-force greedy loop (in this script only).
REF_SCRIPT = r'''
import os.path as osp
import sys

import torch


def greedy_nms_indices(bboxes, scores, iou_threshold, offset=0):
    """Plain greedy NMS, one box at a time (mmcv's nms semantics)."""
    order = scores.sort(descending=True).indices.tolist()
    x1, y1, x2, y2 = bboxes.unbind(1)
    areas = (x2 - x1 + offset) * (y2 - y1 + offset)
    keep = []
    suppressed = set()
    for pos, i in enumerate(order):
        if i in suppressed:
            continue
        keep.append(i)
        for j in order[pos + 1:]:
            if j in suppressed:
                continue
            w = (min(x2[i], x2[j]) - max(x1[i], x1[j]) + offset).clamp(min=0)
            h = (min(y2[i], y2[j]) - max(y1[i], y1[j]) + offset).clamp(min=0)
            inter = w * h
            if inter / (areas[i] + areas[j] - inter) > iou_threshold:
                suppressed.add(j)
    return torch.tensor(keep, dtype=torch.long)


class _TorchNMSExt:

    @staticmethod
    def nms(bboxes, scores, iou_threshold, offset):
        return greedy_nms_indices(bboxes, scores, iou_threshold, offset)


def main(work_dir):
    import mmcv.ops  # noqa: F401
    from mmengine.config import Config
    from mmengine.structures import InstanceData
    from mmdet.registry import MODELS
    from mmdet.structures import DetDataSample
    from mmdet.utils import register_all_modules

    # the module, not the function of the same name mmcv.ops exports
    sys.modules['mmcv.ops.nms'].ext_module = _TorchNMSExt()
    register_all_modules()
    data = torch.load(osp.join(work_dir, 'inputs.pt'))
    cfg = Config.fromfile(data['config'])
    for part in ('backbone', 'neck', 'bbox_head'):
        cfg.model[part].norm_cfg = dict(type='BN')
    cfg.model.backbone.pop('init_cfg', None)
    model = MODELS.build(cfg.model)
    model.load_state_dict(data['state_dict'])

    out = {}
    model.eval()
    with torch.no_grad():
        cls_scores, bbox_preds = model(data['inputs'], mode='tensor')
    out['cls_scores'] = list(cls_scores)
    out['bbox_preds'] = list(bbox_preds)

    # post-processing on given head outputs
    with torch.no_grad():
        dets = model.bbox_head.predict_by_feat(
            data['post_cls_scores'], data['post_bbox_preds'],
            batch_img_metas=data['img_metas'], rescale=True)
    out['dets'] = [dict(bboxes=d.bboxes, scores=d.scores, labels=d.labels)
                   for d in dets]

    # one training-mode loss
    model.train()
    samples = []
    for meta, (boxes, labels) in zip(data['img_metas'], data['gts']):
        s = DetDataSample(metainfo=dict(meta))
        s.gt_instances = InstanceData(bboxes=boxes, labels=labels)
        samples.append(s)
    losses = model.loss(data['inputs'], samples)
    out['losses'] = {k: torch.stack([x.detach() for x in v]).sum()
                     for k, v in losses.items()}
    torch.save(out, osp.join(work_dir, 'reference.pt'))


if __name__ == '__main__':
    main(sys.argv[1])
'''

pytestmark = pytest.mark.skipif(
    not (osp.isfile(REF_PYTHON) and osp.isdir(REF_CONFIGS)),
    reason='reference venv /tmp/mmpose-ref not available')


def _random_model(config: str):
    init_default_scope('rtmpose')
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(config).model)
    # random, non-trivial weights and BN statistics
    with torch.no_grad():
        for name, t in model.state_dict().items():
            if t.dtype.is_floating_point:
                if name.endswith('running_var'):
                    t.uniform_(0.5, 1.5)
                elif name.endswith('running_mean'):
                    t.normal_(0, 0.1)
                elif t.ndim == 1:
                    t.normal_(0, 0.1)
                else:
                    t.normal_(0, 0.2)
    return model


@pytest.fixture(scope='module', params=sorted(CONFIGS))
def compared(request, tmp_path_factory):
    return run_both(request.param,
                    str(tmp_path_factory.mktemp('rtmdet_parity')))


def run_both(size: str, work: str):
    """Ours and the reference's outputs on the same weights and inputs."""
    config = CONFIGS[size]
    model = _random_model(config)
    g = torch.Generator().manual_seed(1)
    inputs = torch.randn(2, 3, 320, 320, generator=g)
    # post-processing input: logits around the score threshold, distances
    # of a few strides
    sizes = [(40, 40), (20, 20), (10, 10)]
    post_cls = [torch.randn(2, 1, h, w, generator=g) * 2 - 3 for h, w in sizes]
    post_reg = [
        torch.rand(2, 4, h, w, generator=g) * 4 * s
        for (h, w), s in zip(sizes, (8, 16, 32))
    ]
    img_metas = [
        dict(img_shape=(320, 320), ori_shape=(640, 640),
             scale_factor=(0.5, 0.5), pad_shape=(320, 320),
             batch_input_shape=(320, 320)),
        dict(img_shape=(320, 320), ori_shape=(400, 400),
             scale_factor=(0.8, 0.8), pad_shape=(320, 320),
             batch_input_shape=(320, 320)),
    ]
    gts = [(torch.tensor([[20., 30., 120., 300.], [150., 40., 260., 200.]]),
            torch.tensor([0, 0])),
           (torch.tensor([[5., 5., 60., 90.]]), torch.tensor([0]))]
    torch.save(
        dict(config=REF_CONFIGS + osp.basename(config), state_dict=model.state_dict(), inputs=inputs,
             post_cls_scores=post_cls, post_bbox_preds=post_reg,
             img_metas=img_metas, gts=gts), osp.join(work, 'inputs.pt'))
    env = dict(os.environ, OMP_NUM_THREADS='1', PYTHONPATH='')
    script = osp.join(work, 'rtmdet_reference.py')
    with open(script, 'w') as f:
        f.write(REF_SCRIPT)
    proc = subprocess.run([REF_PYTHON, script, work], env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    ref = torch.load(osp.join(work, 'reference.pt'))

    ours = {}
    model.eval()
    with torch.no_grad():
        cls_scores, bbox_preds = model(inputs, None, mode='tensor')
        ours['cls_scores'], ours['bbox_preds'] = cls_scores, bbox_preds
        ours['dets'] = model.bbox_head.predict_by_feat(
            post_cls, post_reg, img_metas, rescale=True)
    model.train()
    samples = []
    for meta, (boxes, labels) in zip(img_metas, gts):
        s = DetDataSample(metainfo=meta)
        s.gt_instances = InstanceData(bboxes=boxes, labels=labels)
        samples.append(s)
    losses = model(inputs, samples, mode='loss')
    ours['losses'] = {
        k: torch.stack([x.detach() for x in v]).sum()
        for k, v in losses.items()
    }
    return ours, ref


def test_forward_matches_reference(compared):
    ours, ref = compared
    for name in ('cls_scores', 'bbox_preds'):
        for a, b in zip(ours[name], ref[name]):
            assert a.shape == b.shape
            scale = b.abs().max().item()
            assert (a - b).abs().max().item() <= 1e-4 * max(scale, 1.0)


def test_postprocess_matches_reference(compared):
    ours, ref = compared
    for mine, theirs in zip(ours['dets'], ref['dets']):
        assert len(theirs['scores']) > 10  # the case is not trivial
        assert mine.bboxes.shape == theirs['bboxes'].shape
        assert torch.allclose(mine.scores, theirs['scores'], atol=1e-6)
        assert torch.allclose(mine.bboxes, theirs['bboxes'], atol=1e-4)
        assert torch.equal(mine.labels, theirs['labels'])


def test_loss_matches_reference(compared):
    ours, ref = compared
    for name in ('loss_cls', 'loss_bbox'):
        assert ref['losses'][name].item() > 0
        assert ours['losses'][name].item() == pytest.approx(
            ref['losses'][name].item(), rel=1e-4, abs=1e-6)
