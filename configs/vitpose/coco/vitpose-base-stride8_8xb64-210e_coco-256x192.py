# ViTPose-B with 1/8 features (ViTPose Table 4, full attention): 16x16
# patches at stride 8 overlap (padding 4), a 32x24 patch grid; one deconv
# brings it to the 64x48 heatmaps. The paper trained this one with fp16.
_base_ = ['./vitpose-base_8xb64-210e_coco-256x192.py']

model = dict(
    backbone=dict(patch_cfg=dict(stride=8, padding=4)),
    head=dict(deconv_out_channels=(256, ), deconv_kernel_sizes=(4, )))
