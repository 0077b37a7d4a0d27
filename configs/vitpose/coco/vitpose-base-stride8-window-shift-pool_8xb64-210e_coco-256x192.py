# ViTPose-B, 1/8 features, 8x8 window attention in every layer with shifted
# windows (every second layer) and pooled-window keys (Table 4, row 5).
_base_ = ['./vitpose-base-stride8_8xb64-210e_coco-256x192.py']

model = dict(
    backbone=dict(
        window_cfg=dict(window_size=(8, 8), shift=True, pool=True)))
