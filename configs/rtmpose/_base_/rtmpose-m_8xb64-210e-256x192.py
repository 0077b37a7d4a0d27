# The COCO RTMPose-m recipe at the benchmark tables' schedule (RTMPose
# Tables 8 and 9): 210 epochs, batch 8x64. The CrowdPose config and the
# square-input base add their data or input size.
_base_ = ['../coco/rtmpose-m_8xb256-420e_coco-256x192.py']

# schedule: the COCO recipe's, 210 epochs (cosine over the second half)
max_epochs = 210
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    _base_.param_scheduler[0],
    dict(
        _base_.param_scheduler[1],
        begin=max_epochs // 2,
        end=max_epochs,
        T_max=max_epochs // 2)
]

train_dataloader = dict(batch_size=64)
val_dataloader = dict(batch_size=32)
test_dataloader = val_dataloader

# stage-2 augmentation for the last 30 of the 210 epochs
custom_hooks = [
    _base_.ema_hook,
    dict(
        _base_.custom_hooks[-1],
        switch_epoch=max_epochs - _base_.stage2_num_epochs)
]
