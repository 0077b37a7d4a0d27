# ViTPose-B with the classic decoder on COCO 256x192 (the recipe of the
# ViTPose paper); the other sizes and the simple decoder inherit from here.
_base_ = [
    '../_base_/vitpose-base_210e-256x192.py', '../../_base_/data/coco.py'
]

# data: COCO at this recipe's batch sizes
train_dataloader = dict(
    batch_size=64,
    num_workers=4,
    dataset=dict(pipeline=_base_.train_pipeline))
val_dataloader = dict(
    batch_size=32, num_workers=4, dataset=dict(pipeline=_base_.val_pipeline))
test_dataloader = val_dataloader
