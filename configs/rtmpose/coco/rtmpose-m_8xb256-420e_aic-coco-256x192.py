# RTMPose-m trained on COCO + AI Challenger, evaluated on COCO val2017.
# Only the training data differ from the COCO recipe
# (rtmpose-m_8xb256-420e_coco-256x192.py).
_base_ = [
    '../_base_/rtmpose-m_420e-256x192.py', '../../_base_/data/aic_coco.py'
]

# the data go through the input size's pipelines
train_dataloader = dict(dataset=dict(pipeline=_base_.train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=_base_.val_pipeline))
test_dataloader = val_dataloader
