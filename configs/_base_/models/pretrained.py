# Published pre-trained backbone weights, named exactly as the reference
# configs (mmpose 1.3.2, mmdet 3.3.0) name them. The model configs start
# their backbone from these through
#   init_cfg=dict(type='Pretrained', prefix='backbone.', checkpoint=...)
# (ViT: no prefix, MAE files hold the bare backbone). They are downloaded
# once into torch hub's cache. Offline: pass a local copy with
#   --cfg-options model.backbone.init_cfg.checkpoint=/path/file.pth
# or train from scratch with --cfg-options model.backbone.init_cfg=None.

# CSPNeXt pre-trained on AIC + COCO with UDP heatmaps (RTMPose paper Sec. 3.2;
# configs/rtmpose/coco/cspnext-m_udp_8xb256-210e_aic-coco-256x192.py): the
# start of every RTMPose-t/s/m/l
cspnext_tiny_udp_aic_coco = (
    'https://download.openmmlab.com/mmpose/v1/projects/rtmposev1/'
    'cspnext-tiny_udp-aic-coco_210e-256x192-cbed682d_20230130.pth')
cspnext_s_udp_aic_coco = (
    'https://download.openmmlab.com/mmpose/v1/projects/rtmposev1/'
    'cspnext-s_udp-aic-coco_210e-256x192-92f5a029_20230130.pth')
cspnext_m_udp_aic_coco = (
    'https://download.openmmlab.com/mmpose/v1/projects/rtmposev1/'
    'cspnext-m_udp-aic-coco_210e-256x192-f2f7d6f6_20230130.pth')
cspnext_l_udp_aic_coco = (
    'https://download.openmmlab.com/mmpose/v1/projects/rtmposev1/'
    'cspnext-l_udp-aic-coco_210e-256x192-273b7631_20230130.pth')
# RTMPose-x: CSPNeXt-x pre-trained the same way on seven body datasets
cspnext_x_udp_body7 = (
    'https://download.openmmlab.com/mmpose/v1/projects/rtmposev1/'
    'cspnext-x_udp-body7_210e-384x288-d28b58e6_20230529.pth')

# CSPNeXt-m trained on ImageNet-1k with the RSB A1 recipe (mmdet): the start
# of the UDP pre-training above and of RTMDet-m
cspnext_m_rsb_in1k = (
    'https://download.openmmlab.com/mmdetection/v3.0/rtmdet/'
    'cspnext_rsb_pretrain/cspnext-m_8xb256-rsb-a1-600e_in1k-ecb3bbd9.pth')

# ViT MAE weights (ViTPose), the re-published 2023-09-13 files
mae_vit_small = ('https://download.openmmlab.com/mmpose/v1/pretrained_models/'
                 'mae_pretrain_vit_small_20230913.pth')
mae_vit_base = ('https://download.openmmlab.com/mmpose/v1/pretrained_models/'
                'mae_pretrain_vit_base_20230913.pth')
mae_vit_large = ('https://download.openmmlab.com/mmpose/v1/pretrained_models/'
                 'mae_pretrain_vit_large_20230913.pth')
mae_vit_huge = ('https://download.openmmlab.com/mmpose/v1/pretrained_models/'
                'mae_pretrain_vit_huge_20230913.pth')
