# The RTMPose training recipe on COCO (paper Table 7): 420 epochs of AdamW,
# flat then cosine, EMA of the weights, the last 30 epochs with milder
# augmentation (stage 2: the recipe's config wires its PipelineSwitchHook).
_base_ = ['../default_runtime.py']

max_epochs = 420
stage2_num_epochs = 30
base_lr = 4e-3

train_cfg = dict(max_epochs=max_epochs, val_interval=10)
randomness = dict(seed=21)

# optimizer
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=base_lr, weight_decay=0.05),
    paramwise_cfg=dict(
        norm_decay_mult=0, bias_decay_mult=0, bypass_duplicate=True))

# learning rate: linear warm-up, flat until max_epochs / 2, then cosine
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1.0e-5,
        by_epoch=False,
        begin=0,
        end=1000),
    dict(
        type='CosineAnnealingLR',
        eta_min=base_lr * 0.05,
        begin=max_epochs // 2,
        end=max_epochs,
        T_max=max_epochs // 2,
        by_epoch=True,
        convert_to_iter_based=True),
]

# automatically scaling LR based on the actual training batch size
auto_scale_lr = dict(base_batch_size=1024)

# EMA of the weights (paper Table 7: decay 0.9998, warmed up over ~2000
# iterations); validation, test and the saved state_dict use the average
ema_hook = dict(
    type='EMAHook',
    ema_type='ExpMomentumEMA',
    momentum=0.0002,
    update_buffers=True,
    priority=49)
