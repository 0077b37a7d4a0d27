# COCO's 17 person keypoints plus AI Challenger's head top and neck (19
# keypoints): the layout of the CSPNeXt heatmap pre-training on COCO + AIC
# (configs/rtmpose/coco/cspnext-m_udp_8xb256-210e_aic-coco-256x192.py),
# whose members are mapped in with KeypointConverter. Keypoints 0-16 are
# COCO's, so a model of this layout is evaluated on COCO through
# test_cfg=dict(output_keypoint_indices=list(range(17))).
_base_ = ['./coco.py']

dataset_info = dict(
    dataset_name='coco_aic',
    keypoint_info={
        17: dict(name='head_top', id=17, color=[51, 153, 255], type='upper',
                 swap=''),
        18: dict(name='neck', id=18, color=[51, 153, 255], type='upper',
                 swap=''),
    },
    skeleton_info={
        19: dict(link=('head_top', 'neck'), id=19, color=[51, 153, 255]),
    },
    # COCO's, and 1 for the two AIC keypoints
    joint_weights=[
        1., 1., 1., 1., 1., 1., 1., 1.2, 1.2, 1.5, 1.5, 1., 1., 1.2, 1.2, 1.5,
        1.5, 1., 1.
    ],
    # COCO's; head top and neck as the nose (no COCO evaluation uses them)
    sigmas=[
        0.026, 0.025, 0.025, 0.035, 0.035, 0.079, 0.079, 0.072, 0.072, 0.062,
        0.062, 0.107, 0.107, 0.087, 0.087, 0.089, 0.089, 0.026, 0.026
    ])
