# AP-10K (split 1; 17 animal keypoints), top-down on the ground-truth boxes:
# train, val and test files of the split; evaluated by COCO keypoint AP
# with the AP-10K sigmas. Loader settings as COCO's; the pipelines come with
# the input size (configs/_base_/inputs/).
_base_ = ['./coco.py']

dataset_type = 'AP10KDataset'
data_mode = 'topdown'
data_root = 'data/ap10k/'

train_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/ap10k-train-split1.json',
        data_prefix=dict(img='data/'),
    ))
# on the ground-truth boxes: COCO's detection file (bbox_file) goes
val_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        data_mode=data_mode,
        ann_file='annotations/ap10k-val-split1.json',
        data_prefix=dict(img='data/'),
        test_mode=True,
    ))
test_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        data_mode=data_mode,
        ann_file='annotations/ap10k-test-split1.json',
        data_prefix=dict(img='data/'),
        test_mode=True,
    ))

val_evaluator = dict(
    _delete_=True,
    type='CocoMetric',
    ann_file=f'{data_root}annotations/ap10k-val-split1.json')
test_evaluator = dict(
    _delete_=True,
    type='CocoMetric',
    ann_file=f'{data_root}annotations/ap10k-test-split1.json')
