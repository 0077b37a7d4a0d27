"""The RTMDet configs' stage-2 switch through PipelineSwitchHook: the last
20 of 300 epochs drop mosaic / mixup, and the switched detection dataset
packs unmixed samples."""
from types import SimpleNamespace

import numpy as np
import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope

from rtmpose.engine.hooks import PipelineSwitchHook
from rtmpose.registry import DATASETS

CONFIGS = ['configs/rtmdet/person/rtmdet_nano_320-8xb32_coco-person.py',
           'configs/rtmdet/person/rtmdet_m_640-8xb32_coco-person.py']


def _switch_hook(cfg):
    (hook, ) = [h for h in cfg.custom_hooks
                if h['type'] == 'PipelineSwitchHook']
    return hook


@pytest.mark.parametrize('config', CONFIGS)
def test_configs_switch_for_the_last_20_epochs(config):
    cfg = Config.fromfile(config)
    hook = _switch_hook(cfg)
    assert hook['switch_epoch'] == cfg.train_cfg.max_epochs - 20 == 280
    stage1 = [t['type'] for t in cfg.train_dataloader.dataset.pipeline]
    stage2 = [t['type'] for t in hook['switch_pipeline']]
    assert 'CachedMosaic' in stage1
    assert not {'CachedMosaic', 'CachedMixUp'} & set(stage2)


def test_switched_detection_dataset_gives_unmixed_samples(tmp_path):
    init_default_scope('rtmpose')
    cfg = Config.fromfile(CONFIGS[0])
    # small mosaic cache so the mosaic is active from the 5th sample
    pipeline = [dict(t, max_cached_images=5)
                if t['type'] == 'CachedMosaic' else t
                for t in cfg.train_dataloader.dataset.pipeline]
    dataset = DATASETS.build(dict(
        type='SyntheticCocoDetDataset', data_root=str(tmp_path),
        synthetic_cfg=dict(num_train_images=8, num_val_images=1, seed=0),
        ann_file='annotations/person_keypoints_train.json',
        data_prefix=dict(img='images/train/'), pipeline=pipeline))
    loader = SimpleNamespace(dataset=dataset)
    runner = SimpleNamespace(
        epoch=280, max_epochs=300, logger=SimpleNamespace(info=print),
        train_loop=SimpleNamespace(dataloader=loader))
    np.random.seed(0)
    # stage 1: the mosaic canvas (640 x 640) is cropped back to 320 x 320
    before = [dataset[i % len(dataset)] for i in range(6)]
    assert all(s['inputs'].shape[1:] == (320, 320) for s in before)
    hook = PipelineSwitchHook(**{k: v for k, v in _switch_hook(cfg).items()
                                 if k != 'type'})
    hook.before_train_epoch(runner)
    assert hook.switched_at == 280
    names = [type(t).__name__ for t in dataset.pipeline.transforms]
    assert 'CachedMosaic' not in names and names[-1] == 'PackDetInputs'
    sample = dataset[0]
    assert sample['inputs'].shape[1:] == (320, 320)
    assert len(sample['data_samples'].gt_instances.bboxes) > 0
