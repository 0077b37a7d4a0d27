"""Box IoU / GIoU and the vectorised greedy NMS against brute force."""
import pytest
import torch

from rtmpose.structures import batched_nms, bbox_overlaps, nms


def _brute_force_nms(boxes, scores, thr, labels=None):
    """Sequential greedy NMS, one pair at a time."""
    order = sorted(range(len(scores)), key=lambda i: -float(scores[i]))
    keep = []
    for i in order:
        ok = True
        for j in keep:
            if labels is not None and labels[i] != labels[j]:
                continue
            x1 = max(boxes[i][0], boxes[j][0])
            y1 = max(boxes[i][1], boxes[j][1])
            x2 = min(boxes[i][2], boxes[j][2])
            y2 = min(boxes[i][3], boxes[j][3])
            inter = max(x2 - x1, 0) * max(y2 - y1, 0)
            a_i = (boxes[i][2] - boxes[i][0]) * (boxes[i][3] - boxes[i][1])
            a_j = (boxes[j][2] - boxes[j][0]) * (boxes[j][3] - boxes[j][1])
            if inter / (a_i + a_j - inter) > thr:
                ok = False
                break
        if ok:
            keep.append(i)
    return keep


def _random_boxes(n, seed):
    g = torch.Generator().manual_seed(seed)
    xy = torch.rand(n, 2, generator=g) * 100
    wh = torch.rand(n, 2, generator=g) * 40 + 1
    return torch.cat([xy, xy + wh], 1), torch.rand(n, generator=g)


def test_iou_and_giou_by_hand():
    a = torch.tensor([[0., 0., 2., 2.]])
    b = torch.tensor([[1., 1., 3., 3.], [4., 4., 5., 5.]])
    iou = bbox_overlaps(a, b)
    assert iou.shape == (1, 2)
    assert iou[0, 0].item() == pytest.approx(1 / 7)
    assert iou[0, 1].item() == 0
    # enclosing box 3 x 3 = 9, union 7
    giou = bbox_overlaps(a, b[:1], mode='giou', is_aligned=True)
    assert giou.item() == pytest.approx(1 / 7 - 2 / 9)


@pytest.mark.parametrize('seed', [0, 1, 2])
@pytest.mark.parametrize('thr', [0.3, 0.6])
def test_nms_matches_brute_force(seed, thr):
    boxes, scores = _random_boxes(300, seed)
    keep = nms(boxes, scores, thr)
    expected = _brute_force_nms(boxes.tolist(), scores.tolist(), thr)
    assert keep.tolist() == expected
    assert 20 < len(expected) < 300  # suppression did happen


def test_class_aware_nms_matches_brute_force():
    boxes, scores = _random_boxes(300, 3)
    labels = torch.randint(0, 3, (300, ), generator=torch.Generator()
                           .manual_seed(4))
    dets, keep = batched_nms(boxes, scores, labels, 0.5)
    expected = _brute_force_nms(boxes.tolist(), scores.tolist(), 0.5,
                                labels.tolist())
    assert keep.tolist() == expected
    assert torch.equal(dets[:, :4], boxes[keep])
    assert torch.equal(dets[:, 4], scores[keep])
    # more kept than class-agnostic: other classes do not suppress
    assert len(keep) > len(nms(boxes, scores, 0.5))


def test_nms_empty_and_bad_input():
    assert nms(torch.zeros(0, 4), torch.zeros(0), 0.5).numel() == 0
    with pytest.raises(ValueError, match='bboxes must be'):
        nms(torch.zeros(3, 5), torch.zeros(3), 0.5)
    with pytest.raises(ValueError, match='scores must be'):
        nms(torch.zeros(3, 4), torch.zeros(2), 0.5)
