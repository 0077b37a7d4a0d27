"""Export a top-down pose model or an RTMDet detector to ONNX for
``rtmpose.runtime``.

Usage::

    rtmpose export CONFIG CHECKPOINT --output FILE \
        [--dynamic-batch] [--input-size W H] [--with-decode] [--opset 17] \
        [--int8 INT8_FILE [--calib-split train] [--calib-num 256]] \
        [--cfg-options KEY=VALUE ...]

The graph input ``crops`` is (N, H, W, 3) uint8 BGR person crops; outputs are
``simcc_x`` (N, K, W*k) and ``simcc_y`` (N, K, H*k) (or ``heatmaps``), or
with --with-decode ``keypoints`` (N, K, 2) crop pixels and ``scores`` (N, K). Crop and decode
settings are stored in the file's metadata; run it with
``rtmpose.runtime.OnnxPoseEstimator`` (onnxruntime, no torch). CHECKPOINT may
be ``none`` for random weights. ``--int8`` also writes a statically
quantized copy (int8 backbone, calibrated on crops of the config's data;
see rtmpose/deploy/quantize.py); ``tools/test.py CONFIG FILE.onnx`` gives
either file's AP. Uses torch's TorchScript-based exporter
(dynamo=False): see rtmpose/deploy/export.py.

A detector config (``configs/rtmdet/...``) exports its network with the box
decoding; the input ``images`` is one (1, h, w, 3) uint8 BGR letterboxed
image, and the runtime (``rtmpose.runtime.OnnxDetector``) does the rest of the
post-processing (top-k, NMS) in numpy. ``--int8`` quantizes its backbone,
calibrated on letterboxed images of the config's data.
"""
import argparse
import os.path as osp


from mmengine.config import DictAction

from rtmpose.apis import init_model
from rtmpose.config_loading import load_config
from rtmpose.deploy.export import (MIN_OPSET, dataset_crops,
                                   export_onnx)
from rtmpose.deploy.export_detector import export_detector_onnx
from rtmpose.deploy.quantize import (CALIBRATION_METHODS,
                                     quantize_int8)
from rtmpose.engine.launch import merge_cfg_options


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Export a pose model to ONNX',
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__)
    parser.add_argument('config')
    parser.add_argument('checkpoint', help='checkpoint file, or "none"')
    parser.add_argument('--output', required=True, help='.onnx file')
    parser.add_argument('--dynamic-batch', action='store_true')
    parser.add_argument('--input-size', type=int, nargs=2, metavar=('W', 'H'))
    parser.add_argument('--with-decode',
                        action='store_true',
                        help='argmax-decode SimCC vectors or heatmaps in the graph')
    parser.add_argument('--opset', type=int, default=MIN_OPSET)
    parser.add_argument('--batch-size',
                        type=int,
                        default=1,
                        help='batch of a static graph (no --dynamic-batch)')
    parser.add_argument('--int8',
                        metavar='INT8_FILE',
                        help='also write an int8-quantized model here')
    parser.add_argument('--calib-split',
                        default='train',
                        choices=['train', 'val'],
                        help='dataset of the config to calibrate on')
    parser.add_argument('--calib-num',
                        type=int,
                        default=256,
                        help='number of calibration crops')
    parser.add_argument('--calib-method',
                        default='minmax',
                        choices=CALIBRATION_METHODS)
    parser.add_argument('--cfg-options',
                        nargs='+',
                        action=DictAction,
                        help='override config settings, e.g. the data_root '
                        'of the calibration data')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.int8 and osp.abspath(args.int8) == osp.abspath(args.output):
        raise ValueError(f'--int8 {args.int8} would overwrite the fp32 model '
                         '--output; give it another file name')
    checkpoint = None if args.checkpoint.lower() == 'none' \
        else args.checkpoint
    cfg = load_config(args.config)
    merge_cfg_options(cfg, args.cfg_options)
    model = init_model(cfg, checkpoint, device='cpu')
    if hasattr(model, 'bbox_head'):
        return _export_detector(model, args)
    meta = export_onnx(model,
                       args.output,
                       input_size=args.input_size,
                       dynamic_batch=args.dynamic_batch,
                       with_decode=args.with_decode,
                       opset=args.opset,
                       batch_size=args.batch_size)
    print(f'wrote {args.output}: input crops (N, {meta["input_size"][1]}, '
          f'{meta["input_size"][0]}, 3) uint8, outputs {meta["outputs"]}, '
          f'opset {args.opset}')
    if args.int8:
        crops = dataset_crops(model.cfg, args.calib_split, args.calib_num)
        meta = quantize_int8(args.output, args.int8, crops, args.calib_method)
        print(f'wrote {args.int8}: int8 backbone '
              f'({meta["quantization"]["quantized_nodes"]} nodes), '
              f'calibrated on {len(crops)} {args.calib_split} crops')


def _export_detector(model, args) -> None:
    if args.dynamic_batch or args.input_size or args.with_decode \
            or args.batch_size != 1:
        raise ValueError('detectors export at batch 1 and their test '
                         'pipeline size, decoded: --dynamic-batch, '
                         '--input-size, --with-decode and --batch-size do '
                         'not apply')
    meta = export_detector_onnx(model, args.output, opset=args.opset)
    w, h = meta['input_size']
    print(f'wrote {args.output}: input images (1, {h}, {w}, 3) uint8, '
          f'outputs scores, boxes over {sum(meta["level_sizes"])} priors, '
          f'opset {args.opset}')
    if args.int8:
        images = dataset_crops(model.cfg, args.calib_split, args.calib_num)
        meta = quantize_int8(args.output, args.int8, images,
                             args.calib_method)
        print(f'wrote {args.int8}: int8 backbone '
              f'({meta["quantization"]["quantized_nodes"]} nodes), '
              f'calibrated on {len(images)} {args.calib_split} images')
