# RTMDet-nano on the embedded synthetic people (the pose demo's data,
# generated on first use): a CPU-sized detector run, data to COCO bbox AP.
# The 320x240 images are detected at 256x192 (scale 0.8, no padding), which
# keeps the people (80-180 px tall) well above the stride-32 level.
_base_ = [
    '../rtmdet/person/rtmdet_nano_320-8xb32_coco-person.py',
    '../_base_/data/synthetic_person_detection.py'
]

input_size = (256, 192)
model = dict(backbone=dict(init_cfg=None))  # from scratch, offline

# runtime: a short flat-then-cosine schedule with a fast warm-up
max_epochs = 20
stage2_num_epochs = 2
base_lr = 4e-3
train_cfg = dict(
    max_epochs=max_epochs, val_interval=10, dynamic_intervals=None)
randomness = dict(seed=21)

optim_wrapper = dict(optimizer=dict(lr=base_lr))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1.0e-3,
        by_epoch=False,
        begin=0,
        end=100),
    dict(
        type='CosineAnnealingLR',
        eta_min=base_lr * 0.05,
        begin=max_epochs // 2,
        end=max_epochs,
        T_max=max_epochs // 2,
        by_epoch=True,
        convert_to_iter_based=True),
]
auto_scale_lr = dict(enable=False, base_batch_size=32)

backend_args = dict(backend='local')
# no mosaic / mixup: at this length they slow the CPU data loading more
# than they help
train_pipeline = [
    dict(type='LoadImage', backend_args=backend_args),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(
        type='RandomResize',
        scale=input_size,
        ratio_range=(0.5, 1.5),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size=input_size),
    dict(type='YOLOXHSVRandomAug'),
    dict(type='RandomFlip', prob=0.5),
    dict(type='Pad', size=input_size, pad_val=dict(img=(114, 114, 114))),
    dict(type='PackDetInputs')
]
train_pipeline_stage2 = [
    dict(type='LoadImage', backend_args=backend_args),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(
        type='RandomResize',
        scale=input_size,
        ratio_range=(0.8, 1.2),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size=input_size),
    dict(type='RandomFlip', prob=0.5),
    dict(type='Pad', size=input_size, pad_val=dict(img=(114, 114, 114))),
    dict(type='PackDetInputs')
]
test_pipeline = [
    dict(type='LoadImage', backend_args=backend_args),
    dict(type='Resize', scale=input_size, keep_ratio=True),
    dict(type='Pad', size=input_size, pad_val=dict(img=(114, 114, 114))),
    dict(
        type='PackDetInputs',
        meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape',
                   'scale_factor'))
]

# the synthetic datasets of the base with this config's pipelines (a
# whole-dict {{_base_.x}} value would merge into the base dataset and keep
# its 320x320 pipeline)
train_dataloader = dict(
    batch_size=16,
    num_workers=1,
    persistent_workers=True,
    dataset=dict(
        type='SyntheticCocoDetDataset',
        data_root={{_base_.synthetic_data_root}},
        synthetic_cfg={{_base_.synthetic_cfg}},
        ann_file='annotations/person_keypoints_train.json',
        data_prefix=dict(img='images/train/'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=16,
    num_workers=1,
    persistent_workers=True,
    dataset=dict(
        type='SyntheticCocoDetDataset',
        data_root={{_base_.synthetic_data_root}},
        synthetic_cfg={{_base_.synthetic_cfg}},
        ann_file='annotations/person_keypoints_val.json',
        data_prefix=dict(img='images/val/'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = {{_base_.synthetic_val_evaluator}}
test_evaluator = val_evaluator

default_hooks = dict(
    logger=dict(interval=20),
    checkpoint=dict(
        interval=1, max_keep_ckpts=1, save_best='coco/bbox_mAP'))

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
