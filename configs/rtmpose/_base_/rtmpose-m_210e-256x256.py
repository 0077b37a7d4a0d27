# The 210-epoch RTMPose-m recipe at a 256x256 input, all but the data, for
# the square-input benchmarks (MPII, AP-10K; RTMPose Tables 8 and 9).
_base_ = ['./rtmpose-m_210e-256x192.py']

# codec settings: sigma = sqrt(bins / 16) for 512 bins per axis
codec = dict(_base_.codec, input_size=(256, 256), sigma=(5.66, 5.66))

model = dict(
    head=dict(
        decoder=codec))

# the recipe's pipelines, cropping to this input and encoding with this codec
train_pipeline, val_pipeline, train_pipeline_stage2 = ([
    dict(step, input_size=codec['input_size'])
    if step['type'] == 'TopdownAffine' else
    dict(step, encoder=codec) if step['type'] == 'GenerateTarget' else step
    for step in pipeline
] for pipeline in (_base_.train_pipeline, _base_.val_pipeline,
                   _base_.train_pipeline_stage2))

custom_hooks = [
    _base_.ema_hook,
    dict(_base_.custom_hooks[-1], switch_pipeline=train_pipeline_stage2)
]
