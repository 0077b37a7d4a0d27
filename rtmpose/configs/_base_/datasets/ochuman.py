# OCHuman (occluded humans): the 17 COCO keypoints, evaluated like COCO
# (COCO sigmas) on its val/test splits with ground-truth boxes.
_base_ = ['./coco.py']

dataset_info = dict(
    dataset_name='ochuman',
    paper_info=dict(
        author='Zhang, Song-Hai and Li, Ruilong and Dong, Xin and Rosin, Paul '
        'and Cai, Zixi and Han, Xi and Yang, Dingcheng and Huang, Haozhi and '
        'Hu, Shi-Min',
        title='Pose2Seg: Detection Free Human Instance Segmentation',
        container='IEEE Conference on Computer Vision and Pattern '
        'Recognition (CVPR)',
        year='2019',
        homepage='https://github.com/liruilong940607/OCHumanApi',
    ))
