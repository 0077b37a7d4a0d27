_base_ = ['./rtmpose-m_8xb256-420e_coco-256x192.py']

# RTMPose-m trained on COCO + AI Challenger, evaluated on COCO val2017.
# Only the training data differ from the COCO recipe: AIC samples are
# converted to the 17 COCO keypoints (AIC head top and neck are dropped, the
# COCO face keypoints stay unlabelled), then both go through the shared
# COCO training pipeline.

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
# recipe's epoch).
train_dataloader = dict(
    sampler=dict(_delete_=True, type='MultiSourceSampler', shuffle=True),
    dataset=dict(
        _delete_=True,
        type='CombinedDataset',
        metainfo=dict(from_file='configs/_base_/datasets/coco.py'),
        datasets=[dataset_coco, dataset_aic],
        sample_ratio_factor=[3.0, 1.0],
        pipeline=_base_.train_pipeline,
        test_mode=False))
