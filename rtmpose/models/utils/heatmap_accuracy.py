"""Training-time accuracy of heatmap predictions (``acc_pose``)."""
import numpy as np
import torch
from torch import Tensor

from rtmpose.evaluation.functional.keypoint_eval import keypoint_pck_accuracy


def heatmap_argmax_coords(heatmaps: Tensor) -> Tensor:
    """(N, K, H, W) -> (N, K, 2) float (x, y) argmax, heatmap pixels."""
    w = heatmaps.shape[-1]
    idx = heatmaps.flatten(2).argmax(-1)
    return torch.stack([idx % w, idx // w], -1).float()


@torch.no_grad()
def heatmap_pck_accuracy(pred: Tensor,
                         target: Tensor,
                         weights: Tensor,
                         thr: float = 0.05) -> Tensor:
    """PCK of the argmax locations, averaged over keypoints (mmpose's
    ``pose_pck_accuracy``, the ``acc_pose`` of heatmap training logs).

    A keypoint is correct when the distance between the two argmax
    locations, x divided by the map *height* and y by the map *width*
    (mmpose's normalisation), is below ``thr`` (0.05: about 3 pixels on a
    48x64 map). A map whose maximum is not positive decodes to (-1, -1), as
    mmpose's ``get_heatmap_maximum``. The result is the mean over keypoints
    of each keypoint's accuracy among its labelled instances
    (``weights > 0``).

    Args:
        pred (Tensor): (N, K, H, W) predicted heatmaps.
        target (Tensor): (N, K, H, W) target heatmaps.
        weights (Tensor): (N, K) keypoint weights.
        thr (float): Distance threshold, normalised units.

    Returns:
        Tensor: scalar accuracy in [0, 1]; 0 when nothing is labelled.
    """
    coords = []
    for maps in (pred, target):
        xy = heatmap_argmax_coords(maps)
        xy[maps.flatten(2).amax(-1) <= 0] = -1
        coords.append(xy.cpu().numpy())
    h, w = pred.shape[-2:]
    norm = np.tile(np.array([[h, w]], np.float64), (len(coords[0]), 1))
    _, avg_acc, _ = keypoint_pck_accuracy(coords[0], coords[1],
                                          (weights > 0).cpu().numpy(), thr,
                                          norm)
    return pred.new_tensor(avg_acc)
