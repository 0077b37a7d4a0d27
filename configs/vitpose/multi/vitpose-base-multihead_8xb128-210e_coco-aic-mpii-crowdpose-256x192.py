# ViTPose-B multi-dataset training (ViTPose Table 6, last row; Table 14
# multi-task settings): COCO, AI Challenger, MPII and CrowdPose on one
# shared backbone with one classic decoder per dataset, each in its own
# keypoint layout; evaluated with the COCO head on COCO val2017. The MPII,
# CrowdPose and AIC heads are evaluated by splitting them off with the
# backbone: configs/vitpose/{mpii,crowdpose,aic}/.
_base_ = ['../coco/vitpose-base-multihead_8xb64-210e_aic-coco-256x192.py']

# Table 14, multi-task column: batch 1024, lr 1e-3 (weight decay, layer
# decay and drop path as single-task)
base_lr = 1e-3
optim_wrapper = dict(optimizer=dict(lr=base_lr))
auto_scale_lr = dict(base_batch_size=1024)

model = dict(
    heads=dict(
        mpii=dict(_base_.model.heads.coco, out_channels=16),
        crowdpose=dict(_base_.model.heads.coco, out_channels=14)))

dataset_mpii = dict(
    type='MpiiDataset',
    data_root='data/mpii/',
    data_mode='topdown',
    ann_file='annotations/mpii_train.json',
    data_prefix=dict(img='images/'),
    pipeline=[])
dataset_crowdpose = dict(
    type='CrowdPoseDataset',
    data_root='data/crowdpose/',
    data_mode='topdown',
    ann_file='annotations/mmpose_crowdpose_trainval.json',
    data_prefix=dict(img='images/'),
    pipeline=[])

# every instance of the four datasets once per epoch, shuffled together;
# samples reach their head by dataset_name (coco / aic / mpii / crowdpose)
train_dataloader = dict(
    batch_size=128,
    dataset=dict(datasets=[
        _base_.dataset_coco, _base_.dataset_aic, dataset_mpii,
        dataset_crowdpose
    ]))
