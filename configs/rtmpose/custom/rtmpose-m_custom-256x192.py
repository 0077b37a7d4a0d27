# Template: RTMPose-m at 256x192 on your own keypoint set in COCO format
# (see docs/custom_dataset.md). Set the values of the first block; the rest
# is the COCO recipe, the backbone starting from the published CSPNeXt-m
# pre-training (fetched on first use; offline: --cfg-options
# model.backbone.init_cfg.checkpoint=/path/file.pth, or =None for scratch).
_base_ = ['../coco/rtmpose-m_8xb256-420e_coco-256x192.py']

# ---- your data -----------------------------------------------------------
data_root = 'data/my_keypoints/'
train_ann = 'annotations/train.json'
val_ann = 'annotations/val.json'
img_prefix = 'images/'
# The keypoint set: derived from the "keypoints" / "skeleton" of the JSON's
# category (flip pairs from left/right names, sigmas by name), or
# dict(from_file='path/to/my_keypoints.py') for a metainfo file.
metainfo = dict(from_coco_categories=True)
# Must equal the number of keypoints of the set (checked at start-up).
num_keypoints = 17
# --------------------------------------------------------------------------

model = dict(head=dict(out_channels=num_keypoints))

train_dataloader = dict(
    batch_size=64,
    dataset=dict(
        _delete_=True,
        type='CustomCocoDataset',
        data_root=data_root,
        ann_file=train_ann,
        data_prefix=dict(img=img_prefix),
        metainfo=metainfo,
        pipeline=_base_.train_pipeline))
val_dataloader = dict(
    batch_size=32,
    dataset=dict(
        _delete_=True,
        type='CustomCocoDataset',
        data_root=data_root,
        ann_file=val_ann,
        data_prefix=dict(img=img_prefix),
        metainfo=metainfo,
        test_mode=True,
        pipeline=_base_.val_pipeline))
test_dataloader = val_dataloader

# OKS AP on the annotated boxes of the val file (sigmas of the metainfo)
val_evaluator = dict(ann_file=data_root + val_ann)
test_evaluator = val_evaluator
