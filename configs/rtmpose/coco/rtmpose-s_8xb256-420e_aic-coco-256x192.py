_base_ = ['./rtmpose-m_8xb256-420e_aic-coco-256x192.py']

# RTMPose-s on COCO + AIC: the model and optimiser of
# rtmpose-s_8xb256-420e_coco-256x192.py (tests check they match)
optim_wrapper = dict(optimizer=dict(weight_decay=0.))

model = dict(
    backbone=dict(
        deepen_factor=0.33,
        widen_factor=0.5,
        init_cfg=dict(checkpoint=_base_.cspnext_s_udp_aic_coco)),
    head=dict(in_channels=512))
