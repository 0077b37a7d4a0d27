"""Training-time accuracy of SimCC predictions (``acc_pose``)."""
from typing import Sequence

import numpy as np
import torch
from torch import Tensor

from rtmpose.evaluation.functional.keypoint_eval import keypoint_pck_accuracy


def simcc_argmax_coords(simcc_x: Tensor, simcc_y: Tensor,
                        split_ratio: float) -> Tensor:
    """(N, K, Wx), (N, K, Wy) -> (N, K, 2) argmax locations in input pixels."""
    return torch.stack([simcc_x.argmax(-1), simcc_y.argmax(-1)],
                       dim=-1).float() / split_ratio


@torch.no_grad()
def simcc_pck_accuracy(pred_x: Tensor,
                       pred_y: Tensor,
                       gt_x: Tensor,
                       gt_y: Tensor,
                       weights: Tensor,
                       input_size: Sequence[int],
                       split_ratio: float,
                       thr: float = 0.05) -> Tensor:
    """PCK of the argmax locations, averaged over keypoints (mmpose's
    ``simcc_pck_accuracy``, the ``acc_pose`` of RTMPose training logs).

    A keypoint counts as correct when the distance between the argmax
    locations of prediction and label, x divided by the input *height* and
    y by the input *width* (mmpose's normalisation, (H, W) for (x, y)), is
    below ``thr`` (0.05: about 10-13 pixels at 192x256). A vector whose
    maximum is not positive decodes to (-1, -1), as mmpose's
    ``get_simcc_maximum``. The result is the mean over keypoints of each
    keypoint's accuracy among its labelled instances (``weights > 0``).

    Args:
        pred_x, gt_x (Tensor): (N, K, W*k) predicted / target x vectors.
        pred_y, gt_y (Tensor): (N, K, H*k) predicted / target y vectors.
        weights (Tensor): (N, K) keypoint weights.
        input_size (Sequence[int]): (w, h) input pixels.
        split_ratio (float): Bins per pixel k.

    Returns:
        Tensor: scalar accuracy in [0, 1]; 0 when nothing is labelled.
    """
    coords = []
    for simcc_x, simcc_y in ((pred_x, pred_y), (gt_x, gt_y)):
        xy = simcc_argmax_coords(simcc_x, simcc_y, split_ratio)
        peak = torch.minimum(simcc_x.amax(-1), simcc_y.amax(-1))
        xy[peak <= 0] = -1
        coords.append(xy.cpu().numpy())
    w, h = int(input_size[0]), int(input_size[1])
    norm = np.tile(np.array([[h, w]], np.float64), (len(coords[0]), 1))
    _, avg_acc, _ = keypoint_pck_accuracy(coords[0], coords[1],
                                          (weights > 0).cpu().numpy(), thr,
                                          norm)
    return pred_x.new_tensor(avg_acc)
