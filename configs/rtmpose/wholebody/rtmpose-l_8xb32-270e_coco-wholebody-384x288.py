# RTMPose-l on COCO-WholeBody at 384x288 (RTMPose Table 6): the 256x192
# recipe at the larger input, batch 8x32.
_base_ = ['./rtmpose-l_8xb64-270e_coco-wholebody-256x192.py']

# codec settings: sigma = sqrt(bins / 16) for 576 x 768 bins
codec = dict(_base_.codec, input_size=(288, 384), sigma=(6., 6.93))

# the recipe's pipelines, cropping to this input and encoding with this codec
train_pipeline, val_pipeline, train_pipeline_stage2 = ([
    dict(step, input_size=codec['input_size'])
    if step['type'] == 'TopdownAffine' else
    dict(step, encoder=codec) if step['type'] == 'GenerateTarget' else step
    for step in pipeline
] for pipeline in (_base_.train_pipeline, _base_.val_pipeline,
                   _base_.train_pipeline_stage2))

model = dict(
    head=dict(
        decoder=codec))
train_dataloader = dict(batch_size=32, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader

# the stage-2 hook must carry this config's stage-2 pipeline
custom_hooks = [
    _base_.ema_hook,
    dict(
        type='PipelineSwitchHook',
        switch_epoch=_base_.max_epochs - _base_.stage2_num_epochs,
        switch_pipeline=train_pipeline_stage2)
]
