"""Epoch sampler that keeps the per-member ratios of a ``CombinedDataset``."""
import math
from typing import Iterator, List, Optional

import numpy as np
from mmengine.dist import get_dist_info, sync_random_seed
from torch.utils.data import Sampler

from rtmpose.registry import DATA_SAMPLERS


@DATA_SAMPLERS.register_module()
class MultiSourceSampler(Sampler):
    """Epoch-based, distributed sampler over a ``CombinedDataset`` that draws
    exactly ``dataset.samples_per_epoch[m]`` samples of each member ``m``
    every epoch (``sample_ratio_factor`` x member size).

    Per member of size n drawing c samples: every sample ``c // n`` times,
    plus ``c % n`` distinct samples chosen at random. The epoch's indices
    are then shuffled together, so any stretch of the epoch holds the members
    in about the configured proportion. Everything random depends on
    (``seed``, epoch) only: every rank computes the same epoch and takes the
    indices ``rank, rank + world_size, ...`` of it, padded by repeating its
    start to a multiple of ``world_size`` when ``round_up``.

    Args:
        dataset: a ``CombinedDataset`` (needs ``member_sizes`` and
            ``samples_per_epoch``).
        shuffle: shuffle the epoch; when False, members come in order and the
            samples of each in ascending index order.
        seed: identical on all ranks; None draws one and syncs it.
        round_up: pad so every rank gets the same number of samples.
    """

    def __init__(self,
                 dataset,
                 shuffle: bool = True,
                 seed: Optional[int] = None,
                 round_up: bool = True):
        missing = [
            name for name in ('member_sizes', 'samples_per_epoch')
            if not hasattr(dataset, name)
        ]
        if missing:
            raise TypeError(
                f'MultiSourceSampler needs a CombinedDataset (with '
                f'member_sizes and samples_per_epoch), got '
                f'{type(dataset).__name__} lacking {missing}')
        self.rank, self.world_size = get_dist_info()
        self.dataset = dataset
        self.shuffle = shuffle
        self.seed = sync_random_seed() if seed is None else int(seed)
        self.round_up = round_up
        self.epoch = 0
        self.member_sizes: List[int] = list(dataset.member_sizes)
        self.counts: List[int] = list(dataset.samples_per_epoch)
        for m, (size, count) in enumerate(zip(self.member_sizes,
                                              self.counts)):
            if count > 0 and size == 0:
                raise ValueError(f'MultiSourceSampler: member {m} is empty '
                                 f'but should give {count} samples an epoch')
        self.epoch_size = sum(self.counts)
        if self.epoch_size == 0:
            raise ValueError('MultiSourceSampler: the epoch is empty (member '
                             f'sizes {self.member_sizes}, samples per epoch '
                             f'{self.counts})')
        if round_up:
            self.num_samples = math.ceil(self.epoch_size / self.world_size)
            self.total_size = self.num_samples * self.world_size
        else:
            self.num_samples = math.ceil(
                (self.epoch_size - self.rank) / self.world_size)
            self.total_size = self.epoch_size

    def epoch_indices(self) -> np.ndarray:
        """All ranks' indices of the current epoch, (epoch_size,) int64."""
        # A 32-bit seed: SeedSequence rejects negative entries.
        rng = np.random.default_rng([self.seed % 2**32, self.epoch])
        offset, parts = 0, []
        for size, count in zip(self.member_sizes, self.counts):
            if count:
                repeats, extra = divmod(count, size)
                chosen = rng.choice(size, extra, replace=False)
                local = np.concatenate([np.tile(np.arange(size), repeats),
                                        np.sort(chosen)])
                parts.append(local.astype(np.int64) + offset)
            offset += size
        indices = np.concatenate(parts)
        return rng.permutation(indices) if self.shuffle else indices

    def __iter__(self) -> Iterator[int]:
        indices = self.epoch_indices()
        if self.round_up and self.total_size > len(indices):
            reps = math.ceil(self.total_size / len(indices))
            indices = np.tile(indices, reps)[:self.total_size]
        mine = indices[self.rank:self.total_size:self.world_size]
        return iter(mine.tolist())

    def __len__(self) -> int:
        """Number of samples of this rank per epoch."""
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """Select the epoch whose indices ``__iter__`` yields."""
        self.epoch = epoch
