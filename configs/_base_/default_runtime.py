default_scope = 'rtmpose'

# hooks
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', interval=10),
    sampler_seed=dict(type='DistSamplerSeedHook'))

# multi-processing backend (tools/train.py switches nccl to gloo without CUDA)
env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)

# visualizer
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='Visualizer', vis_backends=vis_backends, name='visualizer')

# logger
log_processor = dict(
    type='LogProcessor', window_size=50, by_epoch=True, num_digits=6)
log_level = 'INFO'
# Console: a short header, a progress bar per epoch, one line per validation
# and a summary; the work dir's log file keeps everything (config, hook
# order, init report, a line every `logger.interval` iterations).
# verbose = True (`-v`) prints all of it on the console too.
verbose = False
# WORK_DIR/results.png at the end of training: loss terms, lr, acc_pose and
# validation metrics per epoch (also `rtmpose plot WORK_DIR`). TensorBoard:
# `--tensorboard`, or add dict(type='TensorboardVisBackend') to vis_backends.
plot_results = True
load_from = None
resume = False

# file I/O backend
backend_args = dict(backend='local')

# training/validation/testing progress
train_cfg = dict(by_epoch=True)
val_cfg = dict()
test_cfg = dict()
