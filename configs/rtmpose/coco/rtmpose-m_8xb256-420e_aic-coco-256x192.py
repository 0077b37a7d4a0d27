# RTMPose-m trained on COCO + AI Challenger, evaluated on COCO val2017.
# Only the training data differ from the COCO recipe: both datasets, in the
# COCO layout (configs/_base_/data/aic_coco_train.py), go through the shared
# COCO training pipeline.
_base_ = [
    './rtmpose-m_8xb256-420e_coco-256x192.py',
    '../../_base_/data/aic_coco_train.py'
]

# One epoch: COCO three times + AIC once, shuffled together (the reference
# recipe's epoch).
train_dataloader = dict(
    sampler=dict(_delete_=True, type='MultiSourceSampler', shuffle=True),
    dataset=dict(
        _delete_=True,
        type='CombinedDataset',
        metainfo=dict(from_file='configs/_base_/datasets/coco.py'),
        datasets=[_base_.dataset_coco, _base_.dataset_aic],
        sample_ratio_factor=[3.0, 1.0],
        pipeline=_base_.train_pipeline,
        test_mode=False))
