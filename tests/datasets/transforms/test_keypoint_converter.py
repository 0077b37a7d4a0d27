import numpy as np
import pytest

from rtmpose.datasets import parse_pose_metainfo
from rtmpose.datasets.transforms import KeypointConverter
from rtmpose.registry import TRANSFORMS

# AIC index -> COCO index (reference recipe)
AIC_TO_COCO = [(0, 6), (1, 8), (2, 10), (3, 5), (4, 7), (5, 9), (6, 12),
               (7, 14), (8, 16), (9, 11), (10, 13), (11, 15)]


def _aic_results(rng):
    return dict(
        keypoints=rng.uniform(1, 200, (1, 14, 2)).astype(np.float32),
        keypoints_visible=np.array(
            [[1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1]], np.float32),
        num_keypoints=11,
        flip_indices=list(range(14)),
        upper_body_ids=[0, 1],
        lower_body_ids=[6],
        dataset_keypoint_weights=np.ones(14, np.float32),
        dataset_name='aic')


def test_aic_to_coco_follows_the_mapping():
    rng = np.random.default_rng(0)
    results = _aic_results(rng)
    src_kpts = results['keypoints'].copy()
    src_vis = results['keypoints_visible'].copy()
    results['transformed_keypoints'] = src_kpts + 1000.
    # Built as configs give it: lists instead of tuples.
    out = TRANSFORMS.build(
        dict(type='KeypointConverter', num_keypoints=17,
             mapping=[list(m) for m in AIC_TO_COCO]))(results)

    assert out['keypoints'].shape == (1, 17, 2)
    assert out['keypoints'].dtype == np.float32
    assert out['transformed_keypoints'].shape == (1, 17, 2)
    assert out['keypoints_visible'].shape == (1, 17)
    for src, dst in AIC_TO_COCO:
        np.testing.assert_array_equal(out['keypoints'][0, dst],
                                      src_kpts[0, src])
        np.testing.assert_array_equal(out['transformed_keypoints'][0, dst],
                                      src_kpts[0, src] + 1000.)
        assert out['keypoints_visible'][0, dst] == src_vis[0, src]
    # COCO face keypoints have no AIC counterpart: unlabelled, at 0.
    np.testing.assert_array_equal(out['keypoints'][0, :5], 0.)
    np.testing.assert_array_equal(out['keypoints_visible'][0, :5], 0.)
    # 9 of the 12 mapped AIC keypoints are visible (head top, neck dropped).
    assert out['num_keypoints'] == 9
    # The AIC layout's metainfo no longer applies; the name of the source
    # stays.
    for key in ('flip_indices', 'upper_body_ids', 'lower_body_ids',
                'dataset_keypoint_weights'):
        assert key not in out
    assert out['dataset_name'] == 'aic'


def test_mapping_pairs_same_body_parts():
    aic = parse_pose_metainfo(dict(from_file='configs/_base_/datasets/aic.py'))
    coco = parse_pose_metainfo(
        dict(from_file='configs/_base_/datasets/coco.py'))
    for src, dst in AIC_TO_COCO:
        assert aic['keypoint_id2name'][src] == coco['keypoint_id2name'][dst]
    # Mirrored pairs map to mirrored pairs, so flipping commutes with the
    # conversion.
    mapping = dict(AIC_TO_COCO)
    for src, dst in AIC_TO_COCO:
        assert mapping[aic['flip_indices'][src]] == coco['flip_indices'][dst]


def test_pair_source_is_the_midpoint_visible_only_if_both_are():
    conv = KeypointConverter(
        num_keypoints=3, mapping=[((0, 1), 0), (2, 2), ((1, 2), 1)])
    results = dict(
        keypoints=np.array([[[0., 10.], [4., 20.], [9., 9.]]], np.float32),
        keypoints_visible=np.array([[1., 1., 0.]], np.float32))
    out = conv(results)
    np.testing.assert_allclose(out['keypoints'][0],
                               [[2., 15.], [6.5, 14.5], [9., 9.]])
    np.testing.assert_array_equal(out['keypoints_visible'][0], [1., 0., 0.])
    assert conv.mapping == [((0, 1), 0), (2, 2), ((1, 2), 1)]


@pytest.mark.parametrize(
    'num_keypoints, mapping, match',
    [(17, [], 'empty'),
     (17, [(0, 17)], 'outside 0..16'),
     (17, [(0, 3), (1, 3)], 'mapped more than once'),
     (17, [((0, 1, 2), 3)], 'index >= 0 or a pair'),
     (17, [(-1, 3)], 'index >= 0 or a pair'),
     (17, [(0.5, 3)], 'index >= 0 or a pair'),
     (17, [(0, 2.0)], 'not an index'),
     (0, [(0, 0)], 'num_keypoints')])
def test_bad_mappings_are_rejected(num_keypoints, mapping, match):
    with pytest.raises(ValueError, match=match):
        KeypointConverter(num_keypoints=num_keypoints, mapping=mapping)


def test_source_with_too_few_keypoints_names_the_field():
    conv = KeypointConverter(num_keypoints=17, mapping=AIC_TO_COCO)
    results = dict(
        keypoints=np.zeros((1, 10, 2), np.float32),
        keypoints_visible=np.zeros((1, 10), np.float32))
    with pytest.raises(ValueError, match=r'keypoints has shape \(1, 10, 2\)'):
        conv(results)
