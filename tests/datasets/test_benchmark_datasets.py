"""MPII, CrowdPose, AP-10K, COCO-WholeBody and OCHuman datasets, each read
from a tiny file in its real on-disk layout (benchmark_fixtures)."""
import json

import numpy as np
import pytest
from benchmark_fixtures import (write_ap10k, write_crowdpose, write_mpii,
                                write_ochuman, write_wholebody)

from rtmpose.datasets import (AP10KDataset, CocoWholeBodyDataset,
                              CrowdPoseDataset, MpiiDataset, OCHumanDataset,
                              parse_pose_metainfo)
from rtmpose.datasets.mpii import load_head_sizes
from rtmpose.datasets.transforms import GetBBoxCenterScale

COCO_META = parse_pose_metainfo(
    dict(from_file='configs/_base_/datasets/coco.py'))


def test_mpii_json_list_layout(tmp_path):
    files = write_mpii(tmp_path)
    dataset = MpiiDataset(
        ann_file=files['train'], data_prefix=dict(img=str(tmp_path /
                                                          'images')))
    assert len(dataset) == 3
    assert dataset.metainfo['num_keypoints'] == 16
    for n, entry in enumerate(files['entries']):
        info = dataset.get_data_info(n)
        vis = np.asarray(entry['joints_vis'], np.float32)
        np.testing.assert_array_equal(info['keypoints_visible'][0], vis)
        # The joints stay in MATLAB's 1-based pixels (the reference's
        # convention; MpiiPCKAccuracy converts the predictions).
        expected = np.asarray(entry['joints'])
        np.testing.assert_allclose(info['keypoints'][0], expected, atol=1e-4)
        # box: side scale x 200, center moved down by 15 x scale, 0-based
        cx, cy = entry['center']
        center = np.array([cx - 1, cy + 15 * entry['scale'] - 1])
        side = entry['scale'] * 200
        np.testing.assert_allclose(info['bbox'][0],
                                   np.r_[center - side / 2, center + side / 2],
                                   atol=1e-4)
        out = GetBBoxCenterScale(padding=1.25)(dict(bbox=info['bbox']))
        np.testing.assert_allclose(out['bbox_center'][0], center, atol=1e-4)
        np.testing.assert_allclose(out['bbox_scale'][0], [side * 1.25] * 2,
                                   atol=1e-4)
        assert info['id'] == n and info['img_id'] == n % 2
        assert info['img_path'].endswith(entry['image'])
        assert info['flip_indices'][0] == 5  # right ankle <-> left ankle
        raw = info['raw_ann_info']
        np.testing.assert_allclose(
            np.reshape(raw['keypoints'], (16, 3))[:, :2], expected,
            atol=1e-4)
        assert 'head_size' not in raw


@pytest.mark.parametrize('ext', ['mat', 'npy', 'json'])
def test_mpii_head_sizes(tmp_path, ext):
    files = write_mpii(tmp_path)
    path = files['mat'] if ext == 'mat' else str(
        tmp_path / 'annotations' / f'headboxes.{ext}')
    dataset = MpiiDataset(ann_file=files['val'], headbox_file=path,
                          test_mode=True)
    sizes = [dataset.get_data_info(i)['raw_ann_info']['head_size']
             for i in range(len(dataset))]
    np.testing.assert_allclose(sizes, files['head_sizes'])


def test_mpii_errors_name_the_file(tmp_path):
    files = write_mpii(tmp_path)
    boxes = np.zeros((2, 2, 2))
    np.save(tmp_path / 'two.npy', boxes)
    with pytest.raises(ValueError, match=r'two\.npy has 2 head boxes .* 3'):
        load_head_sizes(str(tmp_path / 'two.npy'), 3)
    with pytest.raises(ValueError, match='bbox_file is not supported'):
        MpiiDataset(ann_file=files['val'], bbox_file='dets.json',
                    test_mode=True)
    entries = json.loads(open(files['val']).read())
    entries[1]['joints'] = entries[1]['joints'][:15]
    bad = tmp_path / 'bad.json'
    bad.write_text(json.dumps(entries))
    with pytest.raises(ValueError, match=r'bad\.json: entry 1 has joints of '
                       r'shape \(15, 2\)'):
        MpiiDataset(ann_file=str(bad))
    # As in the reference, persons without a box (center -1; not moved
    # down) or without labelled joints stay.
    entries = json.loads(open(files['val']).read())
    entries[0]['center'] = [-1, -1]
    entries[1]['joints_vis'] = [0] * 16
    odd = tmp_path / 'odd.json'
    odd.write_text(json.dumps(entries))
    dataset = MpiiDataset(ann_file=str(odd))
    assert len(dataset) == 3
    side = entries[0]['scale'] * 200
    np.testing.assert_allclose(dataset.get_data_info(0)['bbox'][0],
                               [-2 - side / 2] * 2 + [-2 + side / 2] * 2,
                               rtol=1e-6)
    assert dataset.get_data_info(1)['keypoints_visible'].sum() == 0


def test_crowdpose_crowd_index(tmp_path):
    files = write_crowdpose(tmp_path)
    dataset = CrowdPoseDataset(ann_file=files['train'])
    assert len(dataset) == 3
    assert [dataset.get_data_info(i)['crowd_index'] for i in range(3)] == \
        [0.1, 0.5, 0.9]
    info = dataset.get_data_info(0)
    assert info['keypoints'].shape == (1, 14, 2)
    assert info['flip_indices'][:2] == [1, 0] and \
        info['flip_indices'][12:] == [12, 13]
    np.testing.assert_allclose(
        dataset.metainfo['sigmas'][:2], [0.079, 0.079])
    data = files['data']
    del data['images'][1]['crowdIndex']
    bad = tmp_path / 'no_crowd.json'
    bad.write_text(json.dumps(data))
    with pytest.raises(ValueError, match='image id 2 has no "crowdIndex"'):
        CrowdPoseDataset(ann_file=str(bad))


def test_ap10k_species_categories(tmp_path):
    files = write_ap10k(tmp_path)
    dataset = AP10KDataset(ann_file=files['train'])
    assert len(dataset) == 2
    infos = [dataset.get_data_info(i) for i in range(2)]
    assert [i['category_id'] for i in infos] == [1, 6]
    assert infos[0]['num_keypoints'] == 16
    assert infos[0]['keypoints_visible'][0, 4] == 0
    assert dataset.metainfo['keypoint_id2name'][4] == 'Root of tail'
    # L_Shoulder (5) <-> R_Shoulder (8), L_B_Paw (13) <-> R_B_Paw (16)
    assert infos[0]['flip_indices'][5] == 8
    assert infos[0]['flip_indices'][13] == 16


def test_wholebody_parts_are_concatenated(tmp_path):
    files = write_wholebody(tmp_path)
    dataset = CocoWholeBodyDataset(ann_file=files['train'])
    assert len(dataset) == 2
    ann = files['data']['annotations'][0]
    info = dataset.get_data_info(0)
    assert info['keypoints'].shape == (1, 133, 2)
    start = 0
    for field, num in (('keypoints', 17), ('foot_kpts', 6), ('face_kpts', 68),
                       ('lefthand_kpts', 21), ('righthand_kpts', 21)):
        part = np.reshape(ann[field], (num, 3))
        np.testing.assert_allclose(info['keypoints'][0, start:start + num],
                                   part[:, :2], atol=1e-4)
        np.testing.assert_array_equal(
            info['keypoints_visible'][0, start:start + num], part[:, 2] > 0)
        start += num
    # the left hand (91..111) is unlabelled; num_keypoints counts all parts
    assert info['num_keypoints'] == 133 - 21
    assert info['raw_ann_info']['lefthand_kpts'] == ann['lefthand_kpts']
    # a part flagged invalid is unlabelled even with non-zero flags
    data = files['data']
    data['annotations'][1]['face_valid'] = False
    path = tmp_path / 'invalid_face.json'
    path.write_text(json.dumps(data))
    info = CocoWholeBodyDataset(ann_file=str(path)).get_data_info(1)
    assert info['keypoints_visible'][0, 23:91].sum() == 0
    assert info['keypoints_visible'][0, :23].sum() == 23
    assert info['num_keypoints'] == 133 - 68
    del data['annotations'][0]['foot_kpts']
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="annotation id 1 .* no 'foot_kpts'"):
        CocoWholeBodyDataset(ann_file=str(path))


def test_ochuman_coco_layout(tmp_path):
    files = write_ochuman(tmp_path)
    dataset = OCHumanDataset(ann_file=files['val'], test_mode=True)
    assert len(dataset) == 2
    assert dataset.metainfo['dataset_name'] == 'ochuman'
    np.testing.assert_array_equal(dataset.metainfo['sigmas'],
                                  COCO_META['sigmas'])
    assert dataset.metainfo['flip_indices'] == COCO_META['flip_indices']
    assert dataset.metainfo['paper_info']['year'] == '2019'
