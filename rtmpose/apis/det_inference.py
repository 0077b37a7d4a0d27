"""Python API of the detector: boxes of one image."""
from typing import Tuple, Union

import numpy as np
import torch
from mmengine.dataset import Compose, pseudo_collate
from torch import nn


def inference_detector(model: nn.Module, img: Union[str, np.ndarray]
                       ) -> Tuple[np.ndarray, np.ndarray]:
    """Detect objects in one image with a detector from ``init_model``.

    The image goes through the config's test pipeline (resize keeping the
    ratio, pad with 114), the model and its post-processing (score
    threshold, class-aware NMS, at most ``max_per_img`` boxes).

    Args:
        model: an ``RTMDet`` from :func:`rtmpose.apis.init_model`.
        img: image path or (H, W, 3) BGR array, uint8 or float in [0, 255].

    Returns:
        ``bboxes`` (N, 4) float32 xyxy pixels of ``img`` and ``scores``
        (N,) float32, highest score first (all classes; the person models
        have one).
    """
    if isinstance(img, str):
        data = dict(img_path=img)
    elif isinstance(img, np.ndarray):
        if img.ndim != 3 or img.shape[2] != 3:
            raise ValueError('inference_detector: img must be (H, W, 3) BGR, '
                             f'got shape {img.shape}')
        if img.dtype != np.uint8:
            img = img.astype(np.float32)
        data = dict(img=img, img_path=None)
    else:
        raise TypeError('inference_detector: img must be a path or an '
                        f'(H, W, 3) array, got {type(img).__name__}')
    pipeline = Compose(model.cfg.test_dataloader.dataset.pipeline)
    batch = pseudo_collate([pipeline(data)])
    with torch.no_grad():
        pred = model.test_step(batch)[0].pred_instances
    return (pred.bboxes.cpu().numpy().astype(np.float32),
            pred.scores.cpu().numpy().astype(np.float32))
