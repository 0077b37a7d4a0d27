# ViTPose-Small with the simple decoder (ReLU, bilinear x4, 3x3 conv) on
# COCO 256x192.
_base_ = ['./vitpose-small_8xb64-210e_coco-256x192.py']

model = dict(
    head=dict(
        deconv_out_channels=None,
        deconv_kernel_sizes=None,
        upsample_factor=4,
        final_layer=dict(kernel_size=3)))
