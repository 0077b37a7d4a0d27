# ViTPose-B with its MPII decoder head (16 keypoints), 256x192, as evaluated
# in ViTPose Table 12 (PCKh@0.5 on MPII val with ground-truth boxes and
# mpii_gt_val.mat head boxes). In the paper this head is trained jointly
# with the COCO / AIC / CrowdPose heads on a shared backbone and split off
# for evaluation; this config is that split model (backbone + MPII head),
# trainable on MPII alone with the ViTPose-B recipe.
_base_ = [
    '../_base_/vitpose-base_210e-256x192.py', '../../_base_/data/mpii.py'
]

model = dict(head=dict(out_channels=16))

train_dataloader = dict(
    batch_size=64,
    num_workers=4,
    dataset=dict(pipeline=_base_.train_pipeline))
val_dataloader = dict(
    batch_size=32, num_workers=4, dataset=dict(pipeline=_base_.val_pipeline))
test_dataloader = val_dataloader

default_hooks = dict(checkpoint=dict(save_best='mpii/Mean'))
