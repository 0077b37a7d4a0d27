# ViTPose-B with its CrowdPose decoder head (14 keypoints), 256x192, as
# evaluated in ViTPose Table 11 (CrowdPose test, detector boxes released
# with CrowdPose, AP split by crowd index). In the paper this head is
# trained jointly with the COCO / AIC / MPII heads on a shared backbone and
# split off for evaluation; this config is that split model, trainable on
# CrowdPose alone with the COCO recipe.
_base_ = ['../coco/vitpose-base_8xb64-210e_coco-256x192.py']

model = dict(head=dict(out_channels=14))

dataset_type = 'CrowdPoseDataset'
data_mode = 'topdown'
data_root = 'data/crowdpose/'

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        data_mode=data_mode,
        ann_file='annotations/mmpose_crowdpose_trainval.json',
        data_prefix=dict(img='images/'),
        pipeline=_base_.train_pipeline,
    ))
val_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        data_mode=data_mode,
        ann_file='annotations/mmpose_crowdpose_test.json',
        bbox_file=f'{data_root}annotations/det_for_crowd_test_0.1_0.5.json',
        data_prefix=dict(img='images/'),
        test_mode=True,
        pipeline=_base_.val_pipeline,
    ))
test_dataloader = val_dataloader

default_hooks = dict(checkpoint=dict(save_best='crowdpose/AP'))

val_evaluator = dict(
    type='CocoMetric',
    ann_file=f'{data_root}annotations/mmpose_crowdpose_test.json',
    use_area=False,
    iou_type='keypoints_crowd',
    prefix='crowdpose')
test_evaluator = val_evaluator
