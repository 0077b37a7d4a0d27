# The RTMPose-m recipe at 256x192, all but the data: the schedule, model and
# input axes, and how they meet. A config adds a data axis
# (configs/_base_/data/) and feeds its loaders this input's pipelines.
_base_ = [
    '../../_base_/schedules/rtmpose_420e.py',  # with the default runtime
    '../../_base_/models/rtmpose-m.py',
    '../../_base_/inputs/rtmpose_simcc-256x192.py',
]

# the head decodes with the codec; its input size and feature map size are
# derived from the codec and the backbone's stride
codec = _base_.codec
model = dict(
    head=dict(
        simcc_split_ratio=codec['simcc_split_ratio'],
        decoder=codec))

# keep the best checkpoint by COCO AP (configs on other data name their metric)
default_hooks = dict(
    checkpoint=dict(save_best='coco/AP', rule='greater', max_keep_ckpts=1))
# EMA of the weights, then the two-stage augmentation: the last
# stage2_num_epochs epochs use stage 2 (the configs that change the schedule
# or the pipelines update this last hook)
custom_hooks = [
    _base_.ema_hook,
    dict(
        type='PipelineSwitchHook',
        switch_epoch=_base_.max_epochs - _base_.stage2_num_epochs,
        switch_pipeline=_base_.train_pipeline_stage2)
]
