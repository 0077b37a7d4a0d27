"""Evaluate a checkpoint: ``python tools/test.py CONFIG CHECKPOINT [options]``.

CHECKPOINT may also be an ONNX file from ``tools/deploy/export_onnx.py``
(fp32 or ``--int8``): the config's test data then runs through onnxruntime
(no flip test; the graph has none), to compare an export's AP with the
checkpoint's.
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from mmengine.config import Config  # noqa: E402

from rtmpose.config_loading import load_config  # noqa: E402
from rtmpose.engine.launch import (build_runner, parse_cli,  # noqa: E402
                                   prepare_cfg)


def parse_args():
    parser = argparse.ArgumentParser(description='Evaluate a pose model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint',
                        help='checkpoint file (path or URL) or .onnx file')
    parser.add_argument('--work-dir', help='the dir to save logs')
    parser.add_argument(
        '--dump',
        type=str,
        help='write the predictions to this .json file (COCO results format)')
    return parse_cli(parser)


def use_onnx(cfg: Config, onnx_file: str) -> None:
    """Test ``onnx_file`` instead of the config's PyTorch model."""
    if not osp.isfile(onnx_file):
        raise FileNotFoundError(f'ONNX model {onnx_file} not found')
    cfg.model = dict(type='OnnxTopdownEstimator', onnx_file=onnx_file)
    cfg.load_from = None
    # EMA and other training-time hooks act on PyTorch parameters
    cfg.custom_hooks = []


def main():
    args = parse_args()
    cfg = load_config(args.config)
    cfg = prepare_cfg(
        cfg,
        config_path=args.config,
        work_dir=args.work_dir,
        cfg_options=args.cfg_options,
        launcher=args.launcher,
        load_from=args.checkpoint)
    if args.dump:
        if not args.dump.endswith('.json'):
            raise ValueError(f'--dump must name a .json file, got {args.dump}')
        evaluator = cfg.test_evaluator
        prefix = args.dump[:-len('.keypoints.json')] if args.dump.endswith(
            '.keypoints.json') else args.dump[:-len('.json')]
        for metric in evaluator if isinstance(evaluator, list) else [evaluator]:
            metric.outfile_prefix = prefix
    if args.checkpoint.endswith('.onnx'):
        use_onnx(cfg, args.checkpoint)
    runner = build_runner(cfg)
    metrics = runner.test()
    print(' '.join(f'{k}: {v:.4f}' for k, v in metrics.items()
                   if isinstance(v, float)))


if __name__ == '__main__':
    main()
