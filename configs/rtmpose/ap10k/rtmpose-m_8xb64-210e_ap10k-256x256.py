# RTMPose-m on AP-10K (split 1) at 256x256 (RTMPose Table 8), COCO AP with
# ground-truth boxes. The square-input recipe (210 epochs) at batch 8x64,
# 17 keypoints and a batch scale of 512.
_base_ = [
    '../_base_/rtmpose-m_210e-256x256.py', '../../_base_/data/ap10k.py'
]

auto_scale_lr = dict(base_batch_size=512)

model = dict(head=dict(out_channels=17))

train_dataloader = dict(
    batch_size=64, dataset=dict(pipeline=_base_.train_pipeline))
val_dataloader = dict(
    batch_size=32, dataset=dict(pipeline=_base_.val_pipeline))
test_dataloader = val_dataloader
