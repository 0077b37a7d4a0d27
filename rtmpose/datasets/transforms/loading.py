"""Loading: image decoding (the first step of every pipeline) and
detection annotations."""
import logging
from typing import Optional, Set

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmengine import fileio
from mmengine.logging import print_log

from rtmpose.image_decoding import decode_image
from rtmpose.registry import TRANSFORMS

_SIZE_MISMATCH = ('error', 'warn')


@TRANSFORMS.register_module()
class LoadImage(BaseTransform):
    """Decode ``results['img_path']`` into ``img`` (H, W, 3) uint8 BGR.

    An ``img`` array already in ``results`` (e.g. for inference on arrays) is
    kept as is. Sets ``img_shape`` and ``ori_shape`` to (h, w).

    Empty files, files that do not decode and JPEG files cut short are
    errors naming the path (:func:`rtmpose.image_decoding.decode_image`).
    When the sample carries the annotation file's image size
    (``ann_img_shape`` (h, w), set by the COCO-style datasets), a decoded
    image of another size is an error (``size_mismatch='error'``) or a
    warning once per file (``'warn'``): the boxes and keypoints would be in
    another image's coordinates.

    Args:
        to_float32: convert the image to float32 (values stay in [0, 255]).
        imdecode_backend: only ``'cv2'`` (EXIF orientation applied).
        backend_args: mmengine file backend arguments, e.g.
            ``dict(backend='local')``; None reads local files.
        size_mismatch: ``'error'`` or ``'warn'``.
    """

    def __init__(self,
                 to_float32: bool = False,
                 imdecode_backend: str = 'cv2',
                 backend_args: Optional[dict] = None,
                 size_mismatch: str = 'error'):
        if imdecode_backend != 'cv2':
            raise ValueError("LoadImage supports imdecode_backend='cv2' only, "
                             f'got {imdecode_backend!r}')
        if size_mismatch not in _SIZE_MISMATCH:
            raise ValueError(f'LoadImage: size_mismatch must be one of '
                             f'{_SIZE_MISMATCH}, got {size_mismatch!r}')
        self.to_float32 = to_float32
        self.imdecode_backend = imdecode_backend
        self.backend_args = backend_args.copy() if backend_args else None
        self.size_mismatch = size_mismatch
        self._warned: Set[str] = set()

    def transform(self, results: dict) -> dict:
        img = results.get('img')
        if img is None:
            if 'img_path' not in results:
                raise KeyError("LoadImage needs 'img_path' or 'img' in the "
                               f'results, got keys {sorted(results)}')
            img = self._read(results['img_path'])
            self._check_size(img, results)
        elif img.ndim == 2:
            img = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
        if self.to_float32:
            img = img.astype(np.float32)
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results['ori_shape'] = img.shape[:2]
        return results

    def _read(self, path: str) -> np.ndarray:
        try:
            content = fileio.get(path, backend_args=self.backend_args)
        except FileNotFoundError as e:
            raise FileNotFoundError(f'image file not found: {path}') from e
        except OSError as e:
            raise OSError(e.errno, f'cannot read image {path}: '
                          f'{e.strerror or e}') from e
        return decode_image(content, path)

    def _check_size(self, img: np.ndarray, results: dict) -> None:
        expected = results.get('ann_img_shape')
        if expected is None or tuple(expected) == img.shape[:2]:
            return
        path = results['img_path']
        h, w = expected
        message = (f'{path} decodes to {img.shape[1]}x{img.shape[0]} '
                   f'(width x height) but the annotation file says {w}x{h}')
        if (w, h) == img.shape[:2]:
            message += ' (swapped: an EXIF rotation?)'
        if self.size_mismatch == 'error':
            raise ValueError(message + "; fix the annotations or set "
                             "size_mismatch='warn' in LoadImage")
        if path not in self._warned:
            self._warned.add(path)
            print_log(message, logger='current', level=logging.WARNING)

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(to_float32={self.to_float32}, '
                f'imdecode_backend={self.imdecode_backend!r}, '
                f'backend_args={self.backend_args}, '
                f'size_mismatch={self.size_mismatch!r})')


@TRANSFORMS.register_module()
class LoadAnnotations(BaseTransform):
    """Detection targets from ``results['instances']`` (a list of dicts with
    ``bbox`` xyxy pixels, ``bbox_label`` and ``ignore_flag``, as
    ``CocoDetDataset`` parses them) into arrays:

    - ``gt_bboxes`` (N, 4) float32 xyxy pixels,
    - ``gt_bboxes_labels`` (N,) int64,
    - ``gt_ignore_flags`` (N,) bool (COCO crowd boxes: no training target).

    Args:
        with_bbox: load ``gt_bboxes`` and ``gt_ignore_flags``.
        with_label: load ``gt_bboxes_labels``.
    """

    def __init__(self, with_bbox: bool = True, with_label: bool = True):
        self.with_bbox = with_bbox
        self.with_label = with_label

    def transform(self, results: dict) -> dict:
        instances = results.get('instances')
        if instances is None:
            raise KeyError("LoadAnnotations needs 'instances' in the results "
                           '(a detection dataset), got keys '
                           f'{sorted(results)}')
        if self.with_bbox:
            results['gt_bboxes'] = np.array(
                [inst['bbox'] for inst in instances],
                dtype=np.float32).reshape(-1, 4)
            results['gt_ignore_flags'] = np.array(
                [bool(inst.get('ignore_flag', 0)) for inst in instances],
                dtype=bool)
        if self.with_label:
            results['gt_bboxes_labels'] = np.array(
                [inst['bbox_label'] for inst in instances], dtype=np.int64)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(with_bbox={self.with_bbox}, '
                f'with_label={self.with_label})')
