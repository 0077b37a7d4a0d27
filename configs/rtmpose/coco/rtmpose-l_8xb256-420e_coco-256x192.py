_base_ = ['./rtmpose-m_8xb256-420e_coco-256x192.py']

model = dict(
    backbone=dict(
        deepen_factor=1.,
        widen_factor=1.,
        init_cfg=dict(checkpoint=_base_.cspnext_l_udp_aic_coco)),
    head=dict(in_channels=1024))
