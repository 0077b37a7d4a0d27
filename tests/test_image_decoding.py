"""rtmpose.image_decoding: errors name the path; truncated JPEGs refused."""
import cv2
import numpy as np
import pytest

from rtmpose.apis.frame_source import FrameSource
from rtmpose.image_decoding import read_image


def test_read_image_errors_name_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.png'):
        read_image(str(tmp_path / 'nope.png'))
    corrupt = tmp_path / 'corrupt.png'
    corrupt.write_bytes(b'\x89PNG not really')
    with pytest.raises(ValueError, match=r'cannot decode .*corrupt.png'):
        read_image(str(corrupt))
    img = np.random.default_rng(0).integers(0, 255, (20, 30, 3), np.uint8)
    data = cv2.imencode('.jpg', img)[1].tobytes()
    cut = tmp_path / 'cut.jpg'
    cut.write_bytes(data[:len(data) // 2])
    with pytest.raises(ValueError, match=r'truncated.*cut.jpg'):
        read_image(str(cut))
    # a folder of images stops at the bad file, naming it
    with pytest.raises(ValueError, match='cut.jpg'):
        list(FrameSource(str(cut)))
