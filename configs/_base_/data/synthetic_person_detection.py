# Person boxes of the embedded synthetic demo data (generated on first use
# into synthetic_data_root; the same root and synthetic_cfg as the pose demo
# configs/demo/rtmpose-t_demo.py, so both share one generation and one val
# split). Pieces for a detector config that already has its pipelines:
#   _base_ = [DETECTOR_CONFIG, '../_base_/data/synthetic_person_detection.py']
#   train_dataloader = dict(dataset={{_base_.synthetic_train_dataset}})
#   val_dataloader = dict(dataset={{_base_.synthetic_val_dataset}})
#   val_evaluator = {{_base_.synthetic_val_evaluator}}
synthetic_data_root = 'data/demo_synthetic/'
synthetic_cfg = dict(num_train_images=1500, num_val_images=200, seed=0)

synthetic_train_dataset = dict(
    type='SyntheticCocoDetDataset',
    data_root=synthetic_data_root,
    synthetic_cfg=synthetic_cfg,
    metainfo=dict(classes=('person', )),
    ann_file='annotations/person_keypoints_train.json',
    data_prefix=dict(img='images/train/'),
    filter_cfg=dict(filter_empty_gt=True, min_size=32))
synthetic_val_dataset = dict(
    type='SyntheticCocoDetDataset',
    data_root=synthetic_data_root,
    synthetic_cfg=synthetic_cfg,
    metainfo=dict(classes=('person', )),
    ann_file='annotations/person_keypoints_val.json',
    data_prefix=dict(img='images/val/'),
    test_mode=True)
synthetic_val_evaluator = dict(
    type='CocoDetMetric',
    ann_file=synthetic_data_root + 'annotations/person_keypoints_val.json')
