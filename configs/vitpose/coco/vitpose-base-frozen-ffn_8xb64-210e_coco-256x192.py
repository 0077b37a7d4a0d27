# ViTPose-B fine-tuned with the FFN modules frozen at their MAE weights
# (ViTPose Table 5).
_base_ = ['./vitpose-base_8xb64-210e_coco-256x192.py']

model = dict(backbone=dict(frozen_modules=('ffn', )))
