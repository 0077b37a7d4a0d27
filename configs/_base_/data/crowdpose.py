# CrowdPose (14 keypoints), top-down: trained on trainval, evaluated on test
# with the detector boxes released with CrowdPose, AP split by crowd index
# (easy / medium / hard). Loader settings and data mode as COCO's; the
# pipelines come with the input size (configs/_base_/inputs/).
_base_ = ['./coco.py']

dataset_type = 'CrowdPoseDataset'
data_root = 'data/crowdpose/'

train_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/mmpose_crowdpose_trainval.json',
        data_prefix=dict(img='images/'),
    ))
val_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/mmpose_crowdpose_test.json',
        bbox_file=f'{data_root}annotations/det_for_crowd_test_0.1_0.5.json',
        data_prefix=dict(img='images/'),
        test_mode=True,
    ))
test_dataloader = val_dataloader

# no GT areas: OKS uses 0.53 x the box area
val_evaluator = dict(
    type='CocoMetric',
    ann_file=f'{data_root}annotations/mmpose_crowdpose_test.json',
    use_area=False,
    iou_type='keypoints_crowd',
    prefix='crowdpose')
test_evaluator = val_evaluator
