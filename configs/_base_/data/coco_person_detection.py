# COCO person boxes for detection (crowd boxes ignored), RTMDet's test-time
# input: resized keeping the aspect ratio into input_size, padded with 114.
dataset_type = 'CocoDetDataset'
data_root = 'data/coco/'
input_size = (640, 640)
metainfo = dict(classes=('person', ))

# images are read through the runtime's file backend (default_runtime.py)
test_pipeline = [
    dict(type='LoadImage', backend_args=dict(backend='local')),
    dict(type='Resize', scale=input_size, keep_ratio=True),
    dict(type='Pad', size=input_size, pad_val=dict(img=(114, 114, 114))),
    dict(
        type='PackDetInputs',
        meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape',
                   'scale_factor'))
]

train_dataloader = dict(
    batch_size=32,
    num_workers=10,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        metainfo=metainfo,
        ann_file='annotations/instances_train2017.json',
        data_prefix=dict(img='train2017/'),
        filter_cfg=dict(filter_empty_gt=True, min_size=32),
        pipeline=[]))
val_dataloader = dict(
    batch_size=5,
    num_workers=10,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        metainfo=metainfo,
        ann_file='annotations/instances_val2017.json',
        data_prefix=dict(img='val2017/'),
        test_mode=True,
        pipeline=test_pipeline))
test_dataloader = val_dataloader

val_evaluator = dict(
    type='CocoDetMetric',
    ann_file=data_root + 'annotations/instances_val2017.json')
test_evaluator = val_evaluator
