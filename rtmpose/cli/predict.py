"""Top-down pose demo on an image, a folder of images, a video or a webcam.

Usage::

    rtmpose predict NAME [CHECKPOINT] --input ... --output OUT [options]
    rtmpose predict CONFIG CHECKPOINT --input IMG|DIR|VIDEO|URL|CAM \
        --output OUT [--det-config DET_CONFIG --det-checkpoint DET_CKPT |
        --det-json F | --detector NAME [--det-weights W]] \
        [--det-score-thr T] [--det-interval K] [--smooth] [--device D]
        [--save-coco [FILE]] [--show]
    rtmpose predict --onnx POSE.onnx|DIR [--det-onnx DET.onnx|DIR] \
        --input ... --output ... [other options as above]
    rtmpose predict --make-sample DIR

``--make-sample DIR`` writes a synthetic sample to try the demo on:
``DIR/video.avi`` (40 frames of two people panning), ``DIR/detections.json``
(their boxes per frame, COCO results format, image_id = frame index) and
``DIR/frame.jpg`` (the first frame, whose boxes are image_id 0).

OUT is an image file for an image, a folder for a folder and a video file
(.mp4 or .avi) for a video, a stream (``rtsp://``, ``rtmp://``,
``http(s)://``, read by OpenCV) or a webcam (its index, e.g. ``0``); Ctrl-C
stops a stream cleanly, keeping what was written. Predictions (boxes,
keypoints in image pixels, scores, track ids per frame) go to OUT's name with
``.json`` (for a folder: ``OUT/predictions.json``), or to --pred-out;
``--save-coco`` also writes them as COCO keypoint results (``image_id`` the
frame index: in a folder, the images' index sorted by name) to OUT's name
with ``.keypoints.json`` or FILE. ``--show`` shows each annotated frame in a
window when there is a display (q or Esc stops). The person boxes come
from an RTMDet detector of this toolbox (``--det-config`` of
``configs/rtmdet/person/`` with ``--det-checkpoint``; or an exported
detector ``.onnx`` as ``--det-config``), a detection JSON or a torchvision
model; without a detector every frame is one person box (said on the
console). Track ids are drawn on videos only. NAME is a solution
(``body``: a detector and a pose model) or a model name (``rtmpose models``
lists them; published weights, fetched once, or CHECKPOINT); ``--detector``
also takes a detector name (``rtmdet-nano``). CHECKPOINT may be ``none``
(random weights); ``--onnx`` runs an exported model (``.onnx`` file or
mmdeploy SDK directory from ``rtmpose export``) with onnxruntime instead,
without CONFIG and CHECKPOINT: everything it needs is in the export;
``--det-onnx`` does the same for the detector. ``--device`` is the torch
device of config-built models and the onnxruntime device of exports
(``cpu``, ``cuda[:N]``, ``openvino``, ``coreml``, ...).
"""
import argparse
import json
import os
import os.path as osp
import sys
from typing import Optional

import cv2

from rtmpose import hub, model_index
from rtmpose.apis import FrameSource, PoseInferencer
from rtmpose.apis.detectors import TORCHVISION_DETECTORS
from rtmpose.progress import Progress
from rtmpose.visualization import draw_poses

_FOURCC = {'.mp4': 'mp4v', '.avi': 'MJPG'}
WINDOW = 'rtmpose predict'


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config', nargs='?',
                        help='config file, model or solution name')
    parser.add_argument('checkpoint', nargs='?',
                        help='checkpoint file, or "none"')
    parser.add_argument('--input',
                        help='image, folder, video file or webcam index')
    parser.add_argument('--output',
                        help='output image / folder / video (see above)')
    parser.add_argument('--make-sample', metavar='DIR',
                        help='write a sample video, its detections and a '
                        'still frame to DIR, then exit')
    parser.add_argument('--pred-out', help='predictions JSON path')
    det = parser.add_mutually_exclusive_group()
    det.add_argument('--det-config',
                     help='RTMDet detector config (or exported .onnx)')
    det.add_argument('--det-onnx',
                     help='exported detector (.onnx or mmdeploy directory)')
    det.add_argument('--det-json', help='COCO-format detection JSON')
    det.add_argument('--detector',
                     choices=sorted(TORCHVISION_DETECTORS) + [
                         m.name for m in model_index.MODELS.values()
                         if m.task == 'detection'],
                     help='person detector: torchvision or a model name')
    parser.add_argument('--det-checkpoint',
                        help='checkpoint of --det-config')
    parser.add_argument('--det-weights', help='torchvision detector weights')
    parser.add_argument('--det-score-thr', type=float, default=0.5,
                        help='drop boxes scored below it (any detector)')
    parser.add_argument('--det-interval',
                        type=int,
                        default=1,
                        help='run the detector every K video frames')
    parser.add_argument('--smooth',
                        action='store_true',
                        help='One-Euro smoothing of tracked keypoints')
    parser.add_argument('--onnx',
                        help='exported pose model (.onnx or mmdeploy '
                        'directory), run with onnxruntime')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--kpt-thr',
                        type=float,
                        default=0.3,
                        help='keypoints scored above it are drawn')
    parser.add_argument('--no-bbox',
                        action='store_true',
                        help='do not draw boxes and track ids')
    parser.add_argument('--max-frames',
                        type=int,
                        help='stop after this many frames')
    parser.add_argument('--save-coco',
                        nargs='?',
                        const='',
                        metavar='FILE',
                        help='also write COCO keypoint results (default: '
                        "OUT's name with .keypoints.json)")
    parser.add_argument('--show',
                        action='store_true',
                        help='show the annotated frames in a window')
    hub.add_weights_dir_argument(parser)
    args = parser.parse_args(argv)
    hub.set_weights_dir(args.weights_dir)
    if args.make_sample is None:
        named = model_index.is_name(args.config)
        needed = ('input', 'output') if args.onnx else ('config',
                                                         'checkpoint',
                                                         'input', 'output')
        missing = [name for name in needed if getattr(args, name) is None
                   and not (named and name == 'checkpoint')]
        if missing:
            parser.error('missing ' + ', '.join(missing) +
                         ' (or use --make-sample DIR)')
    return args


def make_sample(root: str) -> dict:
    """``root/video.avi``, ``root/detections.json``, ``root/frame.jpg``;
    returns their paths."""
    from rtmpose.datasets.synthetic import make_synthetic_video
    video = make_synthetic_video(root)
    frame = osp.join(root, 'frame.jpg')
    cv2.imwrite(frame, video['frames'][0])
    return dict(video=video['video'], det_json=video['det_json'],
                frame=frame)


def _pred_path(args, kind: str, suffix: str = '.json') -> str:
    if kind == 'folder':
        return osp.join(args.output, 'predictions' + suffix)
    return osp.splitext(args.output)[0] + suffix


def no_display_reason() -> Optional[str]:
    """Why no window can open here, or None when one may."""
    if sys.platform.startswith('linux') and not (
            os.environ.get('DISPLAY') or os.environ.get('WAYLAND_DISPLAY')):
        return 'no display (DISPLAY and WAYLAND_DISPLAY are not set)'
    return None


def show_frame(vis, wait: bool) -> bool:
    """Show ``vis`` in the window; ``wait`` for a key (a still image) or
    not (a stream). False when the user asks to stop (q or Esc)."""
    cv2.imshow(WINDOW, vis)
    return (cv2.waitKey(0 if wait else 1) & 0xFF) not in (ord('q'), 27)


def _detector_spec(args):
    if args.det_onnx:
        return args.det_onnx
    if args.det_config:
        if args.det_config.endswith('.onnx'):
            return args.det_config
        return (args.det_config, args.det_checkpoint)
    return args.det_json or args.detector


def main(argv=None):
    args = parse_args(argv)
    if args.make_sample is not None:
        sample = make_sample(args.make_sample)
        print(f'wrote {sample["video"]}, {sample["det_json"]} and '
              f'{sample["frame"]}')
        return sample
    if args.det_checkpoint and not args.det_config:
        raise ValueError('--det-checkpoint needs --det-config')
    source = FrameSource(args.input)
    if source.is_stream and osp.splitext(args.output)[1].lower() \
            not in _FOURCC:
        raise ValueError(f'--output {args.output}: a video input needs a '
                         f'video output ({", ".join(_FOURCC)})')
    if args.onnx:
        model = args.onnx
    elif args.checkpoint is None:  # a name: its published weights
        model = args.config
    elif args.checkpoint.lower() == 'none':
        model = args.config
    else:
        model = (args.config, args.checkpoint)
    detector = _detector_spec(args)
    inferencer = PoseInferencer(model,
                                device=args.device,
                                detector=detector,
                                det_weights=args.det_weights,
                                det_score_thr=args.det_score_thr,
                                det_interval=args.det_interval,
                                kpt_thr=args.kpt_thr,
                                smooth=args.smooth)

    if source.kind == 'folder':
        os.makedirs(args.output, exist_ok=True)
    elif osp.dirname(args.output):
        os.makedirs(osp.dirname(args.output), exist_ok=True)
    total = source.num_frames
    if args.max_frames is not None:
        total = args.max_frames if total is None else min(
            total, args.max_frames)
    if detector is None and args.config not in model_index.SOLUTIONS:
        print('no detector (--det-config, --det-json or --detector): each '
              'frame is one whole-image person box')
    show = args.show
    if show and no_display_reason():
        print(f'--show: {no_display_reason()}; writing {args.output} only')
        show = False
    if total is None:
        print(f'reading {args.input} until it ends or Ctrl-C')
    progress = Progress(total, 'predict') if total and total > 1 else None
    writer, frames, coco, empty = None, [], [], []
    show_boxes = not args.no_bbox
    results = inferencer.iter_frames(source, args.max_frames)
    try:
        for frame, result in results:
            # track ids mean something across the frames of a video only
            vis = draw_poses(frame.image,
                             result.keypoints,
                             result.keypoint_scores,
                             inferencer.dataset_meta,
                             args.kpt_thr,
                             bboxes=result.bboxes if show_boxes else None,
                             track_ids=result.track_ids
                             if show_boxes and source.is_stream else None)
            if not (result.keypoint_scores > args.kpt_thr).any():
                empty.append(result.name or str(frame.index))
            if source.is_stream:
                if writer is None:
                    fps = source.fps or 30.0
                    writer = cv2.VideoWriter(
                        args.output,
                        cv2.VideoWriter_fourcc(
                            *_FOURCC[osp.splitext(args.output)[1].lower()]),
                        fps, (vis.shape[1], vis.shape[0]))
                writer.write(vis)
            elif source.kind == 'folder':
                cv2.imwrite(osp.join(args.output, result.name), vis)
            else:
                cv2.imwrite(args.output, vis)
            frames.append(result.to_dict())
            coco += result.to_coco(frame.index)
            if progress is not None:
                progress.update(len(frames))
            if show:
                try:
                    if not show_frame(vis, wait=not source.is_stream):
                        break
                except cv2.error as err:  # an OpenCV built without GUI
                    print(f'--show: no window ({str(err).strip()[:200]})')
                    show = False
    except KeyboardInterrupt:
        print(f'\ninterrupted after {len(frames)} frames')
    finally:
        results.close()  # releases the capture
        if writer is not None:
            writer.release()
        if progress is not None:
            progress.close()
        if args.show and show:
            cv2.destroyAllWindows()
    pred_path = args.pred_out or _pred_path(args, source.kind)
    with open(pred_path, 'w') as f:
        json.dump(
            dict(input=str(args.input),
                 dataset_name=inferencer.dataset_meta['dataset_name'],
                 keypoint_names=_keypoint_names(inferencer.dataset_meta),
                 frames=frames), f)
    written = [args.output, pred_path]
    if args.save_coco is not None:
        written.append(args.save_coco
                       or _pred_path(args, source.kind, '.keypoints.json'))
        with open(written[-1], 'w') as f:
            json.dump(coco, f)
    print(f'wrote {", ".join(written)} ({len(frames)} frames, '
          f'{inferencer.detector_calls} detector calls)')
    if empty:
        print(no_keypoint_message(empty, len(frames), args.kpt_thr))
    return pred_path


def no_keypoint_message(empty: list, num_frames: int, kpt_thr: float) -> str:
    """What to say when frames have no keypoint scored above ``kpt_thr``."""
    which = 'the image' if num_frames == 1 else (
        f'{len(empty)} of {num_frames} frames (first: {empty[0]})')
    return (f'no keypoint scored above --kpt-thr {kpt_thr:g} in {which}: '
            'nothing but boxes is drawn there. Check the checkpoint (trained '
            'for this data?), the boxes (a detector or --det-json for images '
            'that are not person crops) or lower --kpt-thr')


def _keypoint_names(meta: dict) -> list:
    if 'keypoint_names' in meta:  # exported model metadata
        return list(meta['keypoint_names'])
    names = meta['keypoint_id2name']
    return [names[i] for i in range(len(names))]
