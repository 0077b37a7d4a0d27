# RTMPose-m on COCO at 256x192: the recipe (rtmpose/_base_/) on COCO.
_base_ = ['../_base_/rtmpose-m_420e-256x192.py', '../../_base_/data/coco.py']

# the data go through the input size's pipelines
train_dataloader = dict(dataset=dict(pipeline=_base_.train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=_base_.val_pipeline))
test_dataloader = val_dataloader
