# ViTPose-B with the classic decoder on COCO at 576x432 (ViTPose Table 3).
# Patch grid 36x27, heatmaps 108x144, sigma scaled with the heatmap
# (2 x 144 / 64 = 4.5).
_base_ = ['./vitpose-base_8xb64-210e_coco-384x288.py']

codec = dict(
    type='UDPHeatmap',
    input_size=(432, 576),
    heatmap_size=(108, 144),
    sigma=4.5)

model = dict(
    backbone=dict(img_size=(576, 432)), head=dict(decoder=codec))

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
