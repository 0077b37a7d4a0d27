# Stage 1 of the RTMPose chain at demo scale: pre-train the CSPNeXt-t backbone
# with UDP heatmaps on the embedded synthetic people (the paper pre-trains
# CSPNeXt this way on COCO + AIC, configs/rtmpose/coco/cspnext-*_udp_*.py).
# rtmpose-t_demo_from-udp.py then fine-tunes RTMPose-t from this backbone.
_base_ = ['./rtmpose-t_demo.py']

max_epochs = 5
stage2_num_epochs = 1
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
# the demo's warm-up, then its cosine over the second half of 5 epochs
param_scheduler = [
    _base_.param_scheduler[0],
    dict(
        _base_.param_scheduler[1],
        begin=max_epochs // 2,
        end=max_epochs,
        T_max=max_epochs - max_epochs // 2),
]

# stride-4 heatmaps of the demo's 96x128 input
codec = dict(
    type='UDPHeatmap', input_size=(96, 128), heatmap_size=(24, 32), sigma=2)

# three deconvolutions take CSPNeXt-t's stride-32 map (384 channels) to
# stride 4; 128 channels instead of the reference's 256 keep a CPU step short
model = dict(
    head=dict(
        _delete_=True,
        type='HeatmapHead',
        in_channels=384,
        out_channels=17,
        deconv_out_channels=(128, 128, 128),
        deconv_kernel_sizes=(4, 4, 4),
        loss=dict(type='KeypointMSELoss', use_target_weight=True),
        decoder=codec),
    test_cfg=dict(flip_test=True, shift_heatmap=False))

# the demo's pipelines, cropping with UDP and encoding with this codec
train_pipeline, val_pipeline, train_pipeline_stage2 = ([
    dict(step, use_udp=True) if step['type'] == 'TopdownAffine' else
    dict(step, encoder=codec) if step['type'] == 'GenerateTarget' else step
    for step in pipeline
] for pipeline in (_base_.train_pipeline, _base_.val_pipeline,
                   _base_.train_pipeline_stage2))

train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader

custom_hooks = [
    _base_.custom_hooks[0],
    dict(
        _base_.custom_hooks[1],
        switch_epoch=max_epochs - stage2_num_epochs,
        switch_pipeline=train_pipeline_stage2),
]
