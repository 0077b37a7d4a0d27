# The RTMPose-m recipe at the benchmark tables' schedule (RTMPose Tables 8
# and 9), all but the data: 210 epochs. The benchmark configs train it at
# batch 8x64 on their data; the square-input base changes the input size.
_base_ = ['./rtmpose-m_420e-256x192.py']

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

# stage-2 augmentation for the last 30 of the 210 epochs
custom_hooks = [
    _base_.ema_hook,
    dict(
        _base_.custom_hooks[-1],
        switch_epoch=max_epochs - _base_.stage2_num_epochs)
]
