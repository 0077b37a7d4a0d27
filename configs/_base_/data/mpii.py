# MPII human pose (16 keypoints), top-down: mpii_train.json, and
# mpii_val.json on its ground-truth boxes with the mpii_gt_val.mat head
# boxes; evaluated by PCKh@0.5. Loader settings as COCO's; the pipelines
# come with the input size (configs/_base_/inputs/).
_base_ = ['./coco.py']

dataset_type = 'MpiiDataset'
data_mode = 'topdown'
data_root = 'data/mpii/'

train_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/mpii_train.json',
        data_prefix=dict(img='images/'),
    ))
# on the ground-truth boxes: COCO's detection file (bbox_file) goes
val_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        data_mode=data_mode,
        ann_file='annotations/mpii_val.json',
        headbox_file=f'{data_root}annotations/mpii_gt_val.mat',
        data_prefix=dict(img='images/'),
        test_mode=True,
    ))
test_dataloader = val_dataloader

# PCKh@0.5 per joint group and mean
val_evaluator = dict(_delete_=True, type='MpiiPCKAccuracy')
test_evaluator = val_evaluator
