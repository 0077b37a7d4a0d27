# RTMDet-nano person detector at 320x320, the RTMPose pipeline's detector
# (the reference's rtmdet_nano_320-8xb32_coco-person; its published weights,
# rtmdet_nano_8xb32-100e_coco-obj365-person-05d8511e.pth, load strictly).
# Trained from scratch (no pre-trained backbone of this size).
_base_ = ['./rtmdet_m_640-8xb32_coco-person.py']

input_size = (320, 320)

model = dict(
    backbone=dict(
        deepen_factor=0.33,
        widen_factor=0.25,
        use_depthwise=True,
        init_cfg=None),
    neck=dict(
        in_channels=[64, 128, 256],
        out_channels=64,
        num_csp_blocks=1,
        use_depthwise=True),
    bbox_head=dict(
        in_channels=64,
        feat_channels=64,
        share_conv=False,
        exp_on_reg=False,
        use_depthwise=True))

backend_args = {{_base_.backend_args}}
# the small model trains without mixup and with milder scale jitter
train_pipeline = [
    dict(type='LoadImage', backend_args=backend_args),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(
        type='CachedMosaic',
        img_scale=input_size,
        pad_val=114.0,
        max_cached_images=20,
        random_pop=False),
    dict(
        type='RandomResize',
        scale=(input_size[0] * 2, input_size[1] * 2),
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
        ratio_range=(0.5, 1.5),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size=input_size),
    dict(type='YOLOXHSVRandomAug'),
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

train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader

# the EMA of the base; the switch to this size's stage 2
custom_hooks = [
    _base_.custom_hooks[0],
    dict(_base_.custom_hooks[1], switch_pipeline=train_pipeline_stage2)
]
