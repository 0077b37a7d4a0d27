# ViTPose-B trained on COCO and AI Challenger with one shared backbone and
# one classic decoder per dataset (ViTPose Table 6); evaluated with the
# COCO head on COCO val2017. Each dataset keeps its own keypoints (17 / 14)
# and targets; samples reach their head by dataset_name.
_base_ = ['./vitpose-base_8xb64-210e_coco-256x192.py']

model = dict(
    _delete_=True,
    type='MultiHeadTopdownPoseEstimator',
    data_preprocessor=_base_.model.data_preprocessor,
    backbone=_base_.model.backbone,
    heads=dict(
        coco=_base_.model.head,
        aic=dict(_base_.model.head, out_channels=14)),
    predict_head='coco',
    test_cfg=_base_.model.test_cfg)

# a batch may lack one dataset: its head then has no gradient
find_unused_parameters = True

dataset_coco = dict(
    type='CocoDataset',
    data_root='data/coco/',
    data_mode='topdown',
    ann_file='annotations/person_keypoints_train2017.json',
    data_prefix=dict(img='train2017/'),
    pipeline=[])
dataset_aic = dict(
    type='AicDataset',
    data_root='data/aic/',
    data_mode='topdown',
    ann_file='annotations/aic_train.json',
    data_prefix=dict(img='ai_challenger_keypoint_train_20170902/'
                     'keypoint_train_images_20170902/'),
    pipeline=[])

# every instance of both datasets once per epoch, shuffled together
train_dataloader = dict(
    sampler=dict(_delete_=True, type='MultiSourceSampler', shuffle=True),
    dataset=dict(
        _delete_=True,
        type='MultiLayoutDataset',
        metainfo=dict(from_file='configs/_base_/datasets/coco.py'),
        datasets=[dataset_coco, dataset_aic],
        pipeline=_base_.train_pipeline,
        test_mode=False))
