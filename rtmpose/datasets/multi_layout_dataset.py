"""Several keypoint datasets trained together, each in its own layout (one
head per dataset, ViTPose's multi-dataset training)."""
from typing import Callable, Dict, List, Optional, Sequence, Union

from mmengine.dataset import Compose
from torch.utils.data import Dataset

from rtmpose.registry import DATASETS
from .dataset_wrappers import CombinedDataset


@DATASETS.register_module()
class MultiLayoutDataset(CombinedDataset):
    """A :class:`CombinedDataset` whose members keep their native keypoints.

    For ``MultiHeadTopdownPoseEstimator``: a sample is its member's sample
    as it is, with the member's ``keypoints`` (1, K_member, 2), its layout
    metainfo (``flip_indices``, ``upper_body_ids``, ``lower_body_ids``,
    ``dataset_keypoint_weights``) and ``dataset_name``, which routes it to
    that dataset's head. Nothing is converted, so members need no
    ``KeypointConverter``; a batch then mixes keypoint counts, which the
    heads split by ``dataset_name``.

    Pipelines: ``pipeline`` is one list shared by all members (flip and
    half-body read each sample's own layout metainfo, and heatmap codecs
    encode any number of keypoints), or a dict ``dataset_name -> list`` for
    per-member targets, e.g. different codecs for heads with different
    heatmap sizes.

    Sampling (``sample_ratio_factor``, ``MultiSourceSampler``), refetching
    and ``lazy_init``: as :class:`CombinedDataset`.

    Args:
        metainfo: the dataset meta handed to the model and visualiser,
            normally the layout of the head that is evaluated, e.g.
            ``dict(from_file='configs/_base_/datasets/coco.py')``.
        datasets: member configs (or built datasets); members with the same
            ``dataset_name`` must have the same number of keypoints.
        pipeline: shared list, or dict ``dataset_name -> list``.
        Other args: as :class:`CombinedDataset`.
    """

    def __init__(self,
                 metainfo: dict,
                 datasets: Sequence[Union[dict, Dataset]],
                 pipeline: Union[List[Union[dict, Callable]],
                                 Dict[str, list]] = [],
                 sample_ratio_factor: Optional[Sequence[float]] = None,
                 test_mode: bool = False,
                 lazy_init: bool = False,
                 max_refetch: int = 1000):
        pipelines = None
        if isinstance(pipeline, dict):
            pipelines = {
                name: Compose(steps)
                for name, steps in pipeline.items()
            }
            pipeline = []
        self.pipelines = pipelines
        super().__init__(
            metainfo=metainfo,
            datasets=datasets,
            pipeline=pipeline,
            sample_ratio_factor=sample_ratio_factor,
            test_mode=test_mode,
            lazy_init=lazy_init,
            max_refetch=max_refetch)

    def full_init(self) -> None:
        """Initialise the members and check their names and layouts."""
        if self._offsets is not None:
            return
        super().full_init()
        layouts = {}
        for m, dataset in enumerate(self.datasets):
            meta = getattr(dataset, 'metainfo', None) or {}
            name = meta.get('dataset_name')
            if name is None:
                raise ValueError(f'MultiLayoutDataset: member {m} '
                                 f'({type(dataset).__name__}) has no '
                                 'metainfo dataset_name to route its samples')
            num = meta.get('num_keypoints')
            if layouts.setdefault(name, num) != num:
                raise ValueError(
                    f'MultiLayoutDataset: members named {name!r} have '
                    f'{layouts[name]} and {num} keypoints; one head cannot '
                    'serve both')
        if self.pipelines is not None:
            missing = sorted(set(layouts) - set(self.pipelines))
            if missing:
                raise KeyError(f'MultiLayoutDataset: no pipeline for '
                               f'dataset_name {missing}; pipelines: '
                               f'{sorted(self.pipelines)}')

    def get_data_info(self, idx: int) -> dict:
        """Sample ``idx`` after its member's own step, native layout."""
        member, local = self.locate(idx)
        info = self.datasets[member][local]
        if info.get('dataset_name') is None:
            raise KeyError(f'MultiLayoutDataset: sample {local} of member '
                           f'{member} carries no dataset_name')
        return info

    def prepare_data(self, idx: int) -> Optional[dict]:
        info = self.get_data_info(idx)
        if self.pipelines is None:
            return self.pipeline(info)
        return self.pipelines[info['dataset_name']](info)
