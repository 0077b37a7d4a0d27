# Stage 1 of knowledge-token distillation (ViTPose Eq. 5): the trained
# ViTPose-L, frozen (eval mode), learns one knowledge token appended to its
# patch tokens on the heatmap loss. Its checkpoint (teacher + token) is the
# teacher of vitpose-base-distill-large_8xb64-210e_coco-256x192.py.
_base_ = ['./vitpose-large_8xb64-210e_coco-256x192.py']

# the trained teacher, e.g. the end of its 210-epoch run
teacher_ckpt = 'work_dirs/vitpose-large_8xb64-210e_coco-256x192/epoch_210.pth'

max_epochs = 10
train_cfg = dict(max_epochs=max_epochs, val_interval=5)

model = dict(
    type='KnowledgeTokenPoseEstimator',
    teacher_ckpt=teacher_ckpt,
    backbone=dict(num_knowledge_tokens=1, drop_path_rate=0., init_cfg=None))

# only the token trains: full lr, no weight decay
optim_wrapper = dict(
    paramwise_cfg=dict(
        custom_keys={'knowledge_tokens': dict(decay_mult=0.)}))
param_scheduler = [
    dict(
        type='LinearLR', begin=0, end=500, start_factor=0.001,
        by_epoch=False)
]
