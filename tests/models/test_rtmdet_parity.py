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
RUNNER = osp.join(osp.dirname(__file__), 'reference', 'rtmdet_reference.py')

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
    proc = subprocess.run([REF_PYTHON, RUNNER, work], env=env,
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
