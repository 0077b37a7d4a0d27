import numpy as np
import pytest
from torch.utils.data import Dataset

from rtmpose.datasets import CombinedDataset, MultiSourceSampler
from rtmpose.datasets import samplers as samplers_module
from rtmpose.registry import DATA_SAMPLERS

COCO_META = dict(from_file='configs/_base_/datasets/coco.py')


class _Sized(Dataset):
    """A member of which the sampler only needs the size."""

    def __init__(self, size):
        self.size = size

    def __len__(self):
        return self.size


def _combined(sizes, factors):
    return CombinedDataset(
        metainfo=COCO_META,
        datasets=[_Sized(n) for n in sizes],
        sample_ratio_factor=factors)


def _sampler(dataset, rank=0, world_size=1, monkeypatch=None, **kwargs):
    if monkeypatch is not None:
        monkeypatch.setattr(samplers_module, 'get_dist_info',
                            lambda: (rank, world_size))
    return DATA_SAMPLERS.build(
        dict(type='MultiSourceSampler', dataset=dataset, seed=7, **kwargs))


def _fraction_of_first(indices, first_size):
    return float(np.mean(np.asarray(indices) < first_size))


def test_ratio_over_10k_samples():
    # 4000 x 1.5 + 8000 x 0.5: 6000 + 4000 per epoch, 60 % from member 0.
    dataset = _combined([4000, 8000], [1.5, 0.5])
    sampler = _sampler(dataset)
    assert isinstance(sampler, MultiSourceSampler)
    assert dataset.samples_per_epoch == [6000, 4000]
    indices = list(sampler)
    assert len(indices) == len(sampler) == 10000
    assert _fraction_of_first(indices, 4000) == pytest.approx(0.6, abs=1e-9)
    # Shuffled together: every stretch of 2000 keeps the ratio within 2 %.
    for start in range(0, 10000, 2000):
        chunk = indices[start:start + 2000]
        assert abs(_fraction_of_first(chunk, 4000) - 0.6) <= 0.02, start

    counts = np.bincount(indices, minlength=12000)
    # Factor 1.5: every sample once, a random half of them twice.
    assert counts[:4000].min() == 1 and (counts[:4000] == 2).sum() == 2000
    # Factor 0.5: 4000 distinct samples of member 1.
    assert counts[4000:].max() == 1 and counts[4000:].sum() == 4000


def test_deterministic_per_seed_and_epoch():
    dataset = _combined([4000, 8000], [1.5, 0.5])
    a, b = _sampler(dataset), _sampler(dataset)
    assert list(a) == list(b)
    first = list(a)
    assert list(a) == first  # iterating again repeats the epoch
    a.set_epoch(1)
    second = list(a)
    assert second != first
    b.set_epoch(1)
    assert list(b) == second
    # The subsampled member contributes a new random half each epoch.
    half0 = {i for i in first if i >= 4000}
    half1 = {i for i in second if i >= 4000}
    assert len(half0) == len(half1) == 4000
    assert 1500 < len(half0 & half1) < 2500


def test_no_shuffle_keeps_members_in_order():
    dataset = _combined([5, 10], [1.0, 0.4])
    indices = list(_sampler(dataset, shuffle=False))
    assert indices[:5] == [0, 1, 2, 3, 4]
    assert len(indices) == 9
    assert indices[5:] == sorted(indices[5:]) and min(indices[5:]) >= 5


def test_two_ranks_get_disjoint_covering_shards(monkeypatch):
    # Factors <= 1: every index at most once, so shards must not overlap.
    dataset = _combined([3000, 7001], [1.0, 0.5])
    epoch = _sampler(dataset).epoch_indices()
    assert len(epoch) == 3000 + 3500
    shards = [
        _sampler(dataset, rank, 2, monkeypatch) for rank in range(2)
    ]
    for s in shards:
        s.set_epoch(3)
    ranks = [list(s) for s in shards]
    assert len(ranks[0]) == len(ranks[1]) == len(shards[0]) == 3250
    assert not set(ranks[0]) & set(ranks[1])
    shards[0].set_epoch(3)
    assert set(ranks[0]) | set(ranks[1]) == set(shards[0].epoch_indices())
    for shard in ranks:
        assert abs(_fraction_of_first(shard, 3000) - 3000 / 6500) <= 0.02


def test_round_up_pads_odd_epochs(monkeypatch):
    dataset = _combined([3, 4], [1.0, 1.0])  # 7 samples, 2 ranks
    padded = [list(_sampler(dataset, r, 2, monkeypatch)) for r in range(2)]
    assert [len(p) for p in padded] == [4, 4]
    # All 7 samples plus the epoch's first one again as padding.
    both = padded[0] + padded[1]
    assert set(both) == set(range(7)) and len(both) == 8
    exact = [
        _sampler(dataset, r, 2, monkeypatch, round_up=False) for r in range(2)
    ]
    assert [len(s) for s in exact] == [4, 3]
    assert sorted(list(exact[0]) + list(exact[1])) == list(range(7))


def test_rejects_plain_datasets_and_empty_epochs():
    with pytest.raises(TypeError, match='needs a CombinedDataset'):
        MultiSourceSampler(_Sized(10), seed=0)
    with pytest.raises(ValueError, match='epoch is empty'):
        MultiSourceSampler(_combined([10, 10], [0.0, 0.0]), seed=0)
    with pytest.raises(ValueError, match='2 datasets'):
        _combined([10, 10], [1.0])
    with pytest.raises(ValueError, match='>= 0'):
        _combined([10, 10], [1.0, -0.5])
