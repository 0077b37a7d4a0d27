# ViTPose-B distilled from ViTPose-L (ViTPose Table 7, last row): heatmap
# output distillation (Eq. 4) plus the frozen knowledge token learnt in
# stage 1 (vitpose-large-knowledge-token_8xb64-10e_coco-256x192.py),
# appended to the student's patch tokens through a learnt 1024 -> 768
# projection (Eq. 6).
_base_ = ['./vitpose-base_8xb64-210e_coco-256x192.py']

# stage-1 checkpoint: ViTPose-L weights + backbone.knowledge_tokens
teacher_ckpt = ('work_dirs/vitpose-large-knowledge-token_8xb64-10e_'
                'coco-256x192/epoch_10.pth')

model = dict(
    _delete_=True,
    type='DistillationPoseEstimator',
    data_preprocessor=_base_.model.data_preprocessor,
    student=dict(
        type='TopdownPoseEstimator',
        backbone=_base_.model.backbone,
        head=_base_.model.head,
        test_cfg=_base_.model.test_cfg),
    teacher=dict(
        type='TopdownPoseEstimator',
        backbone=dict(
            _base_.model.backbone,
            arch='large',
            drop_path_rate=0.,
            num_knowledge_tokens=1,
            init_cfg=None),
        head=dict(_base_.model.head, in_channels=1024)),
    teacher_ckpt=teacher_ckpt,
    distill_cfg=dict(output_weight=1.0, use_knowledge_token=True))

# layer-wise lr decay over the student's backbone; the teacher is frozen
optim_wrapper = dict(paramwise_cfg=dict(backbone_prefix='student.backbone.'))
