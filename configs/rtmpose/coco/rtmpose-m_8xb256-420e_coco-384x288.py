# RTMPose-m on COCO at 384x288: the recipe at this input (rtmpose/_base_/)
# on COCO.
_base_ = ['../_base_/rtmpose-m_420e-384x288.py', '../../_base_/data/coco.py']

# the data go through the input size's pipelines
train_dataloader = dict(dataset=dict(pipeline=_base_.train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=_base_.val_pipeline))
test_dataloader = val_dataloader
