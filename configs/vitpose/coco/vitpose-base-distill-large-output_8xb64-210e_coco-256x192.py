# ViTPose-B distilled from ViTPose-L by heatmap output distillation only
# (ViTPose Eq. 4, Table 7 row 3): no knowledge token, so the teacher is the
# plainly trained ViTPose-L.
_base_ = ['./vitpose-base-distill-large_8xb64-210e_coco-256x192.py']

teacher_ckpt = 'work_dirs/vitpose-large_8xb64-210e_coco-256x192/epoch_210.pth'

model = dict(
    teacher=dict(backbone=dict(num_knowledge_tokens=0)),
    teacher_ckpt=teacher_ckpt,
    distill_cfg=dict(use_knowledge_token=False))
