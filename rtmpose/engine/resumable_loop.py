"""Epoch-based training loop that resumes in the middle of an epoch.

mmengine's ``EpochBasedTrainLoop`` restarts the epoch of a checkpoint from
its first batch. This loop continues it instead:

- the epoch's sample order comes from the sampler (same seed + epoch ->
  same order); on resume the first ``batches_done x batch_size`` indices of
  the epoch are dropped before any data is loaded;
- the global random generators (python, numpy, torch) are re-seeded from
  (seed, epoch, rank) at every epoch start, so a run resumed from an epoch
  checkpoint draws the same augmentation and dropout as an uninterrupted
  one; a mid-epoch checkpoint carries the generator states of the moment it
  was written (``meta['rng_state']``), and the loop puts them back.

Dataloader workers draw their augmentation from numpy / python / torch
generators seeded by :func:`seed_worker` from the base seed torch draws out
of the main process's (just re-seeded) generator when the epoch's iterator
is created: the augmentation of an epoch is a function of (seed, epoch,
rank, worker) only, so two fresh runs are bit-identical, and with
``persistent_workers=False`` (workers restart every epoch) a run resumed
from an epoch checkpoint equals an uninterrupted one. Persistent workers
keep their generators across epochs: a fresh run stays reproducible, a
resumed one draws different augmentation from then on. A mid-epoch resume
is bitwise exact only with ``num_workers=0``.
"""
import itertools
import logging
import random
from typing import Iterator, Optional

import numpy as np
import torch
from mmengine.dist import get_rank, get_world_size
from mmengine.logging import print_log
from mmengine.runner import EpochBasedTrainLoop
from torch.utils.data import BatchSampler, Sampler

from rtmpose.registry import LOOPS


def get_rng_state() -> dict:
    """States of the global generators of python, numpy and torch (CPU,
    CUDA)."""
    state = dict(
        python=random.getstate(),
        numpy=np.random.get_state(),
        torch=torch.get_rng_state())
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state['cuda'] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict) -> None:
    """Restore what :func:`get_rng_state` returned (possibly after a
    save/load round trip, which may have moved tensors to a device)."""
    random.setstate(state['python'])
    np.random.set_state(state['numpy'])
    torch.set_rng_state(state['torch'].cpu())
    if 'cuda' in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all([s.cpu() for s in state['cuda']])


def seed_rng(*keys: int) -> None:
    """Seed every global generator from a tuple of non-negative integers."""
    seed = int(np.random.SeedSequence([k % 2**32 for k in keys
                                       ]).generate_state(1)[0])
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def seed_worker(worker_id: int) -> None:
    """``worker_init_fn`` of the dataloaders: numpy seeded from the seed
    torch gave this worker (the iterator's base seed + ``worker_id``, which
    also seeds python's and torch's generators), whatever torch version.
    It replaces mmengine's default, which re-seeds all three with the fixed
    config seed in every worker of every epoch."""
    np.random.seed(torch.initial_seed() % 2**32)


class SkippingSampler(Sampler):
    """Wraps a sampler; its next ``__iter__`` drops the first ``skip``
    indices, later ones yield everything. ``len`` stays the full epoch's."""

    def __init__(self, sampler: Sampler):
        self.sampler = sampler
        self.skip = 0

    def __iter__(self) -> Iterator[int]:
        skip, self.skip = self.skip, 0
        return itertools.islice(iter(self.sampler), skip, None)

    def __len__(self) -> int:
        return len(self.sampler)

    def set_epoch(self, epoch: int) -> None:
        if hasattr(self.sampler, 'set_epoch'):
            self.sampler.set_epoch(epoch)


def _install_skipper(dataloader) -> Optional[SkippingSampler]:
    """Wrap the sampler inside the loader's batch sampler if it is torch's
    plain ``BatchSampler`` (batch ``b`` holds samples ``b*bs .. (b+1)*bs-1``;
    a grouping batch sampler has no such relation)."""
    batch_sampler = getattr(dataloader, 'batch_sampler', None)
    if type(batch_sampler) is not BatchSampler:
        return None
    if not isinstance(batch_sampler.sampler, SkippingSampler):
        batch_sampler.sampler = SkippingSampler(batch_sampler.sampler)
    return batch_sampler.sampler


@LOOPS.register_module()
class ResumableEpochBasedTrainLoop(EpochBasedTrainLoop):
    """``EpochBasedTrainLoop`` that continues a resumed epoch at the batch
    after the checkpoint (see the module docstring). ``default_runtime.py``
    declares it: ``train_cfg = dict(type='ResumableEpochBasedTrainLoop',
    max_epochs=..., val_interval=...)``.

    Checkpoint ``meta`` gets ``epoch_length`` (batches per epoch) and
    ``rng_state`` from :meth:`checkpoint_meta`; ``PoseRunner.resume`` hands
    the loaded ``meta`` to :meth:`resume_position`.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._skipper = _install_skipper(self.dataloader)
        self._resume_skip = 0
        self._resume_rng: Optional[dict] = None

    def checkpoint_meta(self) -> dict:
        """What a checkpoint needs to continue this epoch exactly."""
        return dict(
            epoch_length=len(self.dataloader), rng_state=get_rng_state())

    def resume_position(self, meta: dict) -> None:
        """Set up the first epoch after a resume from a checkpoint with
        ``meta`` (after the runner restored ``epoch`` and ``iter``)."""
        epoch_length = len(self.dataloader)
        saved_length = meta.get('epoch_length', epoch_length)
        done = self._iter - self._epoch * saved_length
        if done == 0 and saved_length != epoch_length:
            print_log(
                f'resuming at the start of epoch {self._epoch + 1}: the '
                f'checkpoint had {saved_length} batches per epoch, the train '
                f'dataloader now has {epoch_length}',
                logger='current',
                level=logging.WARNING)
        elif saved_length != epoch_length:
            raise RuntimeError(
                f'cannot resume in the middle of epoch {self._epoch + 1}: the '
                f'checkpoint was written after batch {done} of '
                f'{saved_length} per epoch, but the train dataloader now has '
                f'{epoch_length} batches per epoch (dataset, batch size or '
                'number of processes changed); resume from an epoch '
                'checkpoint instead')
        if not 0 <= done <= epoch_length:
            raise RuntimeError(
                f'checkpoint position iter={self._iter}, epoch={self._epoch} '
                f'is not inside an epoch of {epoch_length} batches')
        if done and self._skipper is None:
            raise RuntimeError(
                'cannot resume in the middle of an epoch: the train '
                'dataloader\'s batch sampler is '
                f'{type(self.dataloader.batch_sampler).__name__}, not '
                'torch\'s BatchSampler, so the done batches cannot be '
                'skipped; resume from an epoch checkpoint instead')
        self._resume_skip = done
        # Generator states are per process; only one process saves them.
        exact = done and 'rng_state' in meta and get_world_size() == 1
        self._resume_rng = meta['rng_state'] if exact else None
        if done:
            print_log(
                f'resuming epoch {self._epoch + 1} after batch {done} of '
                f'{epoch_length}',
                logger='current')

    def run_epoch(self) -> None:
        """Iterate one epoch (the rest of it, right after a resume)."""
        self.runner.call_hook('before_train_epoch')
        self.runner.model.train()
        skip, self._resume_skip = self._resume_skip, 0
        if skip:
            batch_size = self.dataloader.batch_sampler.batch_size
            self._skipper.skip = skip * batch_size
        rng, self._resume_rng = self._resume_rng, None
        if rng is None:
            # before creating the iterator: the workers' base seed is drawn
            # from torch's generator then
            seed_rng(self.runner.seed, self._epoch, get_rank(), skip)
        batches = iter(self.dataloader)
        if rng is not None:
            set_rng_state(rng)
        else:
            # and after it: a new iterator draws that base seed, a persistent
            # workers' one does not, so the main process's draws (dropout,
            # drop path) must not depend on which it was
            seed_rng(self.runner.seed, self._epoch, get_rank(), skip, 1)
        for idx, data_batch in enumerate(batches, start=skip):
            self.run_iter(idx, data_batch)
        self.runner.call_hook('after_train_epoch')
        self._epoch += 1
