import logging

import cv2
import numpy as np
import pytest
from mmengine.logging import MMLogger

from rtmpose.datasets.transforms import LoadImage


def test_load_png_exact(tmp_path):
    img = np.random.default_rng(0).integers(0, 256, (30, 40, 3), np.uint8)
    path = str(tmp_path / 'a.png')
    cv2.imwrite(path, img)
    out = LoadImage()(dict(img_path=path))
    np.testing.assert_array_equal(out['img'], img)
    assert out['img_shape'] == (30, 40) and out['ori_shape'] == (30, 40)
    out = LoadImage(to_float32=True)(dict(img_path=path))
    assert out['img'].dtype == np.float32 and out['img'].max() > 1


def test_load_jpeg_local_backend(tmp_path):
    path = str(tmp_path / 'b.jpg')
    cv2.imwrite(path, np.full((48, 64, 3), 128, np.uint8))
    out = LoadImage(backend_args=dict(backend='local'))(dict(img_path=path))
    assert out['img'].shape == (48, 64, 3) and out['img'].dtype == np.uint8
    assert abs(int(out['img'].mean()) - 128) <= 1


def test_missing_file_names_path(tmp_path):
    path = str(tmp_path / 'missing.jpg')
    with pytest.raises(FileNotFoundError, match='missing.jpg'):
        LoadImage()(dict(img_path=path))


def test_corrupt_file_names_path(tmp_path):
    path = tmp_path / 'corrupt.jpg'
    path.write_bytes(b'\xff\xd8 this is not a jpeg')
    with pytest.raises(ValueError, match='corrupt.jpg'):
        LoadImage()(dict(img_path=str(path)))


def test_existing_img_kept():
    img = np.zeros((10, 20, 3), np.uint8)
    out = LoadImage()(dict(img=img, img_path=None))
    assert out['img'] is img and out['img_shape'] == (10, 20)
    gray = LoadImage()(dict(img=np.zeros((10, 20), np.uint8)))
    assert gray['img'].shape == (10, 20, 3)
    with pytest.raises(ValueError, match='cv2'):
        LoadImage(imdecode_backend='pillow')


def _jpeg(shape=(48, 64)):
    img = np.random.default_rng(1).integers(0, 256, shape + (3, ), np.uint8)
    return cv2.imencode('.jpg', img)[1].tobytes()


def test_empty_file_names_path(tmp_path):
    path = tmp_path / 'empty.jpg'
    path.write_bytes(b'')
    with pytest.raises(ValueError, match=r'empty \(0 bytes\): .*empty.jpg'):
        LoadImage()(dict(img_path=str(path)))


def test_truncated_jpeg_is_refused(tmp_path):
    data = _jpeg()
    cut = data[:len(data) * 2 // 3]
    # OpenCV alone decodes it (partly grey) without an error
    assert cv2.imdecode(np.frombuffer(cut, np.uint8), 1).shape == (48, 64, 3)
    path = tmp_path / 'cut.jpg'
    path.write_bytes(cut)
    with pytest.raises(ValueError, match=r'truncated.*cut.jpg'):
        LoadImage()(dict(img_path=str(path)))
    # data appended after the end-of-image marker is fine
    path.write_bytes(data + b'camera trailer')
    assert LoadImage()(dict(img_path=str(path)))['img'].shape == (48, 64, 3)


def test_size_disagreeing_with_annotation(tmp_path):
    path = tmp_path / 'a.jpg'
    path.write_bytes(_jpeg((48, 64)))
    results = dict(img_path=str(path), ann_img_shape=(48, 64))
    assert LoadImage()(dict(results))['img'].shape == (48, 64, 3)
    with pytest.raises(ValueError, match=r'a.jpg decodes to 64x48 .*says '
                       r'48x64 \(swapped: an EXIF rotation\?\)'):
        LoadImage()(dict(results, ann_img_shape=(64, 48)))
    warned = []

    class Collect(logging.Handler):

        def emit(self, record):
            warned.append(record.getMessage())

    handler = Collect(level=logging.WARNING)
    MMLogger.get_current_instance().addHandler(handler)
    try:
        load = LoadImage(size_mismatch='warn')
        for _ in range(3):
            out = load(dict(results, ann_img_shape=(50, 60)))
    finally:
        MMLogger.get_current_instance().removeHandler(handler)
    assert out['img'].shape == (48, 64, 3)
    assert len([w for w in warned if 'says 60x50' in w]) == 1
    with pytest.raises(ValueError, match='size_mismatch'):
        LoadImage(size_mismatch='ignore')
