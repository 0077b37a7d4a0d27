# RTMPose-m on COCO-WholeBody v1.0 (133 keypoints) at 256x192 (RTMPose
# Table 6), evaluated on val2017 with the COCO person detections (AP 56)
# for whole body, body, foot, face and hands. The COCO recipe with 270
# epochs and batch 8x64.
_base_ = [
    '../_base_/rtmpose-m_420e-256x192.py',
    '../../_base_/data/coco_wholebody.py'
]

# schedule: the COCO recipe's, 270 epochs (cosine over the second half)
max_epochs = 270
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    _base_.param_scheduler[0],
    dict(
        _base_.param_scheduler[1],
        begin=max_epochs // 2,
        end=max_epochs,
        T_max=max_epochs // 2)
]
auto_scale_lr = dict(base_batch_size=512)

model = dict(head=dict(out_channels=133))

train_dataloader = dict(
    batch_size=64, dataset=dict(pipeline=_base_.train_pipeline))
val_dataloader = dict(
    batch_size=32, dataset=dict(pipeline=_base_.val_pipeline))
test_dataloader = val_dataloader

# hooks: EMA of the weights; stage-2 augmentation for the last 30 epochs
default_hooks = dict(checkpoint=dict(save_best='coco-wholebody/AP'))
custom_hooks = [
    _base_.ema_hook,
    dict(
        _base_.custom_hooks[-1],
        switch_epoch=max_epochs - _base_.stage2_num_epochs)
]
