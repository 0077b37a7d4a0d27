"""What the guides' worked examples (docs/add_*.md) share: a small
5-keypoint COCO-format data set and the round trip through the normal tools
(train, test, export, the ONNX runtime against eager PyTorch)."""
import json
import os.path as osp
from pathlib import Path

import cv2
import numpy as np

KEYPOINTS = ['head', 'left_hand', 'right_hand', 'left_foot', 'right_foot']
SKELETON = [[1, 2], [1, 3], [1, 4], [1, 5]]  # 1-based, as in COCO
CONFIGS = Path(__file__).resolve().parent / 'configs'
IMAGE_SIZE = 96  # square images, pixels


def _figure(rng: np.random.Generator) -> np.ndarray:
    """(5, 2) keypoints of a star-shaped figure inside the image."""
    centre = rng.uniform(40, 56, 2)
    offsets = np.array([[0, -25], [-20, -5], [20, -5], [-12, 25], [12, 25]])
    return centre + offsets * rng.uniform(0.8, 1.2)


def write_dataset(root: Path, num_train: int = 4, num_val: int = 2) -> None:
    """``root/images/*.png`` (one figure each: 5 coloured dots joined by
    lines) and ``root/annotations/{train,val}.json`` with one 5-keypoint
    'figure' per image."""
    rng = np.random.default_rng(0)
    (root / 'images').mkdir(parents=True)
    (root / 'annotations').mkdir()
    for split, first, count in (('train', 1, num_train),
                                ('val', num_train + 1, num_val)):
        images, anns = [], []
        for img_id in range(first, first + count):
            kpts = _figure(rng)
            img = np.full((IMAGE_SIZE, IMAGE_SIZE, 3), 30, np.uint8)
            for a, b in SKELETON:
                cv2.line(img, tuple(int(v) for v in kpts[a - 1]),
                         tuple(int(v) for v in kpts[b - 1]), (200, 200, 200))
            for k, (x, y) in enumerate(kpts):
                cv2.circle(img, (int(x), int(y)), 3,
                           (50 * k, 255 - 40 * k, 120), -1)
            name = f'{img_id:04d}.png'
            cv2.imwrite(str(root / 'images' / name), img)
            lo, hi = kpts.min(0) - 6, kpts.max(0) + 6
            images.append(dict(id=img_id, file_name=name, width=IMAGE_SIZE,
                               height=IMAGE_SIZE))
            anns.append(dict(
                id=img_id, image_id=img_id, category_id=1, iscrowd=0,
                bbox=[*lo.tolist(), *(hi - lo).tolist()],
                area=float(np.prod(hi - lo)), num_keypoints=5,
                keypoints=np.concatenate([kpts, np.full((5, 1), 2)],
                                         1).ravel().tolist()))
        (root / 'annotations' / f'{split}.json').write_text(json.dumps(dict(
            images=images, annotations=anns,
            categories=[dict(id=1, name='figure', keypoints=KEYPOINTS,
                             skeleton=SKELETON)])))


def train_test_export(config: str, tmp_path: Path) -> dict:
    """Write the data set into ``tmp_path/data/five_points`` (the configs'
    data_root, relative to the working directory, which the caller sets to
    ``tmp_path``), train one epoch with ``rtmpose train``, test the
    checkpoint with ``rtmpose test`` and export it with ``rtmpose
    export``; then compare onnxruntime's keypoints on a val image with
    eager PyTorch's. Returns the test metrics and what was compared."""
    from rtmpose.apis import init_model
    from rtmpose.apis.pose_backend import TorchPoseBackend
    from rtmpose.cli.export import main as export
    from rtmpose.engine.launch import run_test, run_train
    from rtmpose.runtime import OnnxPoseEstimator

    write_dataset(tmp_path / 'data' / 'five_points')
    config = str(CONFIGS / config)
    work_dir = str(tmp_path / 'work')
    run_train([config, '--work-dir', work_dir, '--threads', '1'])
    checkpoint = osp.join(work_dir, 'epoch_1.pth')
    metrics = run_test([config, checkpoint, '--work-dir', work_dir,
                        '--threads', '1'])
    onnx_file = str(tmp_path / 'model.onnx')
    export([config, checkpoint, '--output', onnx_file])

    img = cv2.imread(str(tmp_path / 'data/five_points/images/0005.png'))
    box = np.array([[10., 10., 86., 86.]], np.float32)
    onnx_model = OnnxPoseEstimator(onnx_file)
    torch_model = TorchPoseBackend(init_model(config, checkpoint))
    results = {}
    for name, backend in (('onnx', onnx_model), ('torch', torch_model)):
        crops, crop_info = backend.preprocess(img, box)
        results[name] = backend.postprocess(backend.forward(crops), crop_info)
    return dict(metrics=metrics, meta=onnx_model.meta, **results)
