# RTMPose-x on COCO-WholeBody at 384x288 (RTMPose Table 6): the RTMPose-l
# 384x288 recipe with the extra-large backbone (CSPNeXt deepen 1.33, widen
# 1.25 -> 1280 output channels).
_base_ = ['./rtmpose-l_8xb32-270e_coco-wholebody-384x288.py']

model = dict(
    backbone=dict(deepen_factor=1.33, widen_factor=1.25),
    head=dict(in_channels=1280))
