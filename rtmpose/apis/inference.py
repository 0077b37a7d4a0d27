"""Python API: build a model from a config and run it on images."""
from typing import List, Optional, Union

import cv2
import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.registry import init_default_scope
from torch import nn

from rtmpose.datasets.metainfo import parse_pose_metainfo
from rtmpose.engine import checkpoint as ckpt_io
from rtmpose.registry import DATASETS, MODELS
from rtmpose.structures import PoseDataSample


def dataset_meta_from_config(cfg: Config) -> dict:
    """The metainfo of the config's test dataset: parsed keypoint tables for
    pose datasets, the metainfo as is (e.g. ``classes``) for detection."""
    dataset_cfg = cfg.test_dataloader.dataset
    metainfo = dataset_cfg.get('metainfo')
    if metainfo is None:
        dataset_cls = DATASETS.get(dataset_cfg.type)
        if dataset_cls is None:
            raise KeyError(f'dataset type {dataset_cfg.type!r} of the test '
                           'dataloader is not registered')
        metainfo = dataset_cls.METAINFO
    if 'from_file' not in metainfo and 'keypoint_info' not in metainfo:
        return dict(metainfo)
    return parse_pose_metainfo(metainfo)


def init_model(config: Union[str, Config],
               checkpoint: Optional[str] = None,
               device: str = 'cpu',
               cfg_options: Optional[dict] = None) -> nn.Module:
    """Build the model of ``config`` (a pose estimator or a detector), load
    ``checkpoint`` (strict, safe unpickling) and put it in eval mode on
    ``device``.

    The model gets ``cfg`` (for its test pipeline) and ``dataset_meta``.
    """
    cfg = Config.fromfile(config) if isinstance(config, str) else config
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    init_default_scope(cfg.get('default_scope', 'rtmpose'))
    # Pretrained backbone weights are overwritten by the checkpoint anyway.
    cfg.model.get('backbone', {}).pop('init_cfg', None)
    model = MODELS.build(cfg.model)
    if checkpoint is not None:
        loaded = ckpt_io.load_checkpoint(checkpoint, map_location='cpu')
        ckpt_io.load_state_dict(
            model,
            ckpt_io.revise_state_dict(ckpt_io.get_state_dict(loaded)),
            source=checkpoint)
    model.cfg = cfg
    model.dataset_meta = dataset_meta_from_config(cfg)
    return model.to(device).eval()


def inference_topdown(model: nn.Module,
                      img: Union[str, np.ndarray],
                      bboxes: Optional[np.ndarray] = None,
                      bbox_format: str = 'xyxy') -> List[PoseDataSample]:
    """Estimate the pose of every person box in one image.

    Args:
        model: a model from :func:`init_model`.
        img: image path or (H, W, 3) uint8 BGR array.
        bboxes: (N, 4) person boxes in image pixels; ``None`` uses the whole
            image as one box.
        bbox_format: ``'xyxy'`` or ``'xywh'``.

    Returns:
        One ``PoseDataSample`` per box; ``pred_instances.keypoints`` (1, K, 2)
        image pixels and ``pred_instances.keypoint_scores`` (1, K).
    """
    pipeline = Compose(model.cfg.test_dataloader.dataset.pipeline)
    img_path = img if isinstance(img, str) else None
    if img_path is not None:
        img = cv2.imread(img_path)
        if img is None:
            raise FileNotFoundError(f'cannot read image {img_path}')
    base = dict(img=img, img_path=img_path)
    if bboxes is None or len(bboxes) == 0:
        bboxes = np.array([[0, 0, img.shape[1], img.shape[0]]], np.float32)
    bboxes = np.asarray(bboxes, dtype=np.float32).reshape(-1, 4)
    if bbox_format == 'xywh':
        bboxes = bboxes.copy()
        bboxes[:, 2:] += bboxes[:, :2]
    elif bbox_format != 'xyxy':
        raise ValueError(f'bbox_format must be "xyxy" or "xywh", got '
                         f'"{bbox_format}"')
    meta = model.dataset_meta
    samples = []
    for bbox in bboxes:
        info = dict(
            base,
            bbox=bbox[None],
            bbox_score=np.ones(1, dtype=np.float32),
            flip_indices=meta['flip_indices'],
            upper_body_ids=meta['upper_body_ids'],
            lower_body_ids=meta['lower_body_ids'],
            dataset_name=meta['dataset_name'])
        samples.append(pipeline(info))
    batch = pseudo_collate(samples)
    with torch.no_grad():
        return model.test_step(batch)
