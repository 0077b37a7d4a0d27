# docs/add_a_backbone.md: the shared config with TinyNet (registered in
# tests/docs/test_add_a_backbone.py) in place of CSPNeXt; the RTMCC head's
# map size follows TinyNet's declared stride (16).
_base_ = ['five_points_base.py']
custom_imports = dict(imports=['test_add_a_backbone'])

model = dict(
    backbone=dict(_delete_=True, type='TinyNet', channels=(16, 32, 48, 64)),
    head=dict(in_channels=64))
