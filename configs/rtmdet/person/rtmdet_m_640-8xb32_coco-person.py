# RTMDet-m person detector at 640x640 (the reference's
# rtmdet_m_640-8xb32_coco-person; its published weights,
# rtmdet_m_8xb32-100e_coco-obj365-person-235e8209.pth, load strictly). The
# backbone starts from CSPNeXt-m trained on ImageNet (RSB recipe).
_base_ = [
    '../../_base_/schedules/rtmdet_300e.py',
    '../../_base_/data/coco_person_detection.py',
    '../../_base_/models/rtmdet.py'
]

input_size = (640, 640)

model = dict(
    backbone=dict(
        deepen_factor=0.67,
        widen_factor=0.75,
        init_cfg=dict(
            type='Pretrained',
            prefix='backbone.',
            checkpoint=_base_.cspnext_m_rsb_in1k)),
    neck=dict(in_channels=[192, 384, 768], out_channels=192, num_csp_blocks=2),
    bbox_head=dict(in_channels=192, feat_channels=192, num_classes=1),
    # person-pipeline post-processing
    test_cfg=dict(
        nms_pre=1000,
        min_bbox_size=0,
        score_thr=0.05,
        nms=dict(type='nms', iou_threshold=0.6),
        max_per_img=100))

backend_args = {{_base_.backend_args}}
train_pipeline = [
    dict(type='LoadImage', backend_args=backend_args),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='CachedMosaic', img_scale=input_size, pad_val=114.0),
    dict(
        type='RandomResize',
        scale=(input_size[0] * 2, input_size[1] * 2),
        ratio_range=(0.1, 2.0),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size=input_size),
    dict(type='YOLOXHSVRandomAug'),
    dict(type='RandomFlip', prob=0.5),
    dict(type='Pad', size=input_size, pad_val=dict(img=(114, 114, 114))),
    dict(
        type='CachedMixUp',
        img_scale=input_size,
        ratio_range=(1.0, 1.0),
        max_cached_images=20,
        pad_val=(114, 114, 114)),
    dict(type='PackDetInputs')
]
# stage 2 (last stage2_num_epochs epochs): no mosaic, no mixup
train_pipeline_stage2 = [
    dict(type='LoadImage', backend_args=backend_args),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(
        type='RandomResize',
        scale=input_size,
        ratio_range=(0.1, 2.0),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size=input_size),
    dict(type='YOLOXHSVRandomAug'),
    dict(type='RandomFlip', prob=0.5),
    dict(type='Pad', size=input_size, pad_val=dict(img=(114, 114, 114))),
    dict(type='PackDetInputs')
]

# the test pipeline is the data's (_base_/data/coco_person_detection.py)
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))

# COCOeval maxDets (100, 1, 10) as the reference's RTMDet evaluator: mAP at
# 100 detections per image, mAP_50 / mAP_75 and the size splits at 10
val_evaluator = dict(proposal_nums=(100, 1, 10))
test_evaluator = val_evaluator

custom_hooks = [
    dict(
        type='EMAHook',
        ema_type='ExpMomentumEMA',
        momentum=0.0002,
        update_buffers=True,
        priority=49),
    dict(
        type='PipelineSwitchHook',
        switch_epoch={{_base_.stage2_switch_epoch}},
        switch_pipeline=train_pipeline_stage2)
]
