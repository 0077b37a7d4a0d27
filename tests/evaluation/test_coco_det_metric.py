import json

import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData

from rtmpose.evaluation import CocoDetMetric
from rtmpose.structures import DetDataSample

GT_BOXES = {1: [[10, 10, 100, 100]], 2: [[50, 40, 100, 100],
                                          [200, 100, 80, 120]]}  # xywh


def _write_gt(path, crowd_box=None):
    anns = []
    for img_id, boxes in GT_BOXES.items():
        for box in boxes:
            anns.append(dict(id=len(anns) + 1, image_id=img_id, category_id=1,
                             bbox=box, area=box[2] * box[3], iscrowd=0))
    if crowd_box is not None:
        anns.append(dict(id=len(anns) + 1, image_id=1, category_id=1,
                         bbox=crowd_box, area=crowd_box[2] * crowd_box[3],
                         iscrowd=1))
    path.write_text(json.dumps(dict(
        images=[dict(id=i, file_name=f'{i}.jpg', width=400, height=300)
                for i in GT_BOXES],
        annotations=anns,
        categories=[dict(id=1, name='person')])))
    return str(path)


def _sample(img_id, xywh, scores=None):
    boxes = np.array(xywh, np.float32).reshape(-1, 4)
    boxes[:, 2:] += boxes[:, :2]
    sample = DetDataSample(metainfo=dict(img_id=img_id))
    sample.pred_instances = InstanceData(
        bboxes=torch.from_numpy(boxes),
        scores=torch.tensor(scores if scores is not None else
                            [0.9] * len(boxes)),
        labels=torch.zeros(len(boxes), dtype=torch.long))
    return sample


def _evaluate(ann_file, samples, **kwargs):
    metric = CocoDetMetric(ann_file=ann_file, **kwargs)
    metric.dataset_meta = dict(classes=('person', ))
    metric.process({}, samples)
    return metric.evaluate(len(samples))


def test_perfect_boxes_give_ap_1(tmp_path):
    ann = _write_gt(tmp_path / 'gt.json')
    out = _evaluate(ann, [_sample(i, b) for i, b in GT_BOXES.items()])
    assert out['coco/bbox_mAP'] == 1.0
    assert out['coco/bbox_mAP_50'] == 1.0
    assert out['coco/bbox_AR@100'] == 1.0


def test_known_shift_drops_ap_by_iou_thresholds(tmp_path):
    # a 100 x 100 box shifted 20 px: IoU 80 / 120 = 0.667, a match at
    # IoU thresholds 0.50 ... 0.65 (4 of 10), a miss from 0.70
    ann = _write_gt(tmp_path / 'gt.json')
    shifted = {i: [[x + 0.2 * w, y, w, h] for x, y, w, h in b]
               for i, b in GT_BOXES.items()}
    out = _evaluate(ann, [_sample(i, b) for i, b in shifted.items()])
    assert out['coco/bbox_mAP'] == pytest.approx(0.4)
    assert out['coco/bbox_mAP_50'] == 1.0
    assert out['coco/bbox_mAP_75'] == 0.0


def test_detection_on_a_crowd_box_is_not_a_false_positive(tmp_path):
    crowd = [250, 150, 100, 100]
    preds = [_sample(1, [GT_BOXES[1][0], crowd], [0.5, 0.9]),
             _sample(2, GT_BOXES[2])]
    on_crowd = _evaluate(_write_gt(tmp_path / 'crowd.json', crowd), preds)
    assert on_crowd['coco/bbox_mAP'] == 1.0
    # the same detection where there is nothing: a top-ranked false positive
    on_nothing = _evaluate(_write_gt(tmp_path / 'plain.json'), preds)
    assert on_nothing['coco/bbox_mAP'] < 0.9


def test_results_dump_is_coco_detection_json(tmp_path):
    ann = _write_gt(tmp_path / 'gt.json')
    out = _evaluate(ann, [_sample(1, GT_BOXES[1])], format_only=True,
                    outfile_prefix=str(tmp_path / 'dets'))
    assert out == {}
    dets = json.loads((tmp_path / 'dets.bbox.json').read_text())
    assert dets == [dict(image_id=1, bbox=[10.0, 10.0, 100.0, 100.0],
                         score=pytest.approx(0.9), category_id=1)]


def test_unknown_image_and_class_are_named(tmp_path):
    ann = _write_gt(tmp_path / 'gt.json')
    with pytest.raises(ValueError, match='image ids \\[7\\]'):
        _evaluate(ann, [_sample(7, GT_BOXES[1])])
    metric = CocoDetMetric(ann_file=ann)
    metric.dataset_meta = dict(classes=('car', ))
    metric.process({}, [_sample(1, GT_BOXES[1])])
    with pytest.raises(ValueError, match='car'):
        metric.evaluate(1)
