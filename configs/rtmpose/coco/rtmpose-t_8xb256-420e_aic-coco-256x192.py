_base_ = ['./rtmpose-m_8xb256-420e_aic-coco-256x192.py']

# RTMPose-t on COCO + AIC: the model and optimiser of
# rtmpose-t_8xb256-420e_coco-256x192.py (tests check they match)
optim_wrapper = dict(optimizer=dict(weight_decay=0.))
custom_hooks = _base_.custom_hooks[-1:]  # the stage-2 switch only

model = dict(
    backbone=dict(
        deepen_factor=0.167,
        widen_factor=0.375,
        init_cfg=dict(checkpoint=_base_.cspnext_tiny_udp_aic_coco)),
    head=dict(in_channels=384))
