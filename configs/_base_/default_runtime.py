default_scope = 'rtmpose'
# safe strict loading, atomic local saves, CPU distributed (rtmpose.engine)
runner_type = 'PoseRunner'

# hooks: mmengine's defaults, then rtmpose's run guards. Every entry can be
# changed or turned off by name, e.g. default_hooks = dict(results_plot=None)
# or dict(non_finite_loss=dict(action='skip', max_skips=10)).
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    # write under a temporary name, fsync, rename, update last_checkpoint,
    # only then delete what max_keep_ckpts / save_best retire
    checkpoint=dict(type='AtomicCheckpointHook', interval=10),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    # the message hub as plain values, so that --resume loads weights-only
    plain_checkpoint=dict(type='PlainCheckpointHook'),
    # config, model and data agree before anything runs
    startup_check=dict(type='StartupCheckHook'),
    # Ctrl-C / SIGTERM (also to the process group): save iter_N.pth, exit
    interrupt=dict(type='InterruptCheckpointHook'),
    # a NaN / inf loss stops training before the optimiser step
    non_finite_loss=dict(type='NonFiniteLossHook'),
    # WORK_DIR/results.png at the end of training: loss terms, lr, acc_pose
    # and validation metrics per epoch (also `rtmpose plot WORK_DIR`)
    results_plot=dict(type='ResultsPlotHook'),
    # header, a progress bar per epoch, validation lines, summary
    console=dict(type='ConsoleReportHook'))

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
# Console: warnings only from the logger plus ConsoleReportHook's lines; the
# work dir's log file keeps everything (config, hook order, init report, a
# line every `logger.interval` iterations). verbose = True (`-v`) prints all
# of it on the console too (and no progress bar). TensorBoard:
# `--tensorboard`, or add dict(type='TensorboardVisBackend') to vis_backends.
verbose = False
load_from = None
resume = False

# file I/O backend
backend_args = dict(backend='local')

# training/validation/testing loops; --resume of a mid-epoch checkpoint
# continues with the next batch of that epoch
train_cfg = dict(type='ResumableEpochBasedTrainLoop')
val_cfg = dict()
test_cfg = dict()
