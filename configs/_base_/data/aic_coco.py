# COCO + AI Challenger for the 17 COCO keypoints: trained on COCO train2017
# and AIC train in the COCO layout (AIC samples converted: AIC head top and
# neck dropped, the COCO face keypoints stay unlabelled), evaluated on COCO
# val2017 as ./coco.py. The pipelines come with the input size
# (configs/_base_/inputs/).
_base_ = ['./coco.py']

# AIC index -> COCO index
aic_coco_mapping = [(0, 6), (1, 8), (2, 10), (3, 5), (4, 7), (5, 9), (6, 12),
                    (7, 14), (8, 16), (9, 11), (10, 13), (11, 15)]

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
    pipeline=[
        dict(
            type='KeypointConverter',
            num_keypoints=17,
            mapping=aic_coco_mapping)
    ])

# One epoch: COCO three times + AIC once, shuffled together (the reference
# recipe's epoch); the shared training pipeline runs on the combined samples.
train_dataloader = dict(
    sampler=dict(_delete_=True, type='MultiSourceSampler', shuffle=True),
    dataset=dict(
        _delete_=True,
        type='CombinedDataset',
        metainfo=dict(from_file='configs/_base_/datasets/coco.py'),
        datasets=[dataset_coco, dataset_aic],
        sample_ratio_factor=[3.0, 1.0],
        test_mode=False))
