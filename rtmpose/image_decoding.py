"""Decode image files with errors that name the path: empty files, files
that do not decode and JPEG files cut short (which OpenCV would decode into
a partly grey image with only a console warning). numpy and OpenCV only."""
import os.path as osp

import cv2
import numpy as np

_JPEG_SOI, _JPEG_SOS, _JPEG_EOI = b'\xff\xd8', b'\xff\xda', b'\xff\xd9'


def decode_image(content: bytes, path: str) -> np.ndarray:
    """The bytes of an image file (``path`` names it in errors) -> (H, W, 3)
    uint8 BGR, EXIF orientation applied."""
    if not content:
        raise ValueError(f'image file is empty (0 bytes): {path}')
    if content.startswith(_JPEG_SOI) and not _jpeg_complete(content):
        raise ValueError(f'JPEG file is truncated (no end-of-image marker '
                         f'after the last scan): {path}')
    img = cv2.imdecode(np.frombuffer(content, np.uint8), cv2.IMREAD_COLOR)
    if img is None:
        raise ValueError(f'cannot decode image (corrupt or not an image): '
                         f'{path}')
    return img


def read_image(path: str) -> np.ndarray:
    """A local image file -> (H, W, 3) uint8 BGR (see :func:`decode_image`)."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'image file not found: {path}')
    try:
        with open(path, 'rb') as f:
            content = f.read()
    except OSError as e:
        raise OSError(e.errno, f'cannot read image {path}: '
                      f'{e.strerror or e}') from e
    return decode_image(content, path)


def _jpeg_complete(content: bytes) -> bool:
    """An end-of-image marker follows the last start-of-scan marker (data
    after it, as some cameras append, is fine). Entropy-coded data cannot
    hold either marker (0xFF bytes in it are followed by 0x00)."""
    return content.rfind(_JPEG_EOI) > content.rfind(_JPEG_SOS) > 0
