# RTMPose-t on the embedded synthetic people (generated on first use into
# data_root): a CPU-sized run of the full toolbox, data to COCO AP.
_base_ = ['../rtmpose/coco/rtmpose-t_8xb256-420e_coco-256x192.py']

# runtime
max_epochs = 10
base_lr = 2e-3
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
randomness = dict(seed=21)

optim_wrapper = dict(optimizer=dict(lr=base_lr, weight_decay=0.))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1.0e-3,
        by_epoch=False,
        begin=0,
        end=200),
    dict(
        type='CosineAnnealingLR',
        eta_min=base_lr * 0.05,
        begin=max_epochs // 2,
        end=max_epochs,
        T_max=max_epochs // 2,
        by_epoch=True,
        convert_to_iter_based=True),
]
auto_scale_lr = dict(base_batch_size=32)

# a small input keeps a CPU step fast; sigma follows sqrt(bins / 16)
codec = dict(
    type='SimCCLabel',
    input_size=(96, 128),
    sigma=(3.46, 4.0),
    simcc_split_ratio=2.0,
    normalize=False,
    use_dark=False)

model = dict(
    backbone=dict(norm_cfg=dict(type='BN'), init_cfg=None),
    head=dict(
        decoder=codec))

dataset_type = 'SyntheticCocoDataset'
data_root = 'data/demo_synthetic/'
synthetic_cfg = dict(num_train_images=1500, num_val_images=200, seed=0)

backend_args = dict(backend='local')
train_pipeline = [
    dict(type='LoadImage', backend_args=backend_args),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomHalfBody'),
    dict(
        type='RandomBBoxTransform',
        scale_factor=[0.75, 1.25],
        rotate_factor=30),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='YOLOXHSVRandomAug'),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs')
]
# stage 2 of the two-stage augmentation: milder geometry for the last epochs
stage2_num_epochs = 2
train_pipeline_stage2 = [
    dict(type='LoadImage', backend_args=backend_args),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomHalfBody'),
    dict(
        type='RandomBBoxTransform',
        shift_factor=0.,
        scale_factor=[0.85, 1.15],
        rotate_factor=20),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='YOLOXHSVRandomAug'),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs')
]
val_pipeline = [
    dict(type='LoadImage', backend_args=backend_args),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='PackPoseInputs')
]

# workers restart every epoch, seeded from (seed, epoch): a run resumed
# from an epoch checkpoint draws the same augmentation as an uninterrupted one
train_dataloader = dict(
    batch_size=32,
    num_workers=1,
    persistent_workers=False,
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        synthetic_cfg=synthetic_cfg,
        ann_file='annotations/person_keypoints_train.json',
        data_prefix=dict(img='images/train/'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=64,
    num_workers=1,
    persistent_workers=True,
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        synthetic_cfg=synthetic_cfg,
        ann_file='annotations/person_keypoints_val.json',
        bbox_file=None,
        data_prefix=dict(img='images/val/'),
        pipeline=val_pipeline))
test_dataloader = val_dataloader

default_hooks = dict(
    logger=dict(interval=20),
    checkpoint=dict(interval=1, max_keep_ckpts=1, save_best='coco/AP'))

# the recipe at small scale: EMA (faster momentum warm-up for ~1k
# iterations) and the stage-2 switch
custom_hooks = [
    dict(
        type='EMAHook',
        ema_type='ExpMomentumEMA',
        momentum=0.005,
        gamma=100,
        update_buffers=True,
        priority=49),
    dict(
        type='PipelineSwitchHook',
        switch_epoch=max_epochs - stage2_num_epochs,
        switch_pipeline=train_pipeline_stage2),
]

val_evaluator = dict(
    type='CocoMetric',
    ann_file=data_root + 'annotations/person_keypoints_val.json')
test_evaluator = val_evaluator
