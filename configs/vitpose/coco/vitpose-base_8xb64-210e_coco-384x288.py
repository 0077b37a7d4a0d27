# ViTPose-B with the classic decoder on COCO at 384x288 (ViTPose Table 3).
# Patch grid 24x18, heatmaps 72x96; the Gaussian grows with the heatmap
# (sigma 2 at 48x64 -> 3). Weights of a 256x192 model load with the
# position embedding resized 16x12 -> 24x18 (bicubic).
_base_ = ['./vitpose-base_8xb64-210e_coco-256x192.py']

codec = dict(
    type='UDPHeatmap', input_size=(288, 384), heatmap_size=(72, 96), sigma=3)

model = dict(
    backbone=dict(img_size=(384, 288)), head=dict(decoder=codec))

# the recipe's pipelines, cropping to this input and encoding with this codec
train_pipeline, val_pipeline = ([
    dict(step, input_size=codec['input_size'])
    if step['type'] == 'TopdownAffine' else
    dict(step, encoder=codec) if step['type'] == 'GenerateTarget' else step
    for step in pipeline
] for pipeline in (_base_.train_pipeline, _base_.val_pipeline))
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader
