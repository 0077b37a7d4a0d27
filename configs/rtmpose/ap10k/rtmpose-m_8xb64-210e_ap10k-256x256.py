# RTMPose-m on AP-10K (split 1) at 256x256 (RTMPose Table 8), COCO AP with
# ground-truth boxes. The square-input recipe (210 epochs, batch 8x64) with
# 17 keypoints and a batch scale of 512.
_base_ = ['../_base_/rtmpose-m_8xb64-210e-256x256.py']

auto_scale_lr = dict(base_batch_size=512)

model = dict(head=dict(out_channels=17))

# base dataset settings
dataset_type = 'AP10KDataset'
data_mode = 'topdown'
data_root = 'data/ap10k/'

# data loaders
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        data_mode=data_mode,
        ann_file='annotations/ap10k-train-split1.json',
        data_prefix=dict(img='data/'),
        pipeline=_base_.train_pipeline,
    ))
val_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        data_mode=data_mode,
        ann_file='annotations/ap10k-val-split1.json',
        data_prefix=dict(img='data/'),
        test_mode=True,
        pipeline=_base_.val_pipeline,
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
        pipeline=_base_.val_pipeline,
    ))

# evaluators: COCO AP with the AP-10K sigmas, per species category
val_evaluator = dict(
    _delete_=True,
    type='CocoMetric',
    ann_file=f'{data_root}annotations/ap10k-val-split1.json')
test_evaluator = dict(
    _delete_=True,
    type='CocoMetric',
    ann_file=f'{data_root}annotations/ap10k-test-split1.json')
