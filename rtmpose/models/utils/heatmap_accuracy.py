"""Training-time accuracy of heatmap predictions."""
import torch
from torch import Tensor


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
    """Fraction of labelled keypoints whose predicted argmax lands near the
    target's.

    A keypoint is correct when the distance between the two argmax
    locations, with x and y divided by a tenth of the map width and height,
    is below ``thr`` (0.05: a quarter pixel on a 48x64 map, i.e. the same
    pixel). Only keypoints with ``weights > 0`` and a positive target
    maximum count.

    Args:
        pred (Tensor): (N, K, H, W) predicted heatmaps.
        target (Tensor): (N, K, H, W) target heatmaps.
        weights (Tensor): (N, K) keypoint weights.
        thr (float): Distance threshold, normalised units.

    Returns:
        Tensor: scalar accuracy in [0, 1]; 0 when nothing is labelled.
    """
    h, w = pred.shape[-2:]
    norm = pred.new_tensor([w, h], dtype=torch.float32) / 10
    dist = ((heatmap_argmax_coords(pred) - heatmap_argmax_coords(target)) /
            norm).norm(dim=-1)
    valid = (weights > 0) & (target.flatten(2).amax(-1) > 0)
    if not valid.any():
        return pred.new_zeros(())
    return (dist[valid] < thr).float().mean()
