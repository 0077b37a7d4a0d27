# RTMPose-l on COCO-WholeBody at 384x288 (RTMPose Table 6): the 256x192
# recipe at the larger input, batch 8x32.
_base_ = ['./rtmpose-l_8xb64-270e_coco-wholebody-256x192.py']

# codec settings: sigma = sqrt(bins / 16) for 576 x 768 bins
codec = dict(
    type='SimCCLabel',
    input_size=(288, 384),
    sigma=(6., 6.93),
    simcc_split_ratio=2.0,
    normalize=False,
    use_dark=False)

model = dict(
    head=dict(
        input_size=codec['input_size'],
        in_featuremap_size=tuple([s // 32 for s in codec['input_size']]),
        decoder=codec))

backend_args = dict(backend='local')

# pipelines (the COCO recipe's, at this input size)
train_pipeline = [
    dict(type='LoadImage', backend_args=backend_args),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomHalfBody'),
    dict(
        type='RandomBBoxTransform', scale_factor=[0.6, 1.4], rotate_factor=80),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='YOLOXHSVRandomAug'),
    dict(type='Blur', p=0.1),
    dict(type='MedianBlur', p=0.1),
    dict(
        type='CoarseDropout',
        max_holes=1,
        max_height=0.4,
        max_width=0.4,
        min_holes=1,
        min_height=0.2,
        min_width=0.2,
        p=1.0),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs')
]
val_pipeline = [
    dict(type='LoadImage', backend_args=backend_args),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='PackPoseInputs')
]
train_pipeline_stage2 = [
    dict(type='LoadImage', backend_args=backend_args),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomHalfBody'),
    dict(
        type='RandomBBoxTransform',
        shift_factor=0.,
        scale_factor=[0.75, 1.25],
        rotate_factor=60),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='YOLOXHSVRandomAug'),
    dict(type='Blur', p=0.1),
    dict(type='MedianBlur', p=0.1),
    dict(
        type='CoarseDropout',
        max_holes=1,
        max_height=0.4,
        max_width=0.4,
        min_holes=1,
        min_height=0.2,
        min_width=0.2,
        p=0.5),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs')
]

train_dataloader = dict(batch_size=32, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader

# the stage-2 hook must carry this config's stage-2 pipeline
custom_hooks = [
    _base_.ema_hook,
    dict(
        type='PipelineSwitchHook',
        switch_epoch=_base_.max_epochs - _base_.stage2_num_epochs,
        switch_pipeline=train_pipeline_stage2)
]
