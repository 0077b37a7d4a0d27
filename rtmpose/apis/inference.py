"""Python API: build a model from a config and run it on images."""
from typing import List, Optional, Union

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.registry import init_default_scope
from torch import nn

from rtmpose import model_index
from rtmpose.checkpoint import load_weights
from rtmpose.config_loading import load_config
from rtmpose.datasets.metainfo import parse_pose_metainfo
from rtmpose.image_decoding import read_image
from rtmpose.registry import DATASETS, MODELS
from rtmpose.structures import PoseDataSample
from .input_checks import check_boxes, check_image


def dataset_meta_from_config(cfg: Config) -> dict:
    """The metainfo of the config's test dataset: parsed keypoint tables for
    pose datasets, the metainfo as is (e.g. ``classes``) for detection."""
    dataset_cfg = cfg.test_dataloader.dataset
    metainfo = dataset_cfg.get('metainfo')
    dataset_cls = DATASETS.get(dataset_cfg.type)
    if dataset_cls is None and metainfo is None:
        raise KeyError(f'dataset type {dataset_cfg.type!r} of the test '
                       'dataloader is not registered')
    # a dataset that reads its keypoint set from the annotations
    keypoint_set = getattr(dataset_cls, 'keypoint_set', None)
    if keypoint_set is not None:
        info, _ = keypoint_set(metainfo, dataset_cfg.get('ann_file', ''),
                               dataset_cfg.get('data_root', ''))
        return parse_pose_metainfo(info)
    if metainfo is None:
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

    ``config`` may be a model name (``'rtmpose-m'``, see
    :mod:`rtmpose.model_index`): its config and, unless ``checkpoint``
    names other weights, its published weights (fetched once, hash
    checked). The model gets ``cfg`` (for its test pipeline) and
    ``dataset_meta``.
    """
    sha256 = None
    if isinstance(config, str):
        config, checkpoint, sha256 = model_index.resolve(config, checkpoint)
    cfg = load_config(config) if isinstance(config, str) else config
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    init_default_scope(cfg.get('default_scope', 'rtmpose'))
    # Pretrained backbone weights are overwritten by the checkpoint anyway.
    cfg.model.get('backbone', {}).pop('init_cfg', None)
    model = MODELS.build(cfg.model)
    if checkpoint is not None:
        load_weights(model, checkpoint, sha256=sha256)
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
        img: image path or (H, W, 3) uint8 BGR array (float images and
            channel-first arrays are refused).
        bboxes: (N, 4) person boxes in image pixels, or (N, 5) with their
            detection scores last; finite, with positive area. ``None`` uses
            the whole image as one box; an empty array gives no poses.
        bbox_format: ``'xyxy'`` or ``'xywh'``.

    Returns:
        One ``PoseDataSample`` per box; ``pred_instances.keypoints`` (1, K, 2)
        image pixels and ``pred_instances.keypoint_scores`` (1, K).
    """
    pipeline = Compose(model.cfg.test_dataloader.dataset.pipeline)
    img_path = img if isinstance(img, str) else None
    img = read_image(img_path) if img_path is not None else check_image(img)
    base = dict(img=img, img_path=img_path)
    bboxes, scores = check_boxes(bboxes, img.shape[:2], bbox_format)
    if not len(bboxes):
        return []
    if scores is None:
        scores = np.ones(len(bboxes), dtype=np.float32)
    meta = model.dataset_meta
    samples = []
    for bbox, score in zip(bboxes, scores):
        info = dict(
            base,
            bbox=bbox[None],
            bbox_score=score[None],
            flip_indices=meta['flip_indices'],
            upper_body_ids=meta['upper_body_ids'],
            lower_body_ids=meta['lower_body_ids'],
            dataset_name=meta['dataset_name'])
        samples.append(pipeline(info))
    batch = pseudo_collate(samples)
    with torch.no_grad():
        return model.test_step(batch)
