# RTMPose-m on CrowdPose at 256x192 (RTMPose Table 8): trained on trainval,
# evaluated on test with the detector boxes released with CrowdPose, AP
# split by crowd index (easy / medium / hard). The 210-epoch recipe at
# batch 8x64 with 14 keypoints and a lower learning rate (5e-4, cosine to
# 5% of it).
_base_ = [
    '../_base_/rtmpose-m_210e-256x192.py', '../../_base_/data/crowdpose.py'
]

base_lr = 5e-4
optim_wrapper = dict(optimizer=dict(lr=base_lr))
param_scheduler = [
    _base_.param_scheduler[0],
    dict(_base_.param_scheduler[1], eta_min=base_lr * 0.05)
]
auto_scale_lr = dict(base_batch_size=512)

model = dict(head=dict(out_channels=14))

train_dataloader = dict(
    batch_size=64, dataset=dict(pipeline=_base_.train_pipeline))
val_dataloader = dict(
    batch_size=32, dataset=dict(pipeline=_base_.val_pipeline))
test_dataloader = val_dataloader

default_hooks = dict(checkpoint=dict(save_best='crowdpose/AP'))
