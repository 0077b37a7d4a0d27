# ViTPose-Huge with the classic decoder on COCO 256x192.
_base_ = ['./vitpose-base_8xb64-210e_coco-256x192.py']

arch = 'huge'
embed_dims = 1280
num_layers = 32
drop_path_rate = 0.55
layer_decay_rate = 0.85

optim_wrapper = dict(
    paramwise_cfg=dict(
        num_layers=num_layers, layer_decay_rate=layer_decay_rate))

model = dict(
    backbone=dict(
        arch=arch,
        drop_path_rate=drop_path_rate,
        init_cfg=dict(checkpoint=_base_.mae_vit_huge)),
    head=dict(in_channels=embed_dims))
