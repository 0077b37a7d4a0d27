"""Training-time accuracy of SimCC predictions."""
from typing import Sequence

import torch
from torch import Tensor


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
    """Fraction of labelled keypoints whose argmax lands near the label's.

    A keypoint counts as correct when the distance between the argmax
    locations of prediction and label, with x and y divided by a tenth of
    the input width and height, is below ``thr`` (0.05: about 1 pixel at
    192x256). Only keypoints with ``weights > 0`` count.

    Args:
        pred_x, gt_x (Tensor): (N, K, W*k) predicted / target x vectors.
        pred_y, gt_y (Tensor): (N, K, H*k) predicted / target y vectors.
        weights (Tensor): (N, K) keypoint weights.
        input_size (Sequence[int]): (w, h) input pixels.
        split_ratio (float): Bins per pixel k.

    Returns:
        Tensor: scalar accuracy in [0, 1]; 0 when nothing is labelled.
    """
    pred = simcc_argmax_coords(pred_x, pred_y, split_ratio)
    gt = simcc_argmax_coords(gt_x, gt_y, split_ratio)
    norm = pred.new_tensor(input_size, dtype=torch.float32) / 10
    dist = ((pred - gt) / norm).norm(dim=-1)
    valid = weights > 0
    if not valid.any():
        return pred.new_zeros(())
    return (dist[valid] < thr).float().mean()
