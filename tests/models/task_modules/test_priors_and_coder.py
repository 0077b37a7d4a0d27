"""Point priors of RTMDet and the distance-point box coder."""
import torch

from rtmpose.models.task_modules import (DistancePointBBoxCoder,
                                         MlvlPointGenerator)


def test_point_priors_at_cell_corners():
    gen = MlvlPointGenerator(strides=[8, 16], offset=0)
    p8, p16 = gen.grid_priors([(2, 3), (1, 2)], with_stride=True)
    # row-major: y outer, x inner
    assert p8[:, :2].tolist() == [[0, 0], [8, 0], [16, 0], [0, 8], [8, 8],
                                  [16, 8]]
    assert p8[:, 2:].unique().tolist() == [8]
    assert p16.tolist() == [[0, 0, 16, 16], [16, 0, 16, 16]]
    half = MlvlPointGenerator(strides=[8], offset=0.5)
    assert half.grid_priors([(1, 1)])[0].tolist() == [[4, 4]]


def test_distance_coder_round_trip_and_clamp():
    coder = DistancePointBBoxCoder()
    g = torch.Generator().manual_seed(0)
    points = torch.rand(50, 2, generator=g) * 100 + 50
    boxes = torch.cat([points - torch.rand(50, 2, generator=g) * 40,
                       points + torch.rand(50, 2, generator=g) * 40], 1)
    dist = coder.encode(points, boxes)
    assert (dist >= 0).all()
    decoded = coder.decode(points, dist)
    assert (decoded - boxes).abs().max().item() < 1e-4
    # clamping to (h, w)
    box = coder.decode(torch.tensor([[10., 10.]]),
                       torch.tensor([[20., 5., 300., 400.]]),
                       max_shape=(60, 80))
    assert box.tolist() == [[0., 5., 80., 60.]]
