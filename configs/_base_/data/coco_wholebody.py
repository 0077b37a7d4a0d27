# COCO-WholeBody v1.0 (133 keypoints), top-down: COCO's images and boxes
# (val2017 on the COCO person detections, AP 56) with the whole-body
# annotations; evaluated by AP/AR of the whole body and of each part. The
# pipelines come with the input size (configs/_base_/inputs/).
_base_ = ['./coco.py']

dataset_type = 'CocoWholeBodyDataset'

train_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        ann_file='annotations/coco_wholebody_train_v1.0.json'))
val_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        ann_file='annotations/coco_wholebody_val_v1.0.json'))
test_dataloader = val_dataloader

val_evaluator = dict(
    _delete_=True,
    type='CocoWholeBodyMetric',
    ann_file='data/coco/annotations/coco_wholebody_val_v1.0.json')
test_evaluator = val_evaluator
