# ViTPose-Small with the classic decoder on COCO 256x192.
_base_ = ['./vitpose-base_8xb64-210e_coco-256x192.py']

arch = 'small'
embed_dims = 384
num_layers = 12
drop_path_rate = 0.1
layer_decay_rate = 0.8

optim_wrapper = dict(
    paramwise_cfg=dict(
        num_layers=num_layers, layer_decay_rate=layer_decay_rate))

model = dict(
    backbone=dict(
        arch=arch,
        drop_path_rate=drop_path_rate,
        init_cfg=dict(checkpoint=_base_.mae_vit_small)),
    head=dict(in_channels=embed_dims))
