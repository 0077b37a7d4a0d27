# A tiny ViTPose (ViT of 192 channels, 6 layers, 3 heads, classic decoder)
# trained from scratch on the embedded synthetic people (generated on first
# use into data_root): a CPU-sized run of the ViTPose recipe, data to AP.
_base_ = ['../vitpose/coco/vitpose-base_8xb64-210e_coco-256x192.py']

# runtime
max_epochs = 12
base_lr = 1e-3
train_cfg = dict(max_epochs=max_epochs, val_interval=4)
randomness = dict(seed=21)

embed_dims = 192
num_layers = 6
optim_wrapper = dict(
    optimizer=dict(lr=base_lr),
    paramwise_cfg=dict(num_layers=num_layers, layer_decay_rate=0.9))
param_scheduler = [
    dict(
        type='LinearLR', begin=0, end=200, start_factor=0.001,
        by_epoch=False),
    dict(
        type='MultiStepLR',
        begin=0,
        end=max_epochs,
        milestones=[9, 11],
        gamma=0.1,
        by_epoch=True)
]
auto_scale_lr = dict(base_batch_size=32)

# a small input keeps a CPU step fast: 8x6 patches, 32x24 heatmaps
codec = dict(
    type='UDPHeatmap', input_size=(96, 128), heatmap_size=(24, 32), sigma=2)

model = dict(
    backbone=dict(
        # a dict replaces the base config's arch name
        arch=dict(
            _delete_=True,
            embed_dims=embed_dims,
            num_layers=num_layers,
            num_heads=3,
            feedforward_channels=embed_dims * 4),
        img_size=(128, 96),
        drop_path_rate=0.,
        init_cfg=None),
    head=dict(
        in_channels=embed_dims,
        deconv_out_channels=(128, 128),
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

train_dataloader = dict(
    batch_size=32,
    num_workers=1,
    persistent_workers=True,
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
    logger=dict(interval=10),
    checkpoint=dict(interval=1, max_keep_ckpts=1, save_best='coco/AP'))

val_evaluator = dict(
    type='CocoMetric',
    ann_file=data_root + 'annotations/person_keypoints_val.json')
test_evaluator = val_evaluator
