# RTMPose-m: CSPNeXt-m backbone and the RTMCC head for the 17 COCO keypoints.
# The head's SimCC bins and decoder follow the codec (its input size and
# map size are derived); the config that picks an input sets the codec.
# The backbone starts from CSPNeXt-m pre-trained with UDP heatmaps on
# AIC + COCO (the other sizes name their own file of ./pretrained.py).
_base_ = ['./pretrained.py']

model = dict(
    type='TopdownPoseEstimator',
    data_preprocessor=dict(
        type='PoseDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    backbone=dict(
        type='CSPNeXt',
        arch='P5',
        expand_ratio=0.5,
        deepen_factor=0.67,
        widen_factor=0.75,
        out_indices=(4, ),
        channel_attention=True,
        norm_cfg=dict(type='SyncBN'),
        act_cfg=dict(type='SiLU'),
        init_cfg=dict(
            type='Pretrained',
            prefix='backbone.',
            checkpoint=_base_.cspnext_m_udp_aic_coco)),
    head=dict(
        type='RTMCCHead',
        in_channels=768,
        out_channels=17,
        final_layer_kernel_size=7,
        gau_cfg=dict(
            hidden_dims=256,
            s=128,
            expansion_factor=2,
            dropout_rate=0.,
            drop_path=0.,
            act_fn='SiLU',
            use_rel_bias=False,
            pos_enc=False),
        loss=dict(
            type='KLDiscretLoss',
            use_target_weight=True,
            beta=10.,
            label_softmax=True)),
    test_cfg=dict(flip_test=True))
