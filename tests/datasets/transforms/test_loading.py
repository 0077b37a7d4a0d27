import cv2
import numpy as np
import pytest

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
