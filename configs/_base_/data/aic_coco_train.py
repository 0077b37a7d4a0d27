# COCO train2017 and AI Challenger train as the two members of the RTMPose
# COCO + AIC training set, both in the 17-keypoint COCO layout: AIC samples
# are converted (AIC head top and neck dropped, the COCO face keypoints stay
# unlabelled). Pieces for a config whose training pipeline is its own:
#   _base_ = [RECIPE_CONFIG, '../../_base_/data/aic_coco_train.py']
#   train_dataloader = dict(dataset=dict(
#       type='CombinedDataset',
#       datasets=[_base_.dataset_coco, _base_.dataset_aic], ...))

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
