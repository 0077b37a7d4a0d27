# RTMPose-m at 288x384 (w x h) trained on COCO + AI Challenger, evaluated on
# COCO val2017; the training data of rtmpose-m_8xb256-420e_aic-coco-256x192
# through this input size's pipeline.
_base_ = [
    '../_base_/rtmpose-m_420e-384x288.py', '../../_base_/data/aic_coco.py'
]

# the data go through the input size's pipelines
train_dataloader = dict(dataset=dict(pipeline=_base_.train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=_base_.val_pipeline))
test_dataloader = val_dataloader
