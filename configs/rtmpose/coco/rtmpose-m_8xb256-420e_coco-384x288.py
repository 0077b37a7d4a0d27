# RTMPose-m on COCO at 384x288: the recipe at this input (rtmpose/_base_/)
# on COCO, with gradient clipping (as RTMPose-l at this size).
_base_ = ['../_base_/rtmpose-m_420e-384x288.py', '../../_base_/data/coco.py']

optim_wrapper = dict(clip_grad=dict(max_norm=35, norm_type=2))

# the data go through the input size's pipelines
train_dataloader = dict(dataset=dict(pipeline=_base_.train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=_base_.val_pipeline))
test_dataloader = val_dataloader
