# ViTPose-B with its CrowdPose decoder head (14 keypoints), 256x192, as
# evaluated in ViTPose Table 11 (CrowdPose test, detector boxes released
# with CrowdPose, AP split by crowd index). In the paper this head is
# trained jointly with the COCO / AIC / MPII heads on a shared backbone and
# split off for evaluation; this config is that split model, trainable on
# CrowdPose alone with the ViTPose-B recipe.
_base_ = [
    '../_base_/vitpose-base_210e-256x192.py', '../../_base_/data/crowdpose.py'
]

model = dict(head=dict(out_channels=14))

train_dataloader = dict(
    batch_size=64,
    num_workers=4,
    dataset=dict(pipeline=_base_.train_pipeline))
val_dataloader = dict(
    batch_size=32, num_workers=4, dataset=dict(pipeline=_base_.val_pipeline))
test_dataloader = val_dataloader

default_hooks = dict(checkpoint=dict(save_best='crowdpose/AP'))
