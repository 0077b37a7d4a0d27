_base_ = ['../default_runtime.py']

# RTMDet's recipe on top of the default runtime: AdamW (no decay on norms
# and biases), linear warm-up, flat lr for the first half, cosine to 5% for
# the second; the model configs add the EMA and the stage-2 pipeline switch
# for the last stage2_num_epochs epochs.
max_epochs = 300
stage2_num_epochs = 20
# first epoch (0-based) of the stage-2 pipeline, for the PipelineSwitchHook
stage2_switch_epoch = max_epochs - stage2_num_epochs
base_lr = 0.004
interval = 10

# epoch-based loops (default runtime); validation every epoch in stage 2
train_cfg = dict(
    max_epochs=max_epochs,
    val_interval=interval,
    dynamic_intervals=[(max_epochs - stage2_num_epochs, 1)])

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=base_lr, weight_decay=0.05),
    paramwise_cfg=dict(
        norm_decay_mult=0, bias_decay_mult=0, bypass_duplicate=True))

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

# the reference's learning rate is for 8 GPUs x 32 images
auto_scale_lr = dict(enable=False, base_batch_size=256)

default_hooks = dict(checkpoint=dict(interval=interval, max_keep_ckpts=3))
