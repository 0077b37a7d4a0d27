# RTMPose-m on MPII at 256x256 (RTMPose Table 9), evaluated with PCKh@0.5
# on mpii_val.json with its ground-truth boxes and mpii_gt_val.mat head
# boxes. The square-input recipe (210 epochs, batch 8x64) with 16 keypoints.
_base_ = ['../_base_/rtmpose-m_8xb64-210e-256x256.py']

model = dict(head=dict(out_channels=16))

# base dataset settings
dataset_type = 'MpiiDataset'
data_mode = 'topdown'
data_root = 'data/mpii/'

# data loaders
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

# evaluators: PCKh@0.5 per joint group and mean
val_evaluator = dict(_delete_=True, type='MpiiPCKAccuracy')
test_evaluator = val_evaluator
