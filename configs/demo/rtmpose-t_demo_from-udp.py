# Stage 2 of the RTMPose chain at demo scale: the RTMPose-t demo, its backbone
# initialised from the UDP-heatmap pre-training of cspnext-t_udp_demo.py
# through the same route as the published configs (Pretrained, 'backbone.').
# Run `python tools/train.py configs/demo/cspnext-t_udp_demo.py` first.
_base_ = ['./rtmpose-t_demo.py']

model = dict(
    backbone=dict(
        init_cfg=dict(
            _delete_=True,  # the demo's None
            type='Pretrained',
            prefix='backbone.',
            checkpoint='work_dirs/cspnext-t_udp_demo/epoch_5.pth')))
