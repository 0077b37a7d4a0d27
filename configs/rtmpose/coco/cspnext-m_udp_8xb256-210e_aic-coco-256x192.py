# Heatmap pre-training of the CSPNeXt-m backbone on COCO + AIC (RTMPose paper
# Sec. 3.2): UDP heatmaps at stride 4 from the stride-32 feature map (three
# deconvolutions) for 19 keypoints, COCO's 17 plus AIC's head top and neck,
# starting from CSPNeXt-m trained on ImageNet (RSB). RTMPose-m then starts
# from this backbone with
# init_cfg=dict(type='Pretrained', prefix='backbone.', checkpoint=...).
# The 210-epoch recipe on the COCO + AIC data, at batch 8x256; evaluated on
# COCO's 17 keypoints without flip test.
_base_ = [
    '../_base_/rtmpose-m_210e-256x192.py', '../../_base_/data/aic_coco.py'
]

codec = dict(
    type='UDPHeatmap', input_size=(192, 256), heatmap_size=(48, 64), sigma=2)

model = dict(
    backbone=dict(init_cfg=dict(checkpoint=_base_.cspnext_m_rsb_in1k)),
    head=dict(
        _delete_=True,
        type='HeatmapHead',
        in_channels=768,
        out_channels=19,
        deconv_out_channels=(256, 256, 256),
        deconv_kernel_sizes=(4, 4, 4),
        loss=dict(type='KeypointMSELoss', use_target_weight=True),
        decoder=codec),
    test_cfg=dict(flip_test=False, output_keypoint_indices=list(range(17))))

# the recipe's pipelines, cropping with UDP and encoding with this codec
train_pipeline, val_pipeline, train_pipeline_stage2 = ([
    dict(step, input_size=codec['input_size'], use_udp=True)
    if step['type'] == 'TopdownAffine' else
    dict(step, encoder=codec) if step['type'] == 'GenerateTarget' else step
    for step in pipeline
] for pipeline in (_base_.train_pipeline, _base_.val_pipeline,
                   _base_.train_pipeline_stage2))

# both members in the 19-keypoint layout: COCO's keypoints keep their
# index, AIC's map onto COCO's plus head top (17) and neck (18)
coco_aic_num_keypoints = 19
train_dataloader = dict(
    dataset=dict(
        metainfo=dict(from_file='configs/_base_/datasets/coco_aic.py'),
        datasets=[
            dict(
                _base_.dataset_coco,
                pipeline=[
                    dict(
                        type='KeypointConverter',
                        num_keypoints=coco_aic_num_keypoints,
                        mapping=[(i, i) for i in range(17)])
                ]),
            dict(
                _base_.dataset_aic,
                pipeline=[
                    dict(
                        type='KeypointConverter',
                        num_keypoints=coco_aic_num_keypoints,
                        mapping=_base_.aic_coco_mapping + [(12, 17),
                                                           (13, 18)])
                ])
        ],
        pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader

custom_hooks = [
    _base_.ema_hook,
    dict(_base_.custom_hooks[-1], switch_pipeline=train_pipeline_stage2)
]
