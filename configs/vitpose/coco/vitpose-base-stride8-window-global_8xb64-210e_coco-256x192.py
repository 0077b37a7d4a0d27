# ViTPose-B, 1/8 features, 8x8 window attention with full attention in
# every fourth layer (as ViTDet; Table 4, row 6).
_base_ = ['./vitpose-base-stride8_8xb64-210e_coco-256x192.py']

model = dict(
    backbone=dict(
        window_cfg=dict(window_size=(8, 8), global_layers=(2, 5, 8, 11))))
