# The RTMPose-m recipe at 288x384 (w x h), all but the data.
_base_ = ['./rtmpose-m_420e-256x192.py']

# input 288x384 (w x h): SimCC sigma grows with the number of bins
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
# the stage-2 hook must carry this config's stage-2 pipeline
custom_hooks = [
    _base_.ema_hook,
    dict(_base_.custom_hooks[-1], switch_pipeline=train_pipeline_stage2)
]
