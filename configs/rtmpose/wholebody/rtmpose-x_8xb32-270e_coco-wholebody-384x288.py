# RTMPose-x on COCO-WholeBody at 384x288 (RTMPose Table 6): the RTMPose-l
# 384x288 recipe with the extra-large backbone (CSPNeXt deepen 1.33, widen
# 1.25 -> 1280 output channels), started from CSPNeXt-x pre-trained on seven
# body datasets, with gradient clipping and stronger geometric augmentation
# (rotation up to 90 degrees, scale 0.5-1.5) in both stages.
_base_ = ['./rtmpose-l_8xb32-270e_coco-wholebody-384x288.py']

optim_wrapper = dict(clip_grad=dict(max_norm=35, norm_type=2))

model = dict(
    backbone=dict(
        deepen_factor=1.33,
        widen_factor=1.25,
        init_cfg=dict(checkpoint=_base_.cspnext_x_udp_body7)),
    head=dict(in_channels=1280))

# both stages: the l pipelines with the wider RandomBBoxTransform
train_pipeline, train_pipeline_stage2 = ([
    dict(step, scale_factor=[0.5, 1.5], rotate_factor=90)
    if step['type'] == 'RandomBBoxTransform' else step for step in pipeline
] for pipeline in (_base_.train_pipeline, _base_.train_pipeline_stage2))

train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
custom_hooks = [
    _base_.custom_hooks[0],
    dict(_base_.custom_hooks[-1], switch_pipeline=train_pipeline_stage2)
]
