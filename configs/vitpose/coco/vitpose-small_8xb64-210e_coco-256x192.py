# ViTPose-Small with the classic decoder on COCO 256x192.
_base_ = ['./vitpose-base_8xb64-210e_coco-256x192.py']

arch = 'small'
embed_dims = 384
num_layers = 12
drop_path_rate = 0.1
layer_decay_rate = 0.8
pretrained = ('https://download.openmmlab.com/mmpose/v1/pretrained_models/'
              'mae_pretrain_vit_small.pth')

optim_wrapper = dict(
    paramwise_cfg=dict(
        num_layers=num_layers, layer_decay_rate=layer_decay_rate))

model = dict(
    backbone=dict(
        arch=arch,
        drop_path_rate=drop_path_rate,
        init_cfg=dict(checkpoint=pretrained)),
    head=dict(in_channels=embed_dims))
