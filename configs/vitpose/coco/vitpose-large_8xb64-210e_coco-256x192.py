# ViTPose-Large with the classic decoder on COCO 256x192.
_base_ = ['./vitpose-base_8xb64-210e_coco-256x192.py']

arch = 'large'
embed_dims = 1024
num_layers = 24
drop_path_rate = 0.5
layer_decay_rate = 0.8

optim_wrapper = dict(
    paramwise_cfg=dict(
        num_layers=num_layers, layer_decay_rate=layer_decay_rate))

model = dict(
    backbone=dict(
        arch=arch,
        drop_path_rate=drop_path_rate,
        init_cfg=dict(checkpoint=_base_.mae_vit_large)),
    head=dict(in_channels=embed_dims))
