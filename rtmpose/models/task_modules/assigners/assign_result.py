"""What an assigner decides for every prior."""
from dataclasses import dataclass

from torch import Tensor


@dataclass
class AssignResult:
    """Assignment of N priors to ``num_gts`` ground-truth boxes.

    Attributes:
        num_gts: number of GT boxes.
        gt_inds: (N,) int64; 0 = background, ``i + 1`` = GT box i.
        max_overlaps: (N,) float; IoU of a positive's prediction with its GT
            (the soft label), meaningless for background priors.
        labels: (N,) int64 class of the assigned GT, -1 for background.
    """
    num_gts: int
    gt_inds: Tensor
    max_overlaps: Tensor
    labels: Tensor

    @property
    def pos_mask(self) -> Tensor:
        """(N,) bool, priors assigned to a GT box."""
        return self.gt_inds > 0
