"""High-level top-down pose inference on images, folders, videos and webcams.

Per frame: person boxes (the detector every ``det_interval`` frames of a
video, in between boxes around the previous poses), affine crops, the pose
network, decoding, OKS pose NMS, track ids and optional One-Euro smoothing.
"""
import os
import time
import warnings
from dataclasses import dataclass, field
from typing import Iterator, Optional, Tuple, Union

import numpy as np
from torch import nn

from rtmpose import model_index
from rtmpose.evaluation.functional.nms import oks_nms
from rtmpose.runtime.session import is_export
from rtmpose.structures.bbox import DEFAULT_BBOX_PADDING
from rtmpose.visualization import draw_poses
from .detectors import build_detector
from .frame_source import Frame, FrameSource
from .inference import init_model
from .input_checks import check_image, usable_boxes
from .one_euro import OneEuroFilter
from .pose_backend import TorchPoseBackend
from .tracking import PoseTracker

# timed stages: boxes (detector or propagation), affine crops, network,
# decoding to image pixels, pose NMS + track ids, One-Euro smoothing
STAGES = ('detect', 'crop', 'pose', 'decode', 'track', 'smooth')


@dataclass
class PoseResult:
    """Poses of one frame, N people, K keypoints.

    Attributes:
        frame_index: 0-based index of the frame in its source.
        name: image file name (None for video frames and arrays).
        bboxes: (N, 4) float32 xyxy image pixels, the boxes the poses were
            estimated in (detections, or boxes around the previous poses).
        bbox_scores: (N,) float32.
        keypoints: (N, K, 2) float32 image pixels (smoothed if enabled).
        keypoint_scores: (N, K) float32.
        track_ids: (N,) int64.
        detected: whether the detector ran on this frame.
        image: the (H, W, 3) uint8 BGR frame, for :meth:`plot` (a
            reference: keeping the results of a long video keeps its frames).
        dataset_meta: the model's keypoint names, skeleton and colours.
    """
    frame_index: int
    name: Optional[str]
    bboxes: np.ndarray
    bbox_scores: np.ndarray
    keypoints: np.ndarray
    keypoint_scores: np.ndarray
    track_ids: np.ndarray
    detected: bool
    image: Optional[np.ndarray] = field(default=None, repr=False)
    dataset_meta: Optional[dict] = field(default=None, repr=False)

    def plot(self, kpt_thr: float = 0.3, boxes: bool = True) -> np.ndarray:
        """The frame with the skeletons (keypoints scored above
        ``kpt_thr``) and, if ``boxes``, the person boxes drawn: (H, W, 3)
        uint8 BGR, e.g. for ``cv2.imwrite``."""
        if self.image is None or self.dataset_meta is None:
            raise ValueError('this result holds no frame to draw on (made '
                             'outside PoseInferencer)')
        return draw_poses(self.image, self.keypoints, self.keypoint_scores,
                          self.dataset_meta, kpt_thr,
                          bboxes=self.bboxes if boxes else None)

    def to_dict(self) -> dict:
        """JSON-serialisable: frame fields and one dict per instance."""
        return dict(
            frame_index=self.frame_index,
            name=self.name,
            detected=self.detected,
            instances=[
                dict(track_id=int(self.track_ids[i]),
                     bbox=self.bboxes[i].round(2).tolist(),
                     bbox_score=round(float(self.bbox_scores[i]), 4),
                     keypoints=self.keypoints[i].round(2).tolist(),
                     keypoint_scores=self.keypoint_scores[i].round(4).tolist())
                for i in range(len(self.bboxes))
            ])

    def to_coco(self, image_id: int, category_id: int = 1) -> list:
        """COCO keypoint results entries, one per person: ``keypoints``
        ``[x, y, score] * K`` image pixels, ``score`` box score x mean
        keypoint score."""
        return [
            dict(image_id=image_id,
                 category_id=category_id,
                 keypoints=np.concatenate(
                     [kpts, scores[:, None]], 1).round(4).reshape(-1).tolist(),
                 score=round(float(box_score * scores.mean()), 6))
            for kpts, scores, box_score in zip(
                self.keypoints, self.keypoint_scores, self.bbox_scores)
        ]


def bboxes_from_keypoints(keypoints: np.ndarray, scores: np.ndarray,
                          fallback: np.ndarray, thr: float,
                          padding: float) -> np.ndarray:
    """Boxes (N, 4) xyxy around each pose's keypoints scored above ``thr``,
    (w, h) enlarged by ``padding`` about the center; ``fallback`` (N, 4) rows
    where fewer than 2 keypoints qualify or the extent is under a pixel."""
    out = np.array(fallback, dtype=np.float32, copy=True).reshape(-1, 4)
    for i, (kpts, kpt_scores) in enumerate(zip(keypoints, scores)):
        valid = kpts[kpt_scores > thr]
        if len(valid) < 2:
            continue
        lo, hi = valid.min(0), valid.max(0)
        if (hi - lo).max() < 1:
            continue
        center, half = (lo + hi) / 2, (hi - lo) * padding / 2
        out[i] = np.concatenate([center - half, center + half])
    return out


def _build_backend(model, device: str, num_threads: Optional[int]):
    """The pose backend of a :class:`PoseInferencer` ``model`` argument."""
    if all(
            hasattr(model, a)
            for a in ('preprocess', 'forward', 'postprocess', 'dataset_meta')):
        return model
    if isinstance(model, (str, os.PathLike)) and is_export(model):
        from rtmpose.runtime import OnnxPoseEstimator
        return OnnxPoseEstimator(str(model), num_threads, device)
    if isinstance(model, str):
        model = init_model(model, None, device=device)
    elif isinstance(model, (tuple, list)) and len(model) == 2:
        model = init_model(model[0], model[1], device=device)
    if not isinstance(model, nn.Module):
        raise TypeError(
            'model must be a config path, (config, checkpoint), a model from '
            'init_model, an .onnx file or a pose backend; got '
            f'{type(model).__name__}')
    return TorchPoseBackend(model)


class PoseInferencer:
    """Top-down poses of every person in images, folders, videos, webcams.

    ``inferencer(source)`` yields one :class:`PoseResult` per frame,
    ``inferencer.iter_frames(source)`` (frame, result) pairs.
    ``timings`` sums seconds per stage (``STAGES``) over processed frames,
    ``num_frames`` and ``detector_calls`` count them.

    Args:
        model: a solution name (``'body'``: its pose model and, unless
            ``detector`` is given, its detector), a model name
            (``'rtmpose-m'``, published weights; see
            :mod:`rtmpose.model_index`), a config path (random weights),
            ``(config, checkpoint)``, a model from :func:`init_model`, an
            export (``.onnx`` file or mmdeploy SDK directory) or any pose
            backend (see :mod:`rtmpose.apis.pose_backend`).
        device: torch device of a config-built model; for exports the
            onnxruntime device ('cpu', 'cuda[:N]', 'openvino', 'coreml',
            ...; see :func:`rtmpose.runtime.providers_for`).
        detector: ``None`` / ``'whole_image'``, a COCO detection ``.json``,
            a detector name (``'rtmdet-nano'``), an RTMDet
            ``(config, checkpoint)`` (e.g.
            ``('configs/rtmdet/person/rtmdet_nano_320-8xb32_coco-person.py',
            ckpt)``), an exported detector ``.onnx``, a torchvision
            detector name or a callable (see :func:`build_detector`).
        det_weights: weights file of a torchvision detector (or the
            checkpoint of a bare detector config path).
        det_score_thr: boxes scored below it are dropped, whatever the
            detector (a JSON file, RTMDet, ONNX, torchvision, a callable).
        det_interval: K: on videos, run the detector on every K-th frame
            (and whenever no person is tracked); other frames use boxes around
            the previous poses.
        bbox_padding: enlargement of those keypoint boxes (w, h).
        kpt_thr: keypoints scored above it span the keypoint boxes.
        pose_nms_thr: OKS above which the lower-scored of two poses is
            removed (duplicates); None disables pose NMS.
        track_mode, track_thr, track_max_age: see :class:`PoseTracker`.
        smooth: One-Euro smoothing of each track's keypoints (videos).
        smooth_cfg: ``min_cutoff``, ``beta``, ``d_cutoff`` of
            :class:`OneEuroFilter`.
        sequence: treat frames as a time sequence (skip-frame detection,
            tracking across frames, smoothing); default: videos and webcams
            only, not images or folders.
        num_threads: onnxruntime threads for an ``.onnx`` model.
    """

    def __init__(self,
                 model,
                 device: str = 'cpu',
                 detector=None,
                 det_weights: Optional[str] = None,
                 det_score_thr: float = 0.5,
                 det_interval: int = 1,
                 bbox_padding: float = DEFAULT_BBOX_PADDING,
                 kpt_thr: float = 0.3,
                 pose_nms_thr: Optional[float] = 0.9,
                 track_mode: str = 'iou',
                 track_thr: float = 0.3,
                 track_max_age: int = 5,
                 smooth: bool = False,
                 smooth_cfg: Optional[dict] = None,
                 sequence: Optional[bool] = None,
                 num_threads: Optional[int] = None):
        if det_interval < 1:
            raise ValueError(f'det_interval must be >= 1, got {det_interval}')
        if isinstance(model, str) and model in model_index.SOLUTIONS:
            solution = model_index.SOLUTIONS[model]
            model = solution.pose
            detector = solution.detector if detector is None else detector
        self.backend = _build_backend(model, device, num_threads)
        self.dataset_meta = self.backend.dataset_meta
        self.detector = build_detector(detector, det_weights, device,
                                       det_score_thr)
        self.det_score_thr = det_score_thr
        self.det_interval = det_interval
        self.bbox_padding = bbox_padding
        self.kpt_thr = kpt_thr
        self.pose_nms_thr = pose_nms_thr
        self.sigmas = np.asarray(self.dataset_meta['sigmas'], np.float64)
        self.tracker = PoseTracker(track_mode, track_thr, self.sigmas,
                                   track_max_age)
        self.smooth = smooth
        self.smooth_cfg = dict(smooth_cfg or {})
        OneEuroFilter(**self.smooth_cfg)  # fail early on bad settings
        self.sequence = sequence
        self.reset()

    def reset(self) -> None:
        """Start a new sequence and zero the counters."""
        self.tracker.reset()
        self.filters = {}
        self._prev: Optional[PoseResult] = None
        self._prev_raw_keypoints = None  # before smoothing
        self._last_det = None
        self._warned_boxes = False
        self.timings = dict.fromkeys(STAGES, 0.0)
        self.num_frames = 0
        self.detector_calls = 0

    def __call__(self, source: Union[str, int,
                                     np.ndarray]) -> Iterator[PoseResult]:
        """Results of each frame of ``source`` (see :class:`FrameSource`)."""
        for _, result in self.iter_frames(source):
            yield result

    def iter_frames(
        self,
        source: Union[str, int, np.ndarray, FrameSource],
        max_frames: Optional[int] = None
    ) -> Iterator[Tuple[Frame, PoseResult]]:
        """(frame, result) pairs of each frame of ``source`` (the first
        ``max_frames`` only, if given)."""
        frames = source if isinstance(source, FrameSource) \
            else FrameSource(source)
        self.reset()
        sequence = frames.is_stream if self.sequence is None \
            else self.sequence
        fps = frames.fps or 30.0
        for frame in frames:
            if max_frames is not None and frame.index >= max_frames:
                break
            yield frame, self.process_frame(frame.image, frame.index,
                                            frame.name, frame.index / fps,
                                            sequence)

    def _boxes(self, img, index, name, sequence):
        """Boxes, scores and known track ids (or None) of a frame."""
        prev = self._prev
        if (sequence and prev is not None and len(prev.bboxes)
                and 0 < index - self._last_det < self.det_interval):
            bboxes = bboxes_from_keypoints(self._prev_raw_keypoints,
                                           prev.keypoint_scores, prev.bboxes,
                                           self.kpt_thr, self.bbox_padding)
            return bboxes, prev.bbox_scores.copy(), prev.track_ids, False
        self.detector_calls += 1
        self._last_det = index
        bboxes, scores = self.detector(img, index, name)
        bboxes = np.asarray(bboxes, np.float32)
        scores = np.asarray(scores, np.float32).reshape(-1)
        if bboxes.size == 0:
            bboxes = bboxes.reshape(0, 4)
        if bboxes.ndim != 2 or bboxes.shape[1] != 4 or \
                len(scores) != len(bboxes):
            raise ValueError('the detector must return boxes (N, 4) xyxy and '
                             f'scores (N,), got shapes {bboxes.shape} and '
                             f'{scores.shape}')
        usable = usable_boxes(bboxes)
        if not usable.all():
            if not self._warned_boxes:
                warnings.warn(f'frame {index}: the detector gave '
                              f'{int((~usable).sum())} box(es) that are not '
                              'finite or have no area; left out (warned '
                              'once)')
                self._warned_boxes = True
            bboxes, scores = bboxes[usable], scores[usable]
        keep = scores >= np.float32(self.det_score_thr)  # float32 scores
        return bboxes[keep], scores[keep], None, True

    def process_frame(self,
                      img: np.ndarray,
                      index: int = 0,
                      name: Optional[str] = None,
                      timestamp: Optional[float] = None,
                      sequence: bool = True) -> PoseResult:
        """Poses of one (H, W, 3) uint8 BGR frame; ``timestamp`` (s) drives
        the smoothing (default ``index / 30``). With ``sequence=False`` the
        frame is independent of the previous ones."""
        img = check_image(img)
        if not sequence:
            self.tracker.reset()
            self.filters = {}
        clock = time.perf_counter()
        bboxes, bbox_scores, known_ids, detected = self._boxes(
            img, index, name, sequence)
        clock = self._tick('detect', clock)

        k = len(self.sigmas)
        keypoints = np.zeros((0, k, 2), np.float32)
        scores = np.zeros((0, k), np.float32)
        if len(bboxes):
            batch, crop_info = self.backend.preprocess(img, bboxes)
            clock = self._tick('crop', clock)
            outputs = self.backend.forward(batch)
            clock = self._tick('pose', clock)
            keypoints, scores = self.backend.postprocess(outputs, crop_info)
            clock = self._tick('decode', clock)

        keep = self._pose_nms(bboxes, bbox_scores, keypoints, scores)
        bboxes, bbox_scores = bboxes[keep], bbox_scores[keep]
        keypoints, scores = keypoints[keep], scores[keep]
        if known_ids is not None:
            known_ids = known_ids[keep]
        # tracks compare the boxes of the poses, not the input boxes: those of
        # propagated frames lag one frame behind
        ids = self.tracker.update(
            bboxes_from_keypoints(keypoints, scores, bboxes, self.kpt_thr,
                                  self.bbox_padding), keypoints, scores,
            known_ids)
        clock = self._tick('track', clock)

        raw_keypoints = keypoints
        if self.smooth and sequence:
            t = index / 30.0 if timestamp is None else timestamp
            keypoints = self._smooth(keypoints, ids, t)
            self._tick('smooth', clock)

        result = PoseResult(index, name, bboxes, bbox_scores, keypoints,
                            scores, ids, detected, img, self.dataset_meta)
        self._prev = result
        # boxes of the next frame follow the unsmoothed poses (less lag)
        self._prev_raw_keypoints = raw_keypoints
        self.num_frames += 1
        return result

    def _tick(self, stage: str, clock: float) -> float:
        now = time.perf_counter()
        self.timings[stage] += now - clock
        return now

    def _pose_nms(self, bboxes, bbox_scores, keypoints, scores) -> np.ndarray:
        """Indices kept by OKS NMS (all, in order, when disabled)."""
        if self.pose_nms_thr is None or len(bboxes) < 2:
            return np.arange(len(bboxes))
        wh = np.clip(bboxes[:, 2:] - bboxes[:, :2], 0, None)
        kpts_db = [
            dict(keypoints=np.concatenate([keypoints[i], scores[i, :, None]],
                                          -1),
                 score=float(bbox_scores[i] * scores[i].mean()),
                 area=float(wh[i].prod())) for i in range(len(bboxes))
        ]
        return np.sort(oks_nms(kpts_db, self.pose_nms_thr, self.sigmas))

    def _smooth(self, keypoints: np.ndarray, ids: np.ndarray,
                t: float) -> np.ndarray:
        """One-Euro filter per track; filters of ended tracks are dropped."""
        out = np.empty_like(keypoints)
        for i, track_id in enumerate(ids.tolist()):
            filt = self.filters.get(track_id)
            if filt is None:
                filt = self.filters[track_id] = OneEuroFilter(
                    **self.smooth_cfg)
            out[i] = filt(keypoints[i], t)
        self.filters = {
            t_id: f
            for t_id, f in self.filters.items() if t_id in self.tracker.tracks
        }
        return out
