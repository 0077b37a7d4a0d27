# ViTPose-B with its MPII decoder head (16 keypoints), 256x192, as evaluated
# in ViTPose Table 12 (PCKh@0.5 on MPII val with ground-truth boxes and
# mpii_gt_val.mat head boxes). In the paper this head is trained jointly
# with the COCO / AIC / CrowdPose heads on a shared backbone and split off
# for evaluation; this config is that split model (backbone + MPII head),
# trainable on MPII alone with the COCO recipe.
_base_ = ['../coco/vitpose-base_8xb64-210e_coco-256x192.py']

model = dict(head=dict(out_channels=16))

dataset_type = 'MpiiDataset'
data_mode = 'topdown'
data_root = 'data/mpii/'

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        data_mode=data_mode,
        ann_file='annotations/mpii_train.json',
        data_prefix=dict(img='images/'),
        pipeline=_base_.train_pipeline,
    ))
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
        pipeline=_base_.val_pipeline,
    ))
test_dataloader = val_dataloader

default_hooks = dict(checkpoint=dict(save_best='mpii/Mean'))

val_evaluator = dict(_delete_=True, type='MpiiPCKAccuracy')
test_evaluator = val_evaluator
