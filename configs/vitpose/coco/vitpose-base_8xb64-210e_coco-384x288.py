# ViTPose-B with the classic decoder on COCO at 384x288 (ViTPose Table 3).
# Patch grid 24x18, heatmaps 72x96; the Gaussian grows with the heatmap
# (sigma 2 at 48x64 -> 3). Weights of a 256x192 model load with the
# position embedding resized 16x12 -> 24x18 (bicubic).
_base_ = ['./vitpose-base_8xb64-210e_coco-256x192.py']

codec = dict(
    type='UDPHeatmap', input_size=(288, 384), heatmap_size=(72, 96), sigma=3)

model = dict(
    backbone=dict(img_size=(384, 288)), head=dict(decoder=codec))

backend_args = dict(backend='local')
train_pipeline = [
    dict(type='LoadImage', backend_args=backend_args),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomHalfBody'),
    dict(type='RandomBBoxTransform'),
    dict(type='TopdownAffine', input_size=codec['input_size'], use_udp=True),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs')
]
val_pipeline = [
    dict(type='LoadImage', backend_args=backend_args),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=codec['input_size'], use_udp=True),
    dict(type='PackPoseInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader
