# RTMPose-m on COCO at 256x192: the four axes, and how they meet.
_base_ = [
    '../../_base_/schedules/rtmpose_420e.py',  # with the default runtime
    '../../_base_/models/rtmpose-m.py',
    '../../_base_/inputs/rtmpose_simcc-256x192.py',
    '../../_base_/data/coco.py',
]

# the head decodes with the codec at its input size (1/32 feature map)
codec = _base_.codec
model = dict(
    head=dict(
        input_size=codec['input_size'],
        in_featuremap_size=tuple([s // 32 for s in codec['input_size']]),
        simcc_split_ratio=codec['simcc_split_ratio'],
        decoder=codec))

# the data go through the input size's pipelines
train_dataloader = dict(dataset=dict(pipeline=_base_.train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=_base_.val_pipeline))
test_dataloader = val_dataloader

# hooks
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
