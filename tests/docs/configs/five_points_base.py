# The guides' shared config (docs/add_*.md): a small RTMPose (CSPNeXt +
# RTMCC head) on the 5-keypoint COCO-format set in data/five_points/, one
# epoch at a 64x64 input. Each guide's config swaps one part.
_base_ = ['../../../configs/_base_/default_runtime.py']

data_root = 'data/five_points/'
# the keypoint set from the category of the annotation file
metainfo = dict(from_coco_categories=True,
                sigmas=[0.079, 0.072, 0.072, 0.089, 0.089])

# the input axis: the one place that names the input size
codec = dict(type='SimCCLabel', input_size=(64, 64), sigma=(2.8, 2.8),
             simcc_split_ratio=2.0, normalize=False)

model = dict(
    type='TopdownPoseEstimator',
    data_preprocessor=dict(
        type='PoseDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    backbone=dict(type='CSPNeXt', deepen_factor=0.167, widen_factor=0.125,
                  out_indices=(4, ), norm_cfg=dict(type='BN')),
    # input_size and in_featuremap_size are derived (codec, backbone stride)
    head=dict(type='RTMCCHead', in_channels=128, out_channels=5,
              gau_cfg=dict(hidden_dims=32, s=16), decoder=codec))

train_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs')
]
val_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='PackPoseInputs')
]
dataset = dict(type='CustomCocoDataset', data_root=data_root,
               data_prefix=dict(img='images/'), metainfo=metainfo)
train_dataloader = dict(
    batch_size=4, num_workers=0, sampler=dict(type='DefaultSampler',
                                              shuffle=True),
    dataset=dict(dataset, ann_file='annotations/train.json',
                 pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=4, num_workers=0, sampler=dict(type='DefaultSampler',
                                              shuffle=False),
    dataset=dict(dataset, ann_file='annotations/val.json', test_mode=True,
                 pipeline=val_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='CocoMetric',
                     ann_file=data_root + 'annotations/val.json')
test_evaluator = val_evaluator

train_cfg = dict(max_epochs=1, val_interval=1)
optim_wrapper = dict(optimizer=dict(type='AdamW', lr=1e-3))
default_hooks = dict(checkpoint=dict(interval=1))
