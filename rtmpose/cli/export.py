"""Export a top-down pose model or an RTMDet detector to ONNX.

Usage::

    rtmpose export CONFIG CHECKPOINT --output FILE|DIR \
        [--format rtmpose|mmdeploy] [--fp16] \
        [--dynamic-batch] [--input-size W H] [--with-decode] [--opset 17] \
        [--int8 INT8_FILE|INT8_DIR [--calib-split train] [--calib-num 256]] \
        [--cfg-options KEY=VALUE ...]

``--format mmdeploy`` writes the mmdeploy 1.3 SDK model directory
(``end2end.onnx``, ``deploy.json``, ``pipeline.json``, ``detail.json``; see
rtmpose/deploy/export_sdk.py): input ``input`` float32 (N, 3, H, W)
normalised with the model's mean/std (RGB for RTMPose and ViTPose, BGR for
RTMDet); pose outputs ``simcc_x``/``simcc_y`` or ``output`` (heatmaps);
detector outputs ``dets`` (1, D, 5) and ``labels`` (1, D) with score
threshold, NMS and top-k in the graph. The mmdeploy SDK
(``mmdeploy_runtime``), rtmlib and ``rtmpose.runtime`` all run it.

``--format rtmpose`` (the default) writes one ``.onnx`` file whose graph
input ``crops`` is (N, H, W, 3) uint8 BGR person crops (normalisation
inside); outputs are ``simcc_x`` (N, K, W*k) and ``simcc_y`` (N, K, H*k)
(or ``heatmaps``), or with --with-decode ``keypoints`` (N, K, 2) crop pixels
and ``scores`` (N, K). A detector's input ``images`` is one (1, h, w, 3)
uint8 BGR letterboxed image, its outputs per-prior scores and boxes; the
runtime (``rtmpose.runtime.OnnxDetector``) does the top-k and NMS in numpy.

Either way crop and decode settings are stored in the file's metadata; run
it with ``rtmpose.runtime`` (onnxruntime, no torch) or
``rtmpose predict --onnx FILE|DIR``. CHECKPOINT may be ``none`` for random
weights. ``--fp16`` writes float16 weights and activations (inputs and
outputs keep their types). ``--int8`` also writes a statically quantized
copy (int8 backbone, calibrated on crops of the config's data; see
rtmpose/deploy/quantize.py); ``tools/test.py CONFIG FILE|DIR`` gives any
export's AP. Uses torch's TorchScript-based exporter (dynamo=False): see
rtmpose/deploy/export.py.
"""
import argparse
import os.path as osp
import shutil

from mmengine.config import DictAction

from rtmpose.apis import init_model
from rtmpose.config_loading import load_config
from rtmpose.deploy.export import MIN_OPSET, dataset_crops, export_onnx
from rtmpose.deploy.export_detector import export_detector_onnx
from rtmpose.deploy.export_sdk import export_sdk
from rtmpose.deploy.quantize import CALIBRATION_METHODS, quantize_int8
from rtmpose.deploy.sdk_info import NET_FILE
from rtmpose.engine.launch import merge_cfg_options

FORMATS = ('rtmpose', 'mmdeploy')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Export a pose model or detector to ONNX',
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__)
    parser.add_argument('config')
    parser.add_argument('checkpoint', help='checkpoint file, or "none"')
    parser.add_argument('--output',
                        required=True,
                        help='.onnx file (rtmpose format) or directory '
                        '(mmdeploy format)')
    parser.add_argument('--format',
                        default='rtmpose',
                        choices=FORMATS,
                        help='rtmpose: one .onnx, uint8 crops in; mmdeploy: '
                        'the mmdeploy SDK model directory')
    parser.add_argument('--fp16',
                        action='store_true',
                        help='float16 weights and activations')
    parser.add_argument('--dynamic-batch', action='store_true')
    parser.add_argument('--input-size', type=int, nargs=2, metavar=('W', 'H'))
    parser.add_argument('--with-decode',
                        action='store_true',
                        help='argmax-decode SimCC vectors or heatmaps in the '
                        'graph')
    parser.add_argument('--opset', type=int, default=MIN_OPSET)
    parser.add_argument('--batch-size',
                        type=int,
                        default=1,
                        help='batch of a static graph (no --dynamic-batch)')
    parser.add_argument('--int8',
                        metavar='INT8_OUTPUT',
                        help='also write an int8-quantized model here (a '
                        'file, or a directory for --format mmdeploy)')
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
                         '--output; give it another name')
    if args.int8 and args.fp16:
        raise ValueError('--int8 quantizes the float32 export; run it '
                         'without --fp16')
    checkpoint = None if args.checkpoint.lower() == 'none' \
        else args.checkpoint
    cfg = load_config(args.config)
    merge_cfg_options(cfg, args.cfg_options)
    model = init_model(cfg, checkpoint, device='cpu')
    detector = hasattr(model, 'bbox_head')
    if args.format == 'mmdeploy':
        fp32_file = _export_sdk(model, args)
    elif detector:
        fp32_file = _export_detector(model, args)
    else:
        fp32_file = _export_pose(model, args)
    if args.int8:
        _quantize(model, fp32_file, args, 'images' if detector else 'crops')


def _export_pose(model, args) -> str:
    meta = export_onnx(model,
                       args.output,
                       input_size=args.input_size,
                       dynamic_batch=args.dynamic_batch,
                       with_decode=args.with_decode,
                       opset=args.opset,
                       batch_size=args.batch_size,
                       fp16=args.fp16)
    print(f'wrote {args.output}: input crops (N, {meta["input_size"][1]}, '
          f'{meta["input_size"][0]}, 3) uint8, outputs {meta["outputs"]}, '
          f'opset {args.opset}{", fp16" if args.fp16 else ""}')
    return args.output


def _check_static(args, what: str) -> None:
    if args.dynamic_batch or args.input_size or args.with_decode \
            or args.batch_size != 1:
        raise ValueError(f'{what} export at their test pipeline size with '
                         'their own batch, undecoded: --dynamic-batch, '
                         '--input-size, --with-decode and --batch-size do '
                         'not apply')


def _export_detector(model, args) -> str:
    _check_static(args, 'detectors')
    meta = export_detector_onnx(model,
                                args.output,
                                opset=args.opset,
                                fp16=args.fp16)
    w, h = meta['input_size']
    print(f'wrote {args.output}: input images (1, {h}, {w}, 3) uint8, '
          f'outputs scores, boxes over {sum(meta["level_sizes"])} priors, '
          f'opset {args.opset}{", fp16" if args.fp16 else ""}')
    return args.output


def _export_sdk(model, args) -> str:
    _check_static(args, 'mmdeploy-format models')
    meta = export_sdk(model,
                      args.output,
                      fp16=args.fp16,
                      opset=args.opset,
                      config=args.config,
                      checkpoint=args.checkpoint)
    w, h = meta['input_size']
    batch = '1' if meta['outputs'] == 'dets' else 'N'
    print(f'wrote {args.output}/ (mmdeploy SDK model): input ({batch}, 3, '
          f'{h}, {w}) float32, outputs {meta["outputs"]}, opset '
          f'{args.opset}{", fp16" if args.fp16 else ""}')
    return osp.join(args.output, NET_FILE)


def _quantize(model, fp32_file: str, args, what: str) -> None:
    """Write the int8 copy of ``fp32_file``: a file, or for the mmdeploy
    format a directory with the same JSON files."""
    int8_file = args.int8
    if args.format == 'mmdeploy':
        shutil.copytree(osp.dirname(fp32_file), args.int8,
                        ignore=shutil.ignore_patterns(NET_FILE),
                        dirs_exist_ok=True)
        int8_file = osp.join(args.int8, NET_FILE)
    crops = dataset_crops(model.cfg, args.calib_split, args.calib_num)
    meta = quantize_int8(fp32_file, int8_file, crops, args.calib_method)
    print(f'wrote {args.int8}: int8 backbone '
          f'({meta["quantization"]["quantized_nodes"]} nodes), '
          f'calibrated on {len(crops)} {args.calib_split} {what}')
