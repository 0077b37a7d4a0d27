"""Person detectors for top-down inference.

A detector is a callable ``detector(img, frame_id, name) -> (bboxes, scores)``
with ``img`` (H, W, 3) uint8 BGR, ``frame_id`` the frame index (0-based) and
``name`` the image file name (or None); it returns person boxes (N, 4) xyxy
float32 image pixels and scores (N,) float32.
"""
import json
import os
import os.path as osp
import re
from typing import Dict, Optional, Tuple, Union

import numpy as np

from rtmpose import model_index
from rtmpose.runtime.session import is_export

# torchvision builder name -> weights enum name in torchvision.models.detection
TORCHVISION_DETECTORS = {
    'fasterrcnn_resnet50_fpn_v2': 'FasterRCNN_ResNet50_FPN_V2_Weights',
    'ssdlite320_mobilenet_v3_large': 'SSDLite320_MobileNet_V3_Large_Weights',
}
# person is label 1 in torchvision's COCO category list (0 = background)
_TORCHVISION_PERSON = 1

Detections = Tuple[np.ndarray, np.ndarray]


def _empty() -> Detections:
    return np.zeros((0, 4), np.float32), np.zeros(0, np.float32)


class WholeImageDetector:
    """The whole image as one person box with score 1 (images that are
    already person crops)."""

    def __call__(self,
                 img: np.ndarray,
                 frame_id: int = 0,
                 name: Optional[str] = None) -> Detections:
        h, w = img.shape[:2]
        return (np.array([[0, 0, w, h]], np.float32), np.ones(1, np.float32))


class CocoJsonDetector:
    """Precomputed person boxes from a COCO-format JSON file.

    Accepts a detection results list (``[{image_id, category_id, bbox (x, y,
    w, h), score}, ...]``, as COCO's ``loadRes`` reads) or a full COCO dict
    with ``images`` and ``annotations`` (score 1 unless given). Frames are
    looked up by ``name`` (basename, through ``images[].file_name``, or for a
    results list the digits of the file stem, as in COCO's
    ``000000397133.jpg`` -> 397133); frames without a name (video, arrays)
    and names without digits use ``frame_id`` as ``image_id``.

    Args:
        json_file: path of the JSON file.
        score_thr: boxes scored below it are dropped.
        category_id: category of the person class.
    """

    def __init__(self,
                 json_file: str,
                 score_thr: float = 0.0,
                 category_id: int = 1):
        if not osp.isfile(json_file):
            raise FileNotFoundError(f'detection file {json_file} not found')
        with open(json_file) as f:
            data = json.load(f)
        if isinstance(data, dict):
            if 'annotations' not in data:
                raise KeyError(f'{json_file}: a COCO dict needs '
                               '"annotations" (or give a results list)')
            dets = data['annotations']
            self.name_to_id = {
                osp.basename(img['file_name']): img['id']
                for img in data.get('images', [])
            }
        elif isinstance(data, list):
            dets, self.name_to_id = data, {}
        else:
            raise TypeError(f'{json_file}: expected a list of detections or '
                            f'a COCO dict, got {type(data).__name__}')
        self.json_file = json_file
        boxes: Dict[int, list] = {}
        for i, det in enumerate(dets):
            for key in ('image_id', 'bbox'):
                if key not in det:
                    raise KeyError(f'{json_file}: detection {i} lacks {key!r}')
            if det.get('category_id', category_id) != category_id:
                continue
            score = float(det.get('score', 1.0))
            if score < score_thr:
                continue
            x, y, w, h = det['bbox']
            boxes.setdefault(det['image_id'],
                             []).append([x, y, x + w, y + h, score])
        self.boxes = {
            k: np.asarray(v, np.float32).reshape(-1, 5)
            for k, v in boxes.items()
        }

    def image_id(self, frame_id: int, name: Optional[str]) -> Optional[int]:
        """The image id of a frame (see the class docstring); None for a
        file name the JSON does not list."""
        if name is None:
            return frame_id
        base = osp.basename(name)
        if self.name_to_id:
            return self.name_to_id.get(base)
        digits = re.fullmatch(r'\D*(\d+)', osp.splitext(base)[0])
        return int(digits.group(1)) if digits else frame_id

    def __call__(self,
                 img: np.ndarray,
                 frame_id: int = 0,
                 name: Optional[str] = None) -> Detections:
        found = self.boxes.get(self.image_id(frame_id, name))
        if found is None:
            return _empty()
        return found[:, :4].copy(), found[:, 4].copy()


def _import_torchvision():
    """torchvision, or a clear error: it is optional, and a torchvision
    build that does not match torch raises RuntimeError on import."""
    try:
        import torchvision
    except (ImportError, RuntimeError) as err:
        import torch
        raise RuntimeError(
            'torchvision detectors need a torchvision build matching torch '
            f'{torch.__version__} (e.g. `pip install rtmpose[detectors]` or '
            "the torchvision wheel of your torch's index); `import "
            f'torchvision` failed with: {type(err).__name__}: {err}. Use '
            '--det-json or whole-image boxes instead.') from err
    return torchvision


class TorchvisionDetector:
    """A COCO-trained torchvision detector keeping the person class.

    Weights never download: they come from ``weights`` (a local state_dict
    file) or torchvision's own cache under ``torch.hub.get_dir()``
    (``checkpoints/<file name of the weights' URL>``).

    Args:
        name: ``'fasterrcnn_resnet50_fpn_v2'`` or
            ``'ssdlite320_mobilenet_v3_large'``.
        weights: path of the weights file; ``None`` looks in the cache.
        device: torch device.
        score_thr: boxes scored below it are dropped.
    """

    def __init__(self,
                 name: str = 'fasterrcnn_resnet50_fpn_v2',
                 weights: Optional[str] = None,
                 device: str = 'cpu',
                 score_thr: float = 0.5):
        if name not in TORCHVISION_DETECTORS:
            raise ValueError(f'unknown torchvision detector {name!r}; '
                             f'choose from {sorted(TORCHVISION_DETECTORS)}')
        torchvision = _import_torchvision()
        import torch

        detection = torchvision.models.detection
        if weights is None:
            enum = getattr(detection, TORCHVISION_DETECTORS[name]).DEFAULT
            weights = osp.join(torch.hub.get_dir(), 'checkpoints',
                               osp.basename(enum.url))
        if not osp.isfile(weights):
            raise FileNotFoundError(
                f'weights of {name} not found at {weights}; download them '
                'once (torchvision weights URL) to that path or pass '
                '--det-weights FILE (rtmpose never downloads them)')
        self.model = getattr(detection, name)(weights=None,
                                              weights_backbone=None)
        from rtmpose.checkpoint import load_weights
        load_weights(self.model, weights)
        self.model.to(device).eval()
        self.device = device
        self.score_thr = score_thr

    def __call__(self,
                 img: np.ndarray,
                 frame_id: int = 0,
                 name: Optional[str] = None) -> Detections:
        import torch

        rgb = np.ascontiguousarray(img[..., ::-1])
        x = torch.from_numpy(rgb).permute(2, 0, 1).float().div_(255)
        with torch.inference_mode():
            out = self.model([x.to(self.device)])[0]
        keep = (out['labels'] == _TORCHVISION_PERSON) & (out['scores']
                                                         >= self.score_thr)
        return (out['boxes'][keep].cpu().numpy().astype(np.float32),
                out['scores'][keep].cpu().numpy().astype(np.float32))


class RTMDetDetector:
    """This toolbox's own detector (e.g. RTMDet-nano person, from
    ``configs/rtmdet/person/``) built by :func:`init_model`.

    Per image: the config's test pipeline (keep-ratio resize, pad with 114),
    the network and its post-processing (score threshold 0.05, NMS, at most
    100 boxes), then boxes scored below ``score_thr`` are dropped. Boxes of
    every class are returned (the person models have one).

    Args:
        config: detector config path (or ``Config``).
        checkpoint: weights; None keeps random weights (tests only).
        device: torch device.
        score_thr: boxes scored below it are dropped.
    """

    def __init__(self,
                 config,
                 checkpoint: Optional[str] = None,
                 device: str = 'cpu',
                 score_thr: float = 0.5):
        from .det_inference import inference_detector
        from .inference import init_model
        self.model = init_model(config, checkpoint, device)
        if not hasattr(self.model, 'bbox_head'):
            raise TypeError(f'{config} does not build a detector (got '
                            f'{type(self.model).__name__})')
        self._infer = inference_detector
        self.score_thr = score_thr

    def __call__(self,
                 img: np.ndarray,
                 frame_id: int = 0,
                 name: Optional[str] = None) -> Detections:
        bboxes, scores = self._infer(self.model, img)
        keep = scores >= self.score_thr
        return bboxes[keep], scores[keep]


def build_detector(detector: Union[None, str, tuple, object] = None,
                   weights: Optional[str] = None,
                   device: str = 'cpu',
                   score_thr: float = 0.5):
    """A detector from a spec: ``None`` / ``'whole_image'`` (the whole image),
    a ``.json`` path (:class:`CocoJsonDetector`), a detector name of
    :mod:`rtmpose.model_index` (``'rtmdet-nano'``: published weights unless
    ``weights`` names others), a detector config
    ``.py`` path or ``(config, checkpoint)`` (:class:`RTMDetDetector`;
    ``weights`` is the checkpoint of a bare config path), an exported
    detector (``.onnx`` or mmdeploy SDK directory:
    ``rtmpose.runtime.OnnxDetector`` on onnxruntime ``device``), a torchvision
    model name (:class:`TorchvisionDetector`) or a callable (used as is; its
    boxes are not filtered here). ``score_thr`` applies to every other
    source (the whole-image box scores 1)."""
    if detector is None or detector == 'whole_image':
        return WholeImageDetector()
    if isinstance(detector, tuple):
        if len(detector) != 2:
            raise ValueError('a detector tuple is (config, checkpoint), got '
                             f'{detector!r}')
        return RTMDetDetector(detector[0], detector[1], device, score_thr)
    if isinstance(detector, (str, os.PathLike)):
        detector = str(detector)
        if detector.endswith('.json'):
            return CocoJsonDetector(detector, score_thr=score_thr)
        if detector.endswith('.py') or detector in model_index.MODELS:
            return RTMDetDetector(detector, weights, device, score_thr)
        if is_export(detector):
            from rtmpose.runtime import OnnxDetector
            return OnnxDetector(detector, score_thr, device=device)
        if detector in TORCHVISION_DETECTORS:
            return TorchvisionDetector(detector, weights, device, score_thr)
        raise ValueError(
            f'unknown detector {detector!r}: expected "whole_image", a .json '
            'detection file, a detector name (rtmdet-nano, rtmdet-m), a '
            'detector config .py (or (config, checkpoint)), an exported '
            'detector (.onnx or mmdeploy directory) or one of '
            f'{sorted(TORCHVISION_DETECTORS)}')
    if not callable(detector):
        raise TypeError(f'detector must be a spec string or a callable, got '
                        f'{type(detector).__name__}')
    return detector
