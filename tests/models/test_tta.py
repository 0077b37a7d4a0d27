import numpy as np
import pytest
import torch

from rtmpose.models.utils import (flip_back_heatmaps, flip_back_simcc,
                                  shift_bins)


def simcc(x, num_bins, k, sigma=3.0):
    """Gaussian SimCC vectors (N, K, B) peaked at bins x * k."""
    bins = torch.arange(num_bins, dtype=torch.float64)
    return torch.exp(-(bins - x[..., None] * k)**2 / (2 * sigma**2))


def test_shift_bins():
    v = torch.arange(6.)[None]
    assert torch.equal(shift_bins(v, 1), torch.tensor([[1., 2, 3, 4, 5, 5]]))
    assert torch.equal(shift_bins(v, -2), torch.tensor([[0., 0, 0, 1, 2, 3]]))
    assert torch.allclose(
        shift_bins(v, 0.5), torch.tensor([[0.5, 1.5, 2.5, 3.5, 4.5, 5]]))


def test_default_merge_is_plain_reversal():
    """The reference's merge: keypoints swapped, x bins reversed, no shift."""
    x = torch.tensor([[[0., 1, 2, 3, 4, 5], [10., 11, 12, 13, 14, 15]]])
    y = torch.tensor([[[1., 2, 3], [4., 5, 6]]])
    fx, fy = flip_back_simcc(x, y, [1, 0], 2.0)
    assert fx.tolist() == [[[15., 14, 13, 12, 11, 10], [5., 4, 3, 2, 1, 0]]]
    assert fy.tolist() == [[[4., 5, 6], [1., 2, 3]]]
    # a peak at bin 1 of a 6-bin vector (x = 0.5 px at k = 2) comes back at
    # bin 4 (x = 2 px), 0.5 px right of the mirror image W - 1 - 0.5 = 1.5 px
    peak = torch.zeros(1, 1, 6)
    peak[..., 1] = 1
    assert flip_back_simcc(peak, y[:, :1], [0], 2.0)[0].argmax(-1).item() == 4
    assert flip_back_simcc(peak, y[:, :1], [0], 2.0,
                           shift_flip=True)[0].argmax(-1).item() == 3


@pytest.mark.parametrize('k', [2.0, 3.0])
def test_shift_flip_is_exact_for_integer_ratio(k):
    width, height = 48, 64
    flip_indices = [1, 0, 2]
    x = torch.tensor([[10.0, 31.0, 24.0]], dtype=torch.float64)
    y = torch.tensor([[5.0, 40.0, 33.5]], dtype=torch.float64)
    # what the model should output on the mirrored input
    x_m, y_m = (width - 1 - x)[:, flip_indices], y[:, flip_indices]
    fx, fy = flip_back_simcc(
        simcc(x_m, int(width * k), k), simcc(y_m, int(height * k), k),
        flip_indices, k, shift_flip=True)
    assert torch.allclose(fx, simcc(x, int(width * k), k), atol=1e-12)
    assert torch.equal(fy, simcc(y, int(height * k), k))
    assert fx.argmax(-1).div(k).tolist() == x.tolist()
    # without the (k - 1)-bin shift (the default) the peak sits k - 1 bins
    # to the right
    plain, _ = flip_back_simcc(
        simcc(x_m, int(width * k), k), simcc(y_m, int(height * k), k),
        flip_indices, k)
    assert (plain.argmax(-1) - fx.argmax(-1)).tolist() == [[k - 1] * 3]


def test_shift_flip_interpolates_non_integer_ratio():
    k, width = 2.5, 40
    x = torch.tensor([[12.0, 20.4]], dtype=torch.float64)
    fx, _ = flip_back_simcc(
        simcc(width - 1 - x, int(width * k), k),
        torch.zeros(1, 2, 4), [0, 1], k, shift_flip=True)
    ref = simcc(x, int(width * k), k)
    assert torch.equal(fx.argmax(-1), ref.argmax(-1))
    assert torch.allclose(fx, ref, atol=0.02)
    # mean location (centre of mass) matches to a few hundredths of a pixel
    bins = torch.arange(int(width * k), dtype=torch.float64)
    com = (fx * bins).sum(-1) / fx.sum(-1) / k
    np.testing.assert_allclose(com.numpy(), x.numpy(), atol=0.02)


def test_flip_indices_length_checked():
    with pytest.raises(ValueError, match='flip_indices'):
        flip_back_simcc(torch.zeros(1, 3, 8), torch.zeros(1, 3, 8), [0, 1],
                        2.0)
    with pytest.raises(ValueError, match='flip_indices'):
        flip_back_heatmaps(torch.zeros(1, 3, 4, 4), [0, 1])


def test_heatmap_flip_and_shift_by_hand():
    """Reference merge: swap, reverse columns; shift_heatmap moves the
    reversed maps one column right, column 0 keeping its value."""
    maps = torch.tensor([[[[1., 2, 3, 4]], [[5., 6, 7, 8]]]])  # (1, 2, 1, 4)
    assert flip_back_heatmaps(maps, [1, 0]).tolist() == [[[[8., 7, 6, 5]],
                                                          [[4., 3, 2, 1]]]]
    assert flip_back_heatmaps(maps, [1, 0], True).tolist() == [
        [[[8., 8, 7, 6]], [[4., 4, 3, 2]]]]
