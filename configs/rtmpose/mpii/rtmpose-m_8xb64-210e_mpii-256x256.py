# RTMPose-m on MPII at 256x256 (RTMPose Table 9), evaluated with PCKh@0.5
# on mpii_val.json with its ground-truth boxes and mpii_gt_val.mat head
# boxes. The COCO recipe with 210 epochs, batch 8x64, a square input and 16
# keypoints.
_base_ = ['../coco/rtmpose-m_8xb256-420e_coco-256x192.py']

# schedule: the COCO recipe's, 210 epochs (cosine over the second half)
max_epochs = 210
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    _base_.param_scheduler[0],
    dict(
        _base_.param_scheduler[1],
        begin=max_epochs // 2,
        end=max_epochs,
        T_max=max_epochs // 2)
]

# codec settings: sigma = sqrt(bins / 16) for 512 bins per axis
codec = dict(_base_.codec, input_size=(256, 256), sigma=(5.66, 5.66))

model = dict(
    head=dict(
        out_channels=16,
        input_size=codec['input_size'],
        in_featuremap_size=tuple([s // 32 for s in codec['input_size']]),
        decoder=codec))

# base dataset settings
dataset_type = 'MpiiDataset'
data_mode = 'topdown'
data_root = 'data/mpii/'

# the recipe's pipelines, cropping to this input and encoding with this codec
train_pipeline, val_pipeline, train_pipeline_stage2 = ([
    dict(step, input_size=codec['input_size'])
    if step['type'] == 'TopdownAffine' else
    dict(step, encoder=codec) if step['type'] == 'GenerateTarget' else step
    for step in pipeline
] for pipeline in (_base_.train_pipeline, _base_.val_pipeline,
                   _base_.train_pipeline_stage2))

# data loaders
train_dataloader = dict(
    batch_size=64,
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        data_mode=data_mode,
        ann_file='annotations/mpii_train.json',
        data_prefix=dict(img='images/'),
        pipeline=train_pipeline,
    ))
val_dataloader = dict(
    batch_size=32,
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        data_mode=data_mode,
        ann_file='annotations/mpii_val.json',
        headbox_file=f'{data_root}annotations/mpii_gt_val.mat',
        data_prefix=dict(img='images/'),
        test_mode=True,
        pipeline=val_pipeline,
    ))
test_dataloader = val_dataloader

# hooks: EMA of the weights; stage-2 augmentation for the last 30 epochs
default_hooks = dict(
    checkpoint=dict(save_best='mpii/Mean', rule='greater', max_keep_ckpts=1))
custom_hooks = [
    _base_.ema_hook,
    dict(
        type='PipelineSwitchHook',
        switch_epoch=max_epochs - _base_.stage2_num_epochs,
        switch_pipeline=train_pipeline_stage2)
]

# evaluators: PCKh@0.5 per joint group and mean
val_evaluator = dict(_delete_=True, type='MpiiPCKAccuracy')
test_evaluator = val_evaluator
