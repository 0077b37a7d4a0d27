"""Loading: image decoding (the first step of every pipeline) and
detection annotations."""
from typing import Optional

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmengine import fileio

from rtmpose.registry import TRANSFORMS


@TRANSFORMS.register_module()
class LoadImage(BaseTransform):
    """Decode ``results['img_path']`` into ``img`` (H, W, 3) uint8 BGR.

    An ``img`` array already in ``results`` (e.g. for inference on arrays) is
    kept as is. Sets ``img_shape`` and ``ori_shape`` to (h, w).

    Args:
        to_float32: convert the image to float32 (values stay in [0, 255]).
        imdecode_backend: only ``'cv2'`` (EXIF orientation applied).
        backend_args: mmengine file backend arguments, e.g.
            ``dict(backend='local')``; None reads local files.
    """

    def __init__(self,
                 to_float32: bool = False,
                 imdecode_backend: str = 'cv2',
                 backend_args: Optional[dict] = None):
        if imdecode_backend != 'cv2':
            raise ValueError("LoadImage supports imdecode_backend='cv2' only, "
                             f'got {imdecode_backend!r}')
        self.to_float32 = to_float32
        self.imdecode_backend = imdecode_backend
        self.backend_args = backend_args.copy() if backend_args else None

    def transform(self, results: dict) -> dict:
        img = results.get('img')
        if img is None:
            if 'img_path' not in results:
                raise KeyError("LoadImage needs 'img_path' or 'img' in the "
                               f'results, got keys {sorted(results)}')
            img = self._read(results['img_path'])
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
        img = cv2.imdecode(
            np.frombuffer(content, np.uint8), cv2.IMREAD_COLOR)
        if img is None:
            raise ValueError(f'cannot decode image (corrupt or not an '
                             f'image): {path}')
        return img

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(to_float32={self.to_float32}, '
                f'imdecode_backend={self.imdecode_backend!r}, '
                f'backend_args={self.backend_args})')


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
