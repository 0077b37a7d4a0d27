"""Demo-sized models for the export tests, built in a second (random
weights, no training) with outputs shaped like a trained model's."""
import os.path as osp

import cv2
import numpy as np
import torch

from rtmpose.apis import init_model

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
POSE_CONFIG = osp.join(ROOT, 'configs/demo/rtmpose-t_demo.py')
VITPOSE_CONFIG = osp.join(ROOT, 'configs/demo/vitpose-tiny_demo.py')
DET_CONFIG = osp.join(ROOT, 'configs/demo/rtmdet-nano_demo.py')
# the test image: the detector's input size (256 x 192), so every client's
# letterbox is the identity and all see the same detector input
IMAGE_HW = (192, 256)


def pose_model(config: str = POSE_CONFIG):
    torch.manual_seed(0)
    model = init_model(config)
    model.head.init_weights()  # std 0.01 like a trained model's scale
    model.test_cfg['flip_test'] = False  # as the exported graphs
    return model


def detector_model():
    """The RTMDet demo with batch-norm statistics of the test image (at
    random weights its features otherwise fade to ~1e-6 over the layers,
    every prior scoring the same) and boxes of a few strides (the random
    regression alone gives sub-pixel boxes)."""
    torch.manual_seed(0)
    model = init_model(DET_CONFIG)
    for reg in model.bbox_head.rtm_reg:
        reg.bias.data.fill_(1.5)
    norms = [m for m in model.modules()
             if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    for norm in norms:
        norm.reset_running_stats()
        norm.momentum = None  # the plain average of the batches seen
    pre = model.data_preprocessor
    image = torch.from_numpy(test_image()).permute(2, 0, 1)[None].float()
    model.train()
    with torch.no_grad():
        model((image - pre.mean[None]) / pre.std[None], None, mode='tensor')
    return model.eval()


def aligned_detector_model(input_size=(96, 128), padding=1.25):
    """The RTMDet demo made to detect, on any image, one box per prior of
    its coarsest level: (w, h) = ``input_size`` / ``padding`` centred on
    the prior, scored 0.99. Such a box crops to exactly the pose input
    (scale 1, whole-pixel offset), where the mmdeploy SDK's crop (rounded
    to pixels) and the toolbox's affine warp give the same pixels."""
    model = detector_model()
    head = model.bbox_head
    last = len(head.rtm_cls) - 1
    stride = head.prior_generator.strides[last][0]
    half_w, half_h = (v / padding / 2 for v in input_size)
    for level, (cls, reg) in enumerate(zip(head.rtm_cls, head.rtm_reg)):
        cls.weight.data.zero_()
        reg.weight.data.zero_()
        cls.bias.data.fill_(5. if level == last else -20.)
        reg.bias.data.copy_(
            torch.tensor([half_w, half_h, half_w, half_h]) / stride)
    return model


def test_image() -> np.ndarray:
    """(192, 256, 3) uint8 BGR: smooth blobs (a textured scene, so crops
    and letterboxes differ where the geometry does)."""
    rng = np.random.default_rng(3)
    small = rng.integers(0, 256, (12, 16, 3)).astype(np.float32)
    return cv2.resize(small, IMAGE_HW[::-1],
                      interpolation=cv2.INTER_CUBIC).clip(0, 255).astype(
                          np.uint8)
