"""A user's own 5-keypoint set: metainfo from a file or from the COCO
categories, the start-up checks, and a few training iterations of the
custom-dataset template config."""
import json
import os.path as osp
import re

import numpy as np
import pytest
import torch
from benchmark_fixtures import (coco_annotation, person_keypoints,
                                shrink_input, write_images)
from mmengine.config import Config

from rtmpose.datasets import CustomCocoDataset, KeypointSetError
from rtmpose.datasets.custom_metainfo import default_sigma, guess_flip_pairs
from rtmpose.engine import PoseRunner

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
NAMES = ['head', 'left_hand', 'right_hand', 'left_foot', 'right_foot']
SKELETON_1BASED = [[1, 2], [1, 3], [1, 4], [1, 5]]
COMPACT = """dataset_info = dict(
    dataset_name='five_points',
    keypoint_names={names},
    flip_pairs={flip_pairs},
    skeleton_links={links},
    upper_body_ids=[0, 1, 2],
    lower_body_ids={lower},
    sigmas={sigmas})
"""


def write_five_point_set(root, names=NAMES, num_kpts=5, num_images=4):
    """COCO-format train/val files of a 5-keypoint set, 2 persons per
    image."""
    files = [f'{i:04d}.png' for i in range(num_images)]
    write_images(root / 'images', files, seed=5)
    anns = []
    for i in range(num_images):
        for j in range(2):
            kpts = person_keypoints(num_kpts, 5 + 30 * j, 8, seed=10 * i + j)
            anns.append(coco_annotation(len(anns) + 1, i + 1, kpts,
                                        [2] * num_kpts,
                                        [2 + 30 * j, 4, 36, 48]))
    data = dict(
        images=[dict(id=i + 1, file_name=f, width=80, height=64)
                for i, f in enumerate(files)],
        annotations=anns,
        categories=[dict(id=1, name='toy', supercategory='toy',
                         keypoints=list(names), skeleton=SKELETON_1BASED)])
    (root / 'annotations').mkdir(parents=True, exist_ok=True)
    for split in ('train', 'val'):
        (root / 'annotations' / f'{split}.json').write_text(json.dumps(data))
    return str(root / 'annotations' / 'train.json')


def write_meta(path, names=NAMES, flip_pairs=((1, 2), (3, 4)),
               sigmas=(0.079, 0.062, 0.062, 0.089, 0.089)):
    num = len(names)
    path.write_text(COMPACT.format(
        names=list(names), flip_pairs=list(flip_pairs),
        links=[(0, i) for i in range(1, num)],
        lower=list(range(3, num)), sigmas=list(sigmas)))
    return str(path)


def test_metainfo_file_in_the_compact_layout(tmp_path):
    ann = write_five_point_set(tmp_path)
    meta = write_meta(tmp_path / 'five.py')
    dataset = CustomCocoDataset(ann_file=ann,
                                metainfo=dict(from_file=meta))
    assert len(dataset) == 8
    info = dataset.metainfo
    assert info['num_keypoints'] == 5
    assert info['flip_indices'] == [0, 2, 1, 4, 3]
    assert info['skeleton_links'] == [(0, 1), (0, 2), (0, 3), (0, 4)]
    assert info['upper_body_ids'] == [0, 1, 2]
    np.testing.assert_allclose(info['sigmas'],
                               [0.079, 0.062, 0.062, 0.089, 0.089])
    assert dataset.get_data_info(0)['keypoints'].shape == (1, 5, 2)


def test_metainfo_from_coco_categories(tmp_path):
    ann = write_five_point_set(tmp_path)
    with pytest.warns(UserWarning, match='no sigmas'):
        dataset = CustomCocoDataset(
            ann_file=ann, metainfo=dict(from_coco_categories=True))
    info = dataset.metainfo
    assert info['dataset_name'] == 'toy'
    assert [info['keypoint_id2name'][i] for i in range(5)] == NAMES
    assert info['flip_indices'] == [0, 2, 1, 4, 3]  # guessed from names
    assert info['skeleton_links'] == [(0, 1), (0, 2), (0, 3), (0, 4)]
    # head -> 0.079 (by name), hands / feet -> the 0.05 default
    np.testing.assert_allclose(info['sigmas'], [0.079, .05, .05, .05, .05])
    dataset = CustomCocoDataset(
        ann_file=ann,
        metainfo=dict(from_coco_categories=True, flip_pairs=[(1, 2)],
                      sigmas=[0.1] * 5, dataset_name='mine'))
    assert dataset.metainfo['flip_indices'] == [0, 2, 1, 3, 4]
    assert dataset.metainfo['dataset_name'] == 'mine'


# Each broken metainfo stops at start-up with a message naming it.
@pytest.mark.parametrize('broken, message', [
    (dict(names=NAMES[:4], flip_pairs=[(1, 2)], sigmas=[0.05] * 4),
     'keypoint count: .* has 4 keypoints but category \'toy\''),
    (dict(sigmas=[0.05] * 4),
     'sigmas has 4 values but there are 5 keypoints'),
    (dict(flip_pairs=[(1, 7)]),
     r'flip_pairs\[0\] = \(1, 7\) has index 7 out of range for 5 keypoints'),
    (dict(flip_pairs=[(1, 2), (2, 3)]),
     r'flip_pairs\[1\] = \(2, 3\): keypoint 2 \(right_hand\) is already'),
    (dict(names=['head', 'right_hand', 'left_hand', 'left_foot',
                 'right_foot']),
     "keypoint names: keypoint 1 is 'right_hand' in .* but 'left_hand'"),
])
def test_broken_metainfo_stops_with_its_name(tmp_path, broken, message):
    ann = write_five_point_set(tmp_path)
    meta = write_meta(tmp_path / 'broken.py', **broken)
    with pytest.raises(KeypointSetError, match=message) as err:
        CustomCocoDataset(ann_file=ann, metainfo=dict(from_file=meta))
    assert 'broken.py' in str(err.value)


def test_annotation_keypoint_count_is_checked(tmp_path):
    ann = write_five_point_set(tmp_path, names=NAMES + ['tail'], num_kpts=6)
    meta = write_meta(tmp_path / 'five.py')
    with pytest.raises(KeypointSetError,
                       match=r"keypoint count: .*five\.py\) has 5 keypoints "
                       "but category 'toy' .* lists 6"):
        CustomCocoDataset(ann_file=ann, metainfo=dict(from_file=meta))
    # one annotation with a sixth keypoint in a 5-keypoint file
    ann = write_five_point_set(tmp_path / 'five')
    data = json.loads(open(ann).read())
    del data['categories'][0]['keypoints']
    data['annotations'][3]['keypoints'] += [1., 1., 2.]
    with open(ann, 'w') as f:
        json.dump(data, f)
    with pytest.raises(KeypointSetError,
                       match=r'annotation id 4 .* \(6 keypoints\) but'):
        CustomCocoDataset(ann_file=ann, metainfo=dict(from_file=meta))


def test_full_layout_errors_name_the_file(tmp_path):
    ann = write_five_point_set(tmp_path)
    text = open(osp.join(REPO, 'rtmpose/configs/_base_/datasets/coco.py')).read()
    meta = tmp_path / 'coco_copy.py'
    meta.write_text(re.sub(r'0\.089\n', '0.089, 0.05\n', text))
    with pytest.raises(KeypointSetError,
                       match=r'coco_copy\.py: .*sigmas has 18 values'):
        CustomCocoDataset(ann_file=ann, metainfo=dict(from_file=str(meta)))
    with pytest.raises(KeypointSetError, match='needs metainfo'):
        CustomCocoDataset(ann_file=ann)


def test_name_helpers():
    assert guess_flip_pairs(['nose', 'L_Eye', 'R_Eye', 'leftKnee',
                             'rightKnee', 'paw_l', 'paw_r']) == [(1, 2),
                                                                 (3, 4),
                                                                 (5, 6)]
    assert default_sigma('L_Eye') == (0.025, 'eye')
    assert default_sigma('rightKnee') == (0.087, 'knee')
    assert default_sigma('tail_tip') == (0.05, None)


def test_template_config_trains_from_metainfo_alone(tmp_path):
    """The custom template, its data and metainfo swapped for a 5-keypoint
    set: four training iterations and a validation through PoseRunner (the
    runner's start-up checks included)."""
    write_five_point_set(tmp_path / 'data')
    meta = write_meta(tmp_path / 'five.py')
    cfg = Config.fromfile(
        osp.join(REPO, 'configs/rtmpose/custom/rtmpose-m_custom-256x192.py'))
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = str(tmp_path / 'data')
        cfg[loader].dataset.metainfo = dict(from_file=meta)
        cfg[loader].update(batch_size=4, num_workers=0,
                           persistent_workers=False)
    cfg.val_evaluator.ann_file = str(tmp_path / 'data/annotations/val.json')
    cfg.model.head.out_channels = 5
    # the template's data path on a model of RTMPose-t's size: cheaper steps
    cfg.model.backbone.update(deepen_factor=0.167, widen_factor=0.375,
                              init_cfg=None)  # offline: random init
    cfg.model.head.in_channels = 384
    cfg.train_cfg.update(max_epochs=2, val_interval=2)
    cfg.param_scheduler = []
    cfg.default_hooks.logger.interval = 1
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=-1)
    cfg.work_dir = str(tmp_path / 'work')
    threads = torch.get_num_threads()
    # a small input keeps the CPU steps cheap
    runner = PoseRunner.from_cfg(Config(shrink_input(cfg.to_dict(),
                                                     (48, 64))))
    torch.set_num_threads(1)  # small tensors on a shared 2-core machine
    try:
        runner.train()
    finally:
        torch.set_num_threads(threads)
    assert runner.iter == 4
    assert runner.train_dataloader.dataset.metainfo['flip_indices'] == \
        [0, 2, 1, 4, 3]
    log = open(osp.join(runner.log_dir, f'{runner.timestamp}.log')).read()
    losses = [float(v) for v in re.findall(r' loss: ([0-9.]+)', log)]
    assert len(losses) == 4 and all(np.isfinite(losses))
    assert 'coco/AP:' in log
