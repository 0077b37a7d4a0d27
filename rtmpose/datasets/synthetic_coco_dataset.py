"""COCO datasets over the embedded synthetic demo data, made on first use:
top-down pose samples and person-detection images."""
from typing import Optional

from mmengine.dist import barrier, get_dist_info

from rtmpose.registry import DATASETS
from .coco import CocoDataset
from .coco_det import CocoDetDataset
from .synthetic import generate_synthetic_coco


def ensure_synthetic_data(dataset_name: str, data_root: Optional[str],
                          synthetic_cfg: Optional[dict]) -> None:
    """Generate the synthetic dataset into ``data_root`` unless a complete
    one made with the same ``synthetic_cfg`` is there (rank 0 writes, the
    other ranks wait)."""
    if not data_root:
        raise ValueError(f'{dataset_name} needs data_root: the folder to '
                         'generate the demo data into')
    rank, world_size = get_dist_info()
    if rank == 0:
        generate_synthetic_coco(data_root, **(synthetic_cfg or {}))
    if world_size > 1:
        barrier()


@DATASETS.register_module()
class SyntheticCocoDataset(CocoDataset):
    """``CocoDataset`` whose files are generated into ``data_root`` first.

    Generation is skipped when a complete dataset made with the same
    ``synthetic_cfg`` is already there, so the train and val datasets of a
    config share one generation. Under distributed training rank 0 writes
    while the other ranks wait.

    Args:
        synthetic_cfg: keyword arguments of ``generate_synthetic_coco``
            (image counts, seed, image size, difficulty knobs).
        Other args: as ``CocoDataset``; ``ann_file`` and ``data_prefix``
            point into the generated layout, e.g.
            ``annotations/person_keypoints_train.json`` and
            ``dict(img='images/train/')``.
    """

    def __init__(self, *args, synthetic_cfg: Optional[dict] = None,
                 **kwargs):
        ensure_synthetic_data(type(self).__name__, kwargs.get('data_root'),
                              synthetic_cfg)
        super().__init__(*args, **kwargs)


@DATASETS.register_module()
class SyntheticCocoDetDataset(CocoDetDataset):
    """``CocoDetDataset`` (person boxes) over the synthetic demo data,
    generated into ``data_root`` first as for ``SyntheticCocoDataset``; the
    same ``data_root`` and ``synthetic_cfg`` share one generation with the
    pose demo."""

    def __init__(self, *args, synthetic_cfg: Optional[dict] = None,
                 **kwargs):
        ensure_synthetic_data(type(self).__name__, kwargs.get('data_root'),
                              synthetic_cfg)
        super().__init__(*args, **kwargs)
