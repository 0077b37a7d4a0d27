# AI Challenger (14 keypoints), top-down: train, and val on its
# ground-truth boxes; evaluated by COCO keypoint AP with the AIC sigmas.
# Loader settings as COCO's; the pipelines come with the input size
# (configs/_base_/inputs/).
_base_ = ['./coco.py']

dataset_type = 'AicDataset'
data_mode = 'topdown'
data_root = 'data/aic/'

train_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/aic_train.json',
        data_prefix=dict(img='ai_challenger_keypoint_train_20170902/'
                         'keypoint_train_images_20170902/'),
    ))
# on the ground-truth boxes: COCO's detection file (bbox_file) goes
val_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        data_mode=data_mode,
        ann_file='annotations/aic_val.json',
        data_prefix=dict(img='ai_challenger_keypoint_validation_20170911/'
                         'keypoint_validation_images_20170911/'),
        test_mode=True,
    ))
test_dataloader = val_dataloader

# AIC annotations have no areas: OKS uses 0.53 x the box area
val_evaluator = dict(
    type='CocoMetric',
    ann_file=f'{data_root}annotations/aic_val.json',
    use_area=False,
    prefix='aic')
test_evaluator = val_evaluator
