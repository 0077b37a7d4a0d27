"""Tests for the synthetic COCO person-keypoint dataset generator."""
import contextlib
import io
import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from rtmpose.datasets.synthetic import writer
from rtmpose.datasets.synthetic import (COCO_KEYPOINT_NAMES, COCO_SKELETON,
                                        generate_synthetic_coco, is_generated)

NUM_TRAIN, NUM_VAL = 48, 16
W, H = 320, 240


@pytest.fixture(scope='module')
def paths(tmp_path_factory):
    root = tmp_path_factory.mktemp('synthetic')
    return generate_synthetic_coco(root,
                                   num_train_images=NUM_TRAIN,
                                   num_val_images=NUM_VAL,
                                   seed=0)


def _load(paths, split):
    return json.loads(Path(paths[f'{split}_ann_file']).read_text())


def _all_annotations(paths):
    """(N, 17, 3) keypoints of both splits and the matching annotation dicts."""
    anns = _load(paths, 'train')['annotations'] + _load(paths,
                                                        'val')['annotations']
    kps = np.array([a['keypoints'] for a in anns], float).reshape(-1, 17, 3)
    return kps, anns


def _images(paths, split):
    coco = _load(paths, split)
    return {
        im['id']:
        cv2.imread(str(Path(paths[f'{split}_img_dir']) / im['file_name']))
        for im in coco['images']
    }


def test_layout_and_counts(paths):
    root = Path(paths['root'])
    assert Path(
        paths['train_ann_file']) == (root /
                                     'annotations/person_keypoints_train.json')
    assert Path(paths['val_img_dir']) == root / 'images/val'
    assert is_generated(root)
    for split, num in (('train', NUM_TRAIN), ('val', NUM_VAL)):
        coco = _load(paths, split)
        assert len(coco['images']) == num
        assert len({im['id'] for im in coco['images']}) == num
        img_dir = Path(paths[f'{split}_img_dir'])
        assert len(list(img_dir.glob('*.jpg'))) == num
        for im in coco['images']:
            assert (im['width'], im['height']) == (W, H)
            assert cv2.imread(str(img_dir / im['file_name'])).shape == (H, W,
                                                                        3)
        anns = coco['annotations']
        assert len({a['id'] for a in anns}) == len(anns)
        per_image = np.bincount([a['image_id'] for a in anns],
                                minlength=num + 1)[1:]
        assert per_image.min() >= 1
        assert per_image.max() <= 4
        assert per_image.mean() >= 1.8  # several people per image
        (cat, ) = coco['categories']
        assert cat['id'] == 1 and cat['name'] == 'person'
        assert cat['keypoints'] == list(COCO_KEYPOINT_NAMES)
        assert cat['keypoints'][5:7] == ['left_shoulder', 'right_shoulder']
        assert cat['skeleton'] == [list(link) for link in COCO_SKELETON]
        assert np.array(cat['skeleton']).min() == 1  # 1-based links


def test_annotation_fields(paths):
    kps, anns = _all_annotations(paths)
    xy, v = kps[..., :2], kps[..., 2]
    assert set(np.unique(v)) <= {0, 1, 2}
    lab = v > 0
    assert (xy[lab] >= 0).all()
    assert (xy[lab][:, 0] <= W - 1).all() and (xy[lab][:, 1] <= H - 1).all()
    assert (xy[~lab] == 0).all()  # unlabelled points are stored as 0, 0
    for a, k in zip(anns, kps):
        assert a['category_id'] == 1 and a['iscrowd'] == 0
        assert a['num_keypoints'] == int((k[:, 2] > 0).sum()) >= 8
        x, y, w, h = a['bbox']
        assert x >= 0 and y >= 0 and x + w <= W - 1 + 1e-6
        assert y + h <= H - 1 + 1e-6
        # The box holds every labelled keypoint, with some margin.
        pts = k[k[:, 2] > 0, :2]
        assert (pts[:, 0] >= x).all() and (pts[:, 0] <= x + w).all()
        assert (pts[:, 1] >= y).all() and (pts[:, 1] <= y + h).all()
        # area: silhouette pixels, a body-like share of the box.
        assert 0.1 * w * h < a['area'] < 1.2 * w * h
    heights = np.array([a['bbox'][3] for a in anns])
    assert np.median(heights) > 80 and heights.max() > 150


def test_occlusion_and_truncation_present(paths):
    kps, _ = _all_annotations(paths)
    v = kps[..., 2]
    occluded = (v == 1).any(1).mean()
    # Body joints (5..16) are labelled unless outside the image.
    truncated = (v[:, 5:] == 0).any(1).mean()
    assert 0.03 < occluded < 0.4, occluded
    assert 0.03 < truncated < 0.4, truncated
    assert (v == 2).mean() > 0.8


def test_visibility_matches_pixels(paths):
    """Visible body joints show their light joint dot; occluded ones mostly
    show the person in front instead."""
    for split in ('train', 'val'):
        images = _images(paths, split)
        centre = {1: [], 2: []}
        for a in _load(paths, split)['annotations']:
            k = np.array(a['keypoints'], float).reshape(17, 3)
            for j in range(5, 17):
                if k[j, 2] > 0:
                    x, y = np.round(k[j, :2]).astype(int)
                    centre[int(k[j, 2])].append(images[a['image_id']][y,
                                                                      x].min())
        assert (np.array(centre[2]) > 190).mean() > 0.95
        assert (np.array(centre[1]) > 190).mean() < 0.4


def _hue_at_midpoints(paths, split, a, b):
    """Hues (OpenCV 0..180) in the middle of segment a-b where both visible."""
    images = _images(paths, split)
    hues = []
    for ann in _load(paths, split)['annotations']:
        k = np.array(ann['keypoints'], float).reshape(17, 3)
        if k[a, 2] == 2 and k[b, 2] == 2:
            x, y = np.round((k[a, :2] + k[b, :2]) / 2).astype(int)
            px = images[ann['image_id']][y:y + 1, x:x + 1]
            hues.append(cv2.cvtColor(px, cv2.COLOR_BGR2HSV)[0, 0, 0])
    return np.array(hues)


def test_left_right_colour_families(paths):

    def blue(h):
        return (h >= 85) & (h <= 135)

    def red(h):
        return (h <= 20) | (h >= 165)

    # (left segment, right segment): forearms, thighs.
    for (la, lb), (ra, rb) in (((7, 9), (8, 10)), ((11, 13), (12, 14))):
        left = _hue_at_midpoints(paths, 'train', la, lb)
        right = _hue_at_midpoints(paths, 'train', ra, rb)
        assert len(left) > 30 and len(right) > 30
        assert blue(left).mean() > 0.9 and red(right).mean() > 0.9
        assert red(left).mean() < 0.1 and blue(right).mean() < 0.1


def test_facing_decides_image_side(paths):
    """Front views have their left shoulder on the image right; back views
    (face unlabelled, ears labelled) on the image left."""
    kps, _ = _all_annotations(paths)
    both = (kps[:, 5, 2] > 0) & (kps[:, 6, 2] > 0)
    front = both & (kps[:, 0, 2] > 0)
    back = both & (kps[:, :3, 2] == 0).all(1) & (kps[:, 3:5, 2] > 0).all(1)
    assert front.sum() > 50 and back.sum() >= 3
    assert (kps[front, 5, 0] > kps[front, 6, 0]).mean() > 0.95
    assert (kps[back, 5, 0] < kps[back, 6, 0]).mean() > 0.9


def test_deterministic_by_seed(paths, tmp_path):
    same = generate_synthetic_coco(tmp_path / 'same',
                                   num_train_images=NUM_TRAIN,
                                   num_val_images=NUM_VAL,
                                   seed=0)
    for key in ('train_ann_file', 'val_ann_file'):
        assert Path(same[key]).read_bytes() == Path(paths[key]).read_bytes()
    img = 'images/train/000001.jpg'
    assert (Path(same['root'], img).read_bytes() == Path(paths['root'],
                                                         img).read_bytes())
    other = generate_synthetic_coco(tmp_path / 'other',
                                    num_train_images=4,
                                    num_val_images=NUM_VAL,
                                    seed=1)
    assert (Path(other['val_ann_file']).read_bytes()
            != Path(paths['val_ann_file']).read_bytes())
    # The val split depends on the seed only, not on the train size.
    fewer = generate_synthetic_coco(tmp_path / 'fewer',
                                    num_train_images=3,
                                    num_val_images=NUM_VAL,
                                    seed=0)
    assert (Path(fewer['val_ann_file']).read_bytes() == Path(
        paths['val_ann_file']).read_bytes())


@pytest.mark.parametrize('lib', ['pycocotools', 'xtcocotools'])
def test_coco_api_loads_and_evaluates(paths, lib):
    coco_mod = pytest.importorskip(f'{lib}.coco')
    eval_mod = pytest.importorskip(f'{lib}.cocoeval')
    with contextlib.redirect_stdout(io.StringIO()):
        gt = coco_mod.COCO(paths['val_ann_file'])
    assert len(gt.getImgIds()) == NUM_VAL
    assert gt.loadCats(1)[0]['name'] == 'person'
    anns = gt.loadAnns(gt.getAnnIds(catIds=[1]))

    def ap(shift):
        dets = []
        for a in anns:
            k = np.array(a['keypoints'], float).reshape(17, 3)
            k[:, :2] += shift
            k[:, 2] = 1
            dets.append(
                dict(image_id=a['image_id'],
                     category_id=1,
                     keypoints=k.ravel().tolist(),
                     score=1.0))
        with contextlib.redirect_stdout(io.StringIO()):
            ev = eval_mod.COCOeval(gt, gt.loadRes(dets), 'keypoints')
            ev.evaluate()
            ev.accumulate()
            ev.summarize()
        return ev.stats[0]

    assert ap(0.0) == pytest.approx(1.0)
    assert ap(4.0) < 0.9  # a 4 px error costs AP: the areas are sane


def test_incomplete_generation_is_detected(tmp_path, monkeypatch):
    root = tmp_path / 'data'
    assert not is_generated(root)
    args = dict(num_train_images=2, num_val_images=1, seed=0)
    generate_synthetic_coco(root, **args)
    assert is_generated(root)

    # Same arguments: the existing dataset is reused, nothing is written.
    def fail(*_, **__):
        raise RuntimeError('interrupted')

    monkeypatch.setattr(writer, '_write_split', fail)
    generate_synthetic_coco(root, **args)
    assert is_generated(root)

    # Other arguments: regeneration starts; interrupted -> not complete.
    with pytest.raises(RuntimeError, match='interrupted'):
        generate_synthetic_coco(root, **dict(args, seed=1))
    assert not is_generated(root)
    monkeypatch.undo()

    generate_synthetic_coco(root, **dict(args, seed=1))
    assert is_generated(root)
    marker = json.loads((root / writer.MARKER).read_text())
    assert marker['seed'] == 1
    assert len(list((root / 'images/train').glob('*.jpg'))) == 2

    # Files without the marker (e.g. a killed run) are not a dataset.
    (root / writer.MARKER).unlink()
    assert not is_generated(root)
    generate_synthetic_coco(root, **dict(args, seed=1))
    assert is_generated(root)


@pytest.mark.parametrize('kwargs, match', [
    (dict(people_per_image=(0, 3)), 'people_per_image'),
    (dict(person_height=(100, 50)), 'person_height'),
])
def test_bad_arguments(tmp_path, kwargs, match):
    with pytest.raises(ValueError, match=match):
        generate_synthetic_coco(tmp_path,
                                num_train_images=1,
                                num_val_images=1,
                                **kwargs)
