"""Several keypoint datasets trained as one, in a single keypoint layout."""
import copy
from typing import Callable, List, Optional, Sequence, Tuple, Union

import numpy as np
from mmengine.dataset import Compose
from torch.utils.data import Dataset

from rtmpose.registry import DATASETS
from .metainfo import parse_pose_metainfo

# Per-sample metainfo that depends on the keypoint layout; after a member's
# own pipeline (its KeypointConverter) they must be the target layout's.
_LAYOUT_META = ('flip_indices', 'upper_body_ids', 'lower_body_ids',
                'dataset_keypoint_weights')


@DATASETS.register_module()
class CombinedDataset(Dataset):
    """Concatenation of member datasets converted to the layout of
    ``metainfo``.

    Index ``i`` is sample ``i - offset[m]`` of member ``m`` (members in
    order, ``offset`` the sizes of the members before). A sample is made in
    two steps:

    1. the member's own ``__getitem__``: its annotation and its own pipeline,
       normally just a ``KeypointConverter`` to the target layout;
    2. the layout metainfo (``flip_indices``, ``upper_body_ids``,
       ``lower_body_ids``, ``dataset_keypoint_weights``) of ``metainfo`` is
       set, then the shared ``pipeline`` (loading, augmentation, targets) runs.

    ``dataset_name`` stays the member's, so a sample still tells its source.

    Args:
        metainfo: target layout, e.g.
            ``dict(from_file='configs/_base_/datasets/coco.py')``.
        datasets: member configs (or built datasets) with their own pipeline.
        pipeline: the shared pipeline, applied after the member step.
        sample_ratio_factor: per member, its number of samples per epoch as
            a multiple of its size: 0.5 draws a random half (a different
            half each epoch), 3.0 uses every sample three times. None means
            1.0 for all. It takes effect through ``MultiSourceSampler``;
            other samplers use every sample once per epoch.
        test_mode: when False, a sample whose pipeline returns None is
            replaced by a random other one (at most ``max_refetch`` times).
        lazy_init: defer ``full_init`` of the members.
        max_refetch: see ``test_mode``.
    """

    def __init__(self,
                 metainfo: dict,
                 datasets: Sequence[Union[dict, Dataset]],
                 pipeline: List[Union[dict, Callable]] = [],
                 sample_ratio_factor: Optional[Sequence[float]] = None,
                 test_mode: bool = False,
                 lazy_init: bool = False,
                 max_refetch: int = 1000):
        if metainfo is None:
            raise ValueError('CombinedDataset needs the metainfo of the '
                             "target layout, e.g. dict(from_file='configs/"
                             "_base_/datasets/coco.py')")
        if not datasets:
            raise ValueError('CombinedDataset: datasets is empty')
        self._metainfo = parse_pose_metainfo(metainfo)
        self.datasets = [
            DATASETS.build(d) if isinstance(d, dict) else d for d in datasets
        ]
        if sample_ratio_factor is None:
            sample_ratio_factor = [1.0] * len(self.datasets)
        if len(sample_ratio_factor) != len(self.datasets):
            raise ValueError(
                f'CombinedDataset: sample_ratio_factor has '
                f'{len(sample_ratio_factor)} values for '
                f'{len(self.datasets)} datasets: {list(sample_ratio_factor)}')
        if any(not f >= 0 for f in sample_ratio_factor):
            raise ValueError('CombinedDataset: sample_ratio_factor values '
                             f'must be >= 0, got {list(sample_ratio_factor)}')
        self.sample_ratio_factor = [float(f) for f in sample_ratio_factor]
        self.pipeline = Compose(pipeline)
        self.test_mode = test_mode
        self.max_refetch = max_refetch
        self._offsets: Optional[np.ndarray] = None
        if not lazy_init:
            self.full_init()

    @property
    def metainfo(self) -> dict:
        """The parsed target layout (see ``parse_pose_metainfo``)."""
        return copy.deepcopy(self._metainfo)

    def full_init(self) -> None:
        """Fully initialise the members and index them."""
        if self._offsets is not None:
            return
        for dataset in self.datasets:
            if hasattr(dataset, 'full_init'):
                dataset.full_init()
        self._offsets = np.cumsum([0] + [len(d) for d in self.datasets])

    @property
    def member_sizes(self) -> List[int]:
        """Number of samples of each member."""
        self.full_init()
        return np.diff(self._offsets).tolist()

    @property
    def samples_per_epoch(self) -> List[int]:
        """Per member: round(sample_ratio_factor x size)."""
        return [
            int(round(f * n))
            for f, n in zip(self.sample_ratio_factor, self.member_sizes)
        ]

    def __len__(self) -> int:
        self.full_init()
        return int(self._offsets[-1])

    def locate(self, idx: int) -> Tuple[int, int]:
        """Combined index -> (member index, index within that member)."""
        size = len(self)
        if not -size <= idx < size:
            raise IndexError(f'CombinedDataset: index {idx} out of range for '
                             f'{size} samples')
        idx = idx % size
        member = int(np.searchsorted(self._offsets, idx, side='right')) - 1
        return member, idx - int(self._offsets[member])

    def get_data_info(self, idx: int) -> dict:
        """Sample ``idx`` after the member step, in the target layout."""
        member, local = self.locate(idx)
        info = self.datasets[member][local]
        num_keypoints = self._metainfo['num_keypoints']
        got = np.shape(info.get('keypoints'))
        if len(got) < 2 or got[1] != num_keypoints:
            source = self.datasets[member]
            raise ValueError(
                f'CombinedDataset: member {member} ({type(source).__name__}, '
                f'{info.get("dataset_name")!r}) gives keypoints of shape '
                f'{got}, expected (N, {num_keypoints}, 2) of '
                f'{self._metainfo["dataset_name"]!r}; add a KeypointConverter '
                'to its pipeline')
        for key in _LAYOUT_META:
            info[key] = copy.deepcopy(self._metainfo[key])
        return info

    def prepare_data(self, idx: int) -> Optional[dict]:
        return self.pipeline(self.get_data_info(idx))

    def __getitem__(self, idx: int) -> dict:
        data = self.prepare_data(idx)
        if self.test_mode:
            if data is None:
                raise RuntimeError(f'CombinedDataset: the pipeline returned '
                                   f'None for sample {idx} in test mode')
            return data
        for _ in range(self.max_refetch):
            if data is not None:
                return data
            data = self.prepare_data(np.random.randint(0, len(self)))
        if data is None:
            raise RuntimeError(f'CombinedDataset: no valid sample after '
                               f'{self.max_refetch} refetches')
        return data
