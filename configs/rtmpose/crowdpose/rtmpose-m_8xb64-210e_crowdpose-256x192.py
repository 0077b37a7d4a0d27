# RTMPose-m on CrowdPose at 256x192 (RTMPose Table 8): trained on trainval,
# evaluated on test with the detector boxes released with CrowdPose, AP
# split by crowd index (easy / medium / hard). The COCO recipe with 210
# epochs, batch 8x64 and 14 keypoints.
_base_ = ['../_base_/rtmpose-m_8xb64-210e-256x192.py']

auto_scale_lr = dict(base_batch_size=512)

model = dict(head=dict(out_channels=14))

# base dataset settings
dataset_type = 'CrowdPoseDataset'
data_mode = 'topdown'
data_root = 'data/crowdpose/'

# data loaders (the COCO pipelines: same input size)
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

default_hooks = dict(
    checkpoint=dict(
        save_best='crowdpose/AP', rule='greater', max_keep_ckpts=1))

# evaluators: CrowdPose AP (no GT areas: OKS uses 0.53 x box area)
val_evaluator = dict(
    type='CocoMetric',
    ann_file=f'{data_root}annotations/mmpose_crowdpose_test.json',
    use_area=False,
    iou_type='keypoints_crowd',
    prefix='crowdpose')
test_evaluator = val_evaluator
