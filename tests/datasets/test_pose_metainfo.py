import numpy as np
import pytest

from rtmpose.datasets import parse_pose_metainfo

COCO_META = dict(from_file='configs/_base_/datasets/coco.py')


def _tiny_info(**overrides):
    info = dict(
        dataset_name='tiny',
        keypoint_info={
            0:
            dict(name='head', id=0, color=[1, 2, 3], type='upper', swap=''),
            1:
            dict(
                name='left_hand',
                id=1,
                color=[4, 5, 6],
                type='upper',
                swap='right_hand'),
            2:
            dict(
                name='right_hand',
                id=2,
                color=[7, 8, 9],
                type='upper',
                swap='left_hand'),
            3:
            dict(name='foot', id=3, color=[0, 0, 0], type='lower', swap=''),
        },
        skeleton_info={
            0: dict(link=('head', 'left_hand'), id=0, color=[1, 1, 1]),
            1: dict(link=('head', 'foot'), id=1, color=[2, 2, 2]),
        },
        joint_weights=[1., 1.5, 1.5, 2.],
        sigmas=[.1, .2, .2, .3])
    info.update(overrides)
    return info


def test_coco_metainfo():
    meta = parse_pose_metainfo(COCO_META)
    assert meta['dataset_name'] == 'coco'
    assert meta['num_keypoints'] == 17
    assert meta['keypoint_id2name'][0] == 'nose'
    assert meta['keypoint_name2id']['right_ankle'] == 16
    assert meta['flip_indices'] == [
        0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15
    ]
    assert meta['flip_pairs'][:2] == [(1, 2), (3, 4)]
    assert len(meta['flip_pairs']) == 8
    assert meta['upper_body_ids'] == list(range(11))
    assert meta['lower_body_ids'] == list(range(11, 17))
    assert len(meta['skeleton_links']) == 19
    # COCO's skeleton starts with [16, 14] in 1-based indices.
    assert meta['skeleton_links'][0] == (15, 13)
    assert meta['keypoint_colors'].shape == (17, 3)
    assert meta['skeleton_link_colors'].shape == (19, 3)
    np.testing.assert_allclose(meta['sigmas'][[0, 5, 11, 16]],
                               [.026, .079, .107, .089])
    np.testing.assert_allclose(
        meta['dataset_keypoint_weights'][[0, 7, 9, 13, 15]],
        [1., 1.2, 1.5, 1.2, 1.5])


def test_from_file_resolves_from_other_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert parse_pose_metainfo(COCO_META)['num_keypoints'] == 17


def test_missing_meta_file_names_path():
    with pytest.raises(FileNotFoundError, match='no_such_meta.py'):
        parse_pose_metainfo(dict(from_file='configs/no_such_meta.py'))


def test_dict_metainfo():
    meta = parse_pose_metainfo(_tiny_info())
    assert meta['flip_indices'] == [0, 2, 1, 3]
    assert meta['upper_body_ids'] == [0, 1, 2]
    assert meta['lower_body_ids'] == [3]
    assert meta['skeleton_links'] == [(0, 1), (0, 3)]


def test_sigmas_length_checked():
    with pytest.raises(ValueError, match=r'sigmas has 3 values.*\(4\)'):
        parse_pose_metainfo(_tiny_info(sigmas=[.1, .2, .3]))


def test_joint_weights_length_checked():
    with pytest.raises(ValueError, match='joint_weights has 5 values'):
        parse_pose_metainfo(_tiny_info(joint_weights=[1.] * 5))


def test_unknown_swap_named():
    info = _tiny_info()
    info['keypoint_info'][1]['swap'] = 'right_hnd'
    with pytest.raises(ValueError, match=r"\[1\] \(left_hand\).*'right_hnd'"):
        parse_pose_metainfo(info)


def test_asymmetric_swap_named():
    info = _tiny_info()
    info['keypoint_info'][2]['swap'] = 'head'
    with pytest.raises(ValueError, match='left_hand'):
        parse_pose_metainfo(info)


def test_unknown_skeleton_end_named():
    info = _tiny_info()
    info['skeleton_info'][1]['link'] = ('head', 'knee')
    with pytest.raises(ValueError, match=r"skeleton_info\[1\].*'knee'"):
        parse_pose_metainfo(info)


def test_ap10k_values_are_the_references():
    meta = parse_pose_metainfo(
        dict(from_file='configs/_base_/datasets/ap10k.py'))
    # COCO's sigmas matched by body part: shoulder .079, elbow .072, paw
    # .062; hip .107, knee .087, back paw .089.
    np.testing.assert_allclose(meta['sigmas'], [
        .025, .025, .026, .035, .035, .079, .072, .062, .079, .072, .062,
        .107, .087, .089, .107, .087, .089
    ], rtol=1e-6)
    # The reference puts R_F_Paw (10), not L_F_Paw (7), in the lower half.
    assert meta['upper_body_ids'] == [0, 1, 2, 3, 5, 6, 7, 8, 9]
    assert meta['lower_body_ids'] == [4, 10, 11, 12, 13, 14, 15, 16]


def test_wholebody_skeleton_is_the_references():
    meta = parse_pose_metainfo(
        dict(from_file='configs/_base_/datasets/coco_wholebody.py'))
    names = meta['keypoint_id2name']
    links = {(names[a], names[b]) for a, b in meta['skeleton_links']}
    assert len(meta['skeleton_links']) == 65
    assert ('left_wrist', 'left_hand_root') not in links
    assert ('left_hand_root', 'left_thumb1') in links
