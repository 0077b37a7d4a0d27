# RTMPose-m on MPII at 256x256 (RTMPose Table 9), evaluated with PCKh@0.5
# on mpii_val.json with its ground-truth boxes and mpii_gt_val.mat head
# boxes. The square-input recipe (210 epochs) at batch 8x64, 16 keypoints.
_base_ = [
    '../_base_/rtmpose-m_210e-256x256.py', '../../_base_/data/mpii.py'
]

model = dict(head=dict(out_channels=16))

train_dataloader = dict(
    batch_size=64, dataset=dict(pipeline=_base_.train_pipeline))
val_dataloader = dict(
    batch_size=32, dataset=dict(pipeline=_base_.val_pipeline))
test_dataloader = val_dataloader

default_hooks = dict(checkpoint=dict(save_best='mpii/Mean'))
