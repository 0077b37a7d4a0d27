# RTMPose-l on COCO-WholeBody at 256x192: the RTMPose-m recipe with the
# large backbone.
_base_ = ['./rtmpose-m_8xb64-270e_coco-wholebody-256x192.py']

model = dict(
    backbone=dict(
        deepen_factor=1.,
        widen_factor=1.,
        init_cfg=dict(checkpoint=_base_.cspnext_l_udp_aic_coco)),
    head=dict(in_channels=1024))
