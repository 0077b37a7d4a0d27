# The COCO RTMPose-m recipe for the square-input benchmarks (MPII, AP-10K;
# RTMPose Tables 8 and 9): 210 epochs, batch 8x64 and a 256x256 input. The
# dataset configs add only their data, keypoint count and metric.
_base_ = ['../coco/rtmpose-m_8xb256-420e_coco-256x192.py']

# schedule: the COCO recipe's, 210 epochs (cosine over the second half)
max_epochs = 210
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    _base_.param_scheduler[0],
    dict(
        _base_.param_scheduler[1],
        begin=max_epochs // 2,
        end=max_epochs,
        T_max=max_epochs // 2)
]

# codec settings: sigma = sqrt(bins / 16) for 512 bins per axis
codec = dict(_base_.codec, input_size=(256, 256), sigma=(5.66, 5.66))

model = dict(
    head=dict(
        input_size=codec['input_size'],
        in_featuremap_size=tuple([s // 32 for s in codec['input_size']]),
        decoder=codec))

# the recipe's pipelines, cropping to this input and encoding with this codec
train_pipeline, val_pipeline, train_pipeline_stage2 = ([
    dict(step, input_size=codec['input_size'])
    if step['type'] == 'TopdownAffine' else
    dict(step, encoder=codec) if step['type'] == 'GenerateTarget' else step
    for step in pipeline
] for pipeline in (_base_.train_pipeline, _base_.val_pipeline,
                   _base_.train_pipeline_stage2))

train_dataloader = dict(batch_size=64, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(batch_size=32, dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader

# hooks: EMA of the weights; stage-2 augmentation for the last 30 epochs
custom_hooks = [
    _base_.ema_hook,
    dict(
        type='PipelineSwitchHook',
        switch_epoch=max_epochs - _base_.stage2_num_epochs,
        switch_pipeline=train_pipeline_stage2)
]
