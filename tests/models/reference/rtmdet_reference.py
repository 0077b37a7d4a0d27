"""Run by the reference venv (mmdet 3.3.0) from test_rtmdet_parity.py.

``python rtmdet_reference.py WORK_DIR``: reads ``inputs.pt`` (state_dict,
input batch, GT boxes, head outputs for post-processing) and writes
``reference.pt`` (forward outputs, losses, detections). mmcv's compiled
NMS is replaced by a brute-force greedy loop (this script only).
"""
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
