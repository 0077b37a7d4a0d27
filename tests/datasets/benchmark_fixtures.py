"""Tiny annotation files in the real on-disk formats of MPII, CrowdPose,
AP-10K, COCO-WholeBody and OCHuman, with small images, for the dataset and
config tests."""
import json
from pathlib import Path

import cv2
import numpy as np

IMG_W, IMG_H = 80, 64


def write_images(img_dir: Path, names, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    img_dir.mkdir(parents=True, exist_ok=True)
    for name in names:
        img = rng.integers(0, 255, (IMG_H, IMG_W, 3), dtype=np.uint8)
        assert cv2.imwrite(str(img_dir / name), img)


def _dump(path: Path, data) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))
    return str(path)


def person_keypoints(num: int, x0: float, y0: float, seed: int) -> np.ndarray:
    """(num, 2) keypoints spread over a 30x40 box at (x0, y0)."""
    rng = np.random.default_rng(seed)
    return np.array([x0, y0]) + rng.uniform(0, [30, 40], (num, 2))


def coco_annotation(ann_id, img_id, kpts, flags, bbox, area=True,
                    category_id=1) -> dict:
    """COCO keypoint annotation; kpts (K, 2), flags (K,) in {0, 1, 2}."""
    flat = np.concatenate([np.asarray(kpts, float),
                           np.asarray(flags, float)[:, None]], 1)
    flat[np.asarray(flags) == 0] = 0
    ann = dict(id=ann_id, image_id=img_id, category_id=category_id,
               bbox=list(map(float, bbox)), iscrowd=0,
               num_keypoints=int(np.count_nonzero(flags)),
               keypoints=flat.reshape(-1).round(2).tolist())
    if area:
        ann['area'] = float(bbox[2] * bbox[3])
    return ann


def coco_images(names):
    return [dict(id=i + 1, file_name=n, width=IMG_W, height=IMG_H)
            for i, n in enumerate(names)]


# ---------------------------------------------------------------- MPII --
MPII_IMAGES = ['015601864.jpg', '015599452.jpg']


def mpii_entry(image, center, scale, joints, vis) -> dict:
    """One person of mpii_{train,val}.json (MATLAB 1-based pixels)."""
    return dict(image=image, center=list(map(float, center)),
                scale=float(scale),
                joints=np.asarray(joints).round(2).tolist(),
                joints_vis=list(map(int, vis)))


def write_mpii(root: Path) -> dict:
    """annotations/mpii_{train,val}.json (JSON lists), head boxes of the
    val persons as .mat (headboxes_src (2, 2, N)), .npy and .json."""
    write_images(root / 'images', MPII_IMAGES)
    entries = []
    for n in range(3):
        joints = person_keypoints(16, 20 + 10 * n, 10, seed=n) + 1
        vis = np.ones(16, int)
        vis[n] = 0  # one unlabelled joint per person
        joints[n] = 0
        entries.append(
            mpii_entry(MPII_IMAGES[n % 2], (36 + 10 * n, 26), 0.2, joints,
                       vis))
    train = _dump(root / 'annotations' / 'mpii_train.json', entries)
    val = _dump(root / 'annotations' / 'mpii_val.json', entries)
    # (N, 2, 2) [[x1, y1], [x2, y2]]: diagonals 10, 20 and 25 pixels.
    boxes = np.array([[[5, 5], [11, 13]], [[0, 0], [12, 16]],
                      [[10, 10], [25, 30]]], dtype=np.float64)
    np.save(root / 'annotations' / 'headboxes.npy', boxes)
    _dump(root / 'annotations' / 'headboxes.json', boxes.tolist())
    from scipy.io import savemat
    savemat(str(root / 'annotations' / 'mpii_gt_val.mat'),
            dict(headboxes_src=np.transpose(boxes, (1, 2, 0))))
    return dict(train=train, val=val, entries=entries,
                head_sizes=np.array([10., 20., 25.]),
                mat=str(root / 'annotations' / 'mpii_gt_val.mat'))


# ----------------------------------------------------------- CrowdPose --
CROWDPOSE_IMAGES = ['100000.jpg', '100001.jpg', '100002.jpg']
CROWD_INDEX = [0.1, 0.5, 0.9]


def write_crowdpose(root: Path) -> dict:
    """mmpose_crowdpose_{trainval,test}.json: COCO format, crowdIndex per
    image, no areas; plus a detection file for the test images."""
    write_images(root / 'images', CROWDPOSE_IMAGES, seed=1)
    images = coco_images(CROWDPOSE_IMAGES)
    for img, crowd in zip(images, CROWD_INDEX):
        img['crowdIndex'] = crowd
    anns = [
        coco_annotation(i + 1, i + 1, person_keypoints(14, 20, 10, seed=i),
                        [2] * 14, [15, 5, 40, 50], area=False)
        for i in range(3)
    ]
    data = dict(images=images, annotations=anns,
                categories=[dict(id=1, name='person')])
    dets = [dict(image_id=i + 1, category_id=1, bbox=[15, 5, 40, 50],
                 score=0.9) for i in range(3)]
    return dict(
        data=data,
        train=_dump(root / 'annotations' /
                    'mmpose_crowdpose_trainval.json', data),
        test=_dump(root / 'annotations' / 'mmpose_crowdpose_test.json',
                   data),
        dets=_dump(root / 'annotations' / 'det_for_crowd_test_0.1_0.5.json',
                   dets))


# -------------------------------------------------------------- AP-10K --
AP10K_IMAGES = ['000000000017.jpg', '000000000018.jpg']
AP10K_NAMES = [
    'left_eye', 'right_eye', 'nose', 'neck', 'root_of_tail',
    'left_shoulder', 'left_elbow', 'left_front_paw', 'right_shoulder',
    'right_elbow', 'right_front_paw', 'left_hip', 'left_knee',
    'left_back_paw', 'right_hip', 'right_knee', 'right_back_paw'
]


def write_ap10k(root: Path) -> dict:
    """ap10k-{train,val,test}-split1.json: COCO format, one category per
    species (here antelope and dog), each listing the 17 keypoints."""
    write_images(root / 'data', AP10K_IMAGES, seed=2)
    flags = [2] * 17
    flags[4] = 0
    anns = [
        coco_annotation(1, 1, person_keypoints(17, 20, 10, 0), flags,
                        [15, 5, 40, 50], category_id=1),
        coco_annotation(2, 2, person_keypoints(17, 25, 12, 1), [2] * 17,
                        [20, 8, 40, 50], category_id=6),
    ]
    cats = [dict(id=cid, name=name, supercategory='Bovidae',
                 keypoints=AP10K_NAMES, skeleton=[[1, 2], [1, 3], [2, 3]])
            for cid, name in ((1, 'antelope'), (6, 'dog'))]
    data = dict(images=coco_images(AP10K_IMAGES), annotations=anns,
                categories=cats)
    return dict(
        data=data,
        **{split: _dump(root / 'annotations' / f'ap10k-{split}-split1.json',
                        data) for split in ('train', 'val', 'test')})


# ------------------------------------------------------ COCO-WholeBody --
WHOLEBODY_IMAGES = ['000000000785.jpg', '000000000872.jpg']
# (field, keypoints) in concatenation order.
WHOLEBODY_PARTS = (('keypoints', 17), ('foot_kpts', 6), ('face_kpts', 68),
                   ('lefthand_kpts', 21), ('righthand_kpts', 21))


def wholebody_annotation(ann_id, img_id, kpts133, flags133, bbox,
                         valid=None) -> dict:
    """A COCO-WholeBody annotation: parts stored in separate fields, with
    validity flags and part boxes."""
    ann = coco_annotation(ann_id, img_id, kpts133[:17], flags133[:17], bbox)
    start = 17
    for field, num in WHOLEBODY_PARTS[1:]:
        part = coco_annotation(0, 0, kpts133[start:start + num],
                               flags133[start:start + num], bbox)
        ann[field] = part['keypoints']
        flag = field.replace('_kpts', '_valid')
        ann[flag] = bool(np.any(flags133[start:start + num])) \
            if valid is None else valid.get(flag, True)
        start += num
    ann.update(face_box=[0., 0., 0., 0.], lefthand_box=[0., 0., 0., 0.],
               righthand_box=[0., 0., 0., 0.])
    return ann


def write_wholebody(root: Path) -> dict:
    """coco_wholebody_{train,val}_v1.0.json with images under train2017/
    and val2017/, and a COCO detection file for the val images."""
    for split in ('train2017', 'val2017'):
        write_images(root / split, WHOLEBODY_IMAGES, seed=3)
    flags0 = np.full(133, 2)
    flags0[91:112] = 0  # no left hand
    anns = [
        wholebody_annotation(1, 1, person_keypoints(133, 20, 10, 0), flags0,
                             [15, 5, 40, 50]),
        wholebody_annotation(2, 2, person_keypoints(133, 25, 12, 1),
                             np.full(133, 2), [20, 8, 40, 50]),
    ]
    data = dict(images=coco_images(WHOLEBODY_IMAGES), annotations=anns,
                categories=[dict(id=1, name='person')])
    dets = [dict(image_id=i + 1, category_id=1, bbox=a['bbox'], score=0.95)
            for i, a in enumerate(anns)]
    return dict(
        data=data,
        train=_dump(root / 'annotations' / 'coco_wholebody_train_v1.0.json',
                    data),
        val=_dump(root / 'annotations' / 'coco_wholebody_val_v1.0.json',
                  data),
        dets=_dump(root / 'person_detection_results' /
                   'COCO_val2017_detections_AP_H_56_person.json', dets))


# ------------------------------------------------------------- OCHuman --
def write_ochuman(root: Path) -> dict:
    """ochuman_coco_format_val_range_0.00_1.00.json (COCO format, 17
    keypoints, overlapping persons on one image)."""
    write_images(root / 'images', ['000001.jpg'], seed=4)
    anns = [
        coco_annotation(1, 1, person_keypoints(17, 20, 10, 0), [2] * 17,
                        [15, 5, 40, 50]),
        coco_annotation(2, 1, person_keypoints(17, 24, 12, 1), [1] * 17,
                        [18, 7, 40, 50]),
    ]
    data = dict(images=coco_images(['000001.jpg']), annotations=anns,
                categories=[dict(id=1, name='person')])
    return dict(data=data, val=_dump(
        root / 'annotations' / 'ochuman_coco_format_val_range_0.00_1.00.json',
        data))


# ------------------------------------------------------- AI Challenger --
AIC_TRAIN_IMAGES = ('ai_challenger_keypoint_train_20170902/'
                    'keypoint_train_images_20170902')
AIC_VAL_IMAGES = ('ai_challenger_keypoint_validation_20170911/'
                  'keypoint_validation_images_20170911')


def write_aic(root: Path) -> dict:
    """aic_{train,val}.json: the COCO-format conversion (14 keypoints, no
    areas) with images in the challenge's folders."""
    names = ['0001.jpg', '0002.jpg']
    for folder in (AIC_TRAIN_IMAGES, AIC_VAL_IMAGES):
        write_images(root / folder, names, seed=6)
    anns = [
        coco_annotation(i + 1, i + 1, person_keypoints(14, 20, 10, seed=i),
                        [1] * 14, [15, 5, 40, 50], area=False)
        for i in range(2)
    ]
    data = dict(images=coco_images(names), annotations=anns,
                categories=[dict(id=1, name='person')])
    return dict(data=data,
                train=_dump(root / 'annotations' / 'aic_train.json', data),
                val=_dump(root / 'annotations' / 'aic_val.json', data))


def relocate(node, old_root: str, new_root: str):
    """Copy of a config node with every string starting with ``old_root``
    (a config's data_root) re-rooted at ``new_root``."""
    if isinstance(node, dict):
        return {k: relocate(v, old_root, new_root) for k, v in node.items()}
    if isinstance(node, (list, tuple)):
        return type(node)(relocate(v, old_root, new_root) for v in node)
    if isinstance(node, str) and node.startswith(old_root):
        return new_root + node[len(old_root):]
    return node


def shrink_input(node, size):
    """Copy of a config node at input size ``size`` (w, h): every
    ``input_size``, the RTMCC head's feature map size, heatmap sizes (1/4)
    and the ViT's ``img_size`` (h, w). Keeps CPU test steps cheap."""
    w, h = size
    if isinstance(node, (list, tuple)):
        return type(node)(shrink_input(v, size) for v in node)
    if not isinstance(node, dict):
        return node
    node = {k: shrink_input(v, size) for k, v in node.items()}
    if 'input_size' in node:
        node['input_size'] = (w, h)
    if 'in_featuremap_size' in node:
        node['in_featuremap_size'] = (-(-w // 32), -(-h // 32))
    if 'heatmap_size' in node:
        node['heatmap_size'] = (w // 4, h // 4)
    if node.get('type') == 'VisionTransformer':
        node['img_size'] = (h, w)
    return node


# ---------------------------------------------------------------- COCO --
def write_coco(root: Path) -> dict:
    """person_keypoints_{train,val}2017.json, train2017/ and val2017/
    images, and the val person detection file."""
    names = ['000000000139.jpg', '000000000785.jpg']
    for split in ('train2017', 'val2017'):
        write_images(root / split, names, seed=7)
    anns = [
        coco_annotation(i + 1, i + 1, person_keypoints(17, 20, 10, seed=i),
                        [2] * 17, [15, 5, 40, 50]) for i in range(2)
    ]
    data = dict(images=coco_images(names), annotations=anns,
                categories=[dict(id=1, name='person')])
    dets = [dict(image_id=i + 1, category_id=1, bbox=[15, 5, 40, 50],
                 score=0.9) for i in range(2)]
    return dict(
        data=data,
        train=_dump(root / 'annotations' / 'person_keypoints_train2017.json',
                    data),
        val=_dump(root / 'annotations' / 'person_keypoints_val2017.json',
                  data),
        dets=_dump(root / 'person_detection_results' /
                   'COCO_val2017_detections_AP_H_56_person.json', dets))
