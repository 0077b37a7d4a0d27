# The ViTPose-B recipe of the ViTPose paper (classic decoder, 256x192), all
# but the data: a config adds a data axis (configs/_base_/data/) and feeds
# its loaders (batch 8x64, 4 workers) this recipe's pipelines.
_base_ = [
    '../../_base_/default_runtime.py', '../../_base_/models/pretrained.py'
]

# runtime
max_epochs = 210
base_lr = 5e-4
train_cfg = dict(max_epochs=max_epochs, val_interval=10)

# architecture knobs the other sizes override
arch = 'base'
embed_dims = 768
num_layers = 12
drop_path_rate = 0.3
layer_decay_rate = 0.75

# optimizer: AdamW with layer-wise lr decay; no weight decay on norms,
# biases and the position embedding; gradient clipping
optim_wrapper = dict(
    type='OptimWrapper',
    constructor='LayerDecayOptimWrapperConstructor',
    optimizer=dict(
        type='AdamW', lr=base_lr, betas=(0.9, 0.999), weight_decay=0.1),
    paramwise_cfg=dict(
        num_layers=num_layers,
        layer_decay_rate=layer_decay_rate,
        norm_decay_mult=0.,
        bias_decay_mult=0.,
        custom_keys={'pos_embed': dict(decay_mult=0.)}),
    clip_grad=dict(max_norm=1., norm_type=2))

# learning rate: linear warm-up over 500 iterations, x0.1 at 170 and 200
param_scheduler = [
    dict(
        type='LinearLR', begin=0, end=500, start_factor=0.001,
        by_epoch=False),
    dict(
        type='MultiStepLR',
        begin=0,
        end=max_epochs,
        milestones=[170, 200],
        gamma=0.1,
        by_epoch=True)
]

# automatically scaling LR based on the actual training batch size
auto_scale_lr = dict(base_batch_size=512)

# codec settings
codec = dict(
    type='UDPHeatmap', input_size=(192, 256), heatmap_size=(48, 64), sigma=2)

# model settings
model = dict(
    type='TopdownPoseEstimator',
    data_preprocessor=dict(
        type='PoseDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    backbone=dict(
        type='VisionTransformer',
        arch=arch,
        img_size=(256, 192),
        patch_size=16,
        patch_cfg=dict(padding=2),
        qkv_bias=True,
        drop_path_rate=drop_path_rate,
        out_type='featmap',
        # MAE weights: converted on load (class token dropped, position
        # embedding resized to the 16x12 patch grid)
        init_cfg=dict(type='Pretrained', checkpoint=_base_.mae_vit_base)),
    head=dict(
        type='HeatmapHead',
        in_channels=embed_dims,
        out_channels=17,
        deconv_out_channels=(256, 256),
        deconv_kernel_sizes=(4, 4),
        final_layer=dict(kernel_size=1),
        loss=dict(type='KeypointMSELoss', use_target_weight=True),
        decoder=codec),
    # UDP heatmaps flip exactly: no one-pixel shift
    test_cfg=dict(flip_test=True, shift_heatmap=False))

backend_args = dict(backend='local')

# pipelines
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

# keep the best checkpoint by COCO AP (configs on other data name their metric)
default_hooks = dict(
    checkpoint=dict(save_best='coco/AP', rule='greater', max_keep_ckpts=1))
# multi-process training: every process ends each epoch with the same
# BatchNorm statistics (the head's), averaged over the processes
custom_hooks = [dict(type='SyncBuffersHook')]
