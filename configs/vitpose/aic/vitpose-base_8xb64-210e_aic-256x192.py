# ViTPose-B with its AI Challenger decoder head (14 keypoints), 256x192, as
# evaluated in ViTPose Table 13 (AIC val with ground-truth boxes). In the
# paper this head is trained jointly with the COCO / MPII / CrowdPose heads
# on a shared backbone and split off for evaluation; this config is that
# split model, trainable on AIC alone with the COCO recipe.
_base_ = ['../coco/vitpose-base_8xb64-210e_coco-256x192.py']

model = dict(head=dict(out_channels=14))

dataset_type = 'AicDataset'
data_mode = 'topdown'
data_root = 'data/aic/'

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        data_mode=data_mode,
        ann_file='annotations/aic_train.json',
        data_prefix=dict(img='ai_challenger_keypoint_train_20170902/'
                         'keypoint_train_images_20170902/'),
        pipeline=_base_.train_pipeline,
    ))
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
        pipeline=_base_.val_pipeline,
    ))
test_dataloader = val_dataloader

default_hooks = dict(checkpoint=dict(save_best='aic/AP'))

# AIC annotations have no areas: OKS uses 0.53 x the box area
val_evaluator = dict(
    type='CocoMetric',
    ann_file=f'{data_root}annotations/aic_val.json',
    use_area=False,
    prefix='aic')
test_evaluator = val_evaluator
