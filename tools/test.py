"""Evaluate a checkpoint: ``python tools/test.py CONFIG CHECKPOINT [options]``.

CHECKPOINT may also be an ONNX file from ``tools/deploy/export_onnx.py``
(fp32 or ``--int8``; a pose model or a detector): the config's test data
then runs through onnxruntime (no flip test; the graph has none), to
compare an export's AP with the checkpoint's.

``--det-config DET_CONFIG --det-checkpoint DET_CKPT`` evaluates on detected
person boxes (the papers' protocol) instead of the annotated ones or the
config's ``bbox_file``: the detector (an RTMDet config of this toolbox) first
runs over the test images, printing its box AP on them, and its boxes (COCO
detection results, written to ``--dump-det`` or the work dir) become the
test set's ``bbox_file``.
"""
import argparse
import copy
import os
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from mmengine.config import Config  # noqa: E402

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
    parser.add_argument('--det-config',
                        help='detector config: test on its person boxes')
    parser.add_argument('--det-checkpoint', help='checkpoint of --det-config')
    parser.add_argument('--det-score-thr',
                        type=float,
                        default=0.0,
                        help='detected boxes scored below it are not used '
                        '(default: all boxes the detector keeps)')
    parser.add_argument('--dump-det',
                        help='write the detected boxes to this .json file '
                        '(COCO detection results)')
    parser.add_argument('--compare-gt-boxes',
                        action='store_true',
                        help='with --det-config: also evaluate on the '
                        "config's own boxes and print both APs")
    args = parse_cli(parser)
    if (args.det_config is None) != (args.det_checkpoint is None):
        parser.error('--det-config and --det-checkpoint go together')
    if (args.dump_det or args.compare_gt_boxes) and not args.det_config:
        parser.error('--dump-det and --compare-gt-boxes need --det-config')
    return args


def detect_test_images(pose_cfg: Config, det_config: str, det_checkpoint: str,
                       out_json: str) -> dict:
    """Run the detector over the images of ``pose_cfg``'s test set; write
    its boxes to ``out_json`` (COCO detection results) and return its box
    metrics on that set's annotations."""
    pose_ds = pose_cfg.test_dataloader.dataset
    det_cfg = prepare_cfg(
        Config.fromfile(det_config),
        config_path=det_config,
        work_dir=osp.join(pose_cfg.work_dir, 'detector'),
        load_from=det_checkpoint)
    ann_file = pose_ds.ann_file
    if pose_ds.get('data_root') and not osp.isabs(ann_file):
        ann_file = osp.join(pose_ds.data_root, ann_file)
    det_ds = dict(
        type='SyntheticCocoDetDataset' if 'synthetic_cfg' in pose_ds else
        'CocoDetDataset',
        data_root=pose_ds.get('data_root', ''),
        ann_file=pose_ds.ann_file,
        data_prefix=pose_ds.data_prefix,
        metainfo=det_cfg.test_dataloader.dataset.get(
            'metainfo', dict(classes=('person', ))),
        test_mode=True,
        pipeline=det_cfg.test_dataloader.dataset.pipeline)
    if 'synthetic_cfg' in pose_ds:
        det_ds['synthetic_cfg'] = pose_ds.synthetic_cfg
    det_cfg.test_dataloader.dataset = det_ds
    prefix = osp.splitext(out_json)[0]
    det_cfg.test_evaluator = dict(
        type='CocoDetMetric', ann_file=ann_file, outfile_prefix=prefix)
    det_cfg.custom_hooks = []
    metrics = build_runner(det_cfg).test()
    os.replace(f'{prefix}.bbox.json', out_json)
    return metrics


def use_onnx(cfg: Config, onnx_file: str) -> None:
    """Test ``onnx_file`` instead of the config's PyTorch model."""
    if not osp.isfile(onnx_file):
        raise FileNotFoundError(f'ONNX model {onnx_file} not found')
    detector = 'bbox_head' in cfg.model
    cfg.model = dict(type='OnnxRTMDet' if detector else
                     'OnnxTopdownEstimator', onnx_file=onnx_file)
    cfg.load_from = None
    # EMA and other training-time hooks act on PyTorch parameters
    cfg.custom_hooks = []


def main():
    args = parse_args()
    cfg = Config.fromfile(args.config)
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
    det_metrics, gt_metrics = {}, {}
    if args.compare_gt_boxes:
        gt_cfg = copy.deepcopy(cfg)
        gt_cfg.work_dir = osp.join(cfg.work_dir, 'gt_boxes')
        if args.checkpoint.endswith('.onnx'):
            use_onnx(gt_cfg, args.checkpoint)
        gt_metrics = build_runner(gt_cfg).test()
    if args.det_config:
        det_json = args.dump_det or osp.join(cfg.work_dir,
                                             'detections.json')
        det_metrics = detect_test_images(cfg, args.det_config,
                                         args.det_checkpoint, det_json)
        print(f'detected boxes: {det_json}')
        cfg.test_dataloader.dataset.bbox_file = det_json
        cfg.test_dataloader.dataset.filter_cfg = dict(
            bbox_score_thr=args.det_score_thr)
    if args.checkpoint.endswith('.onnx'):
        use_onnx(cfg, args.checkpoint)
    runner = build_runner(cfg)
    metrics = runner.test()
    print(' '.join(f'{k}: {v:.4f}' for k, v in {**det_metrics,
                                                **metrics}.items()
                   if isinstance(v, float)))
    if gt_metrics:
        print('on detected boxes: ' + _summary(metrics) +
              '\non the config\'s boxes: ' + _summary(gt_metrics))


def _summary(metrics: dict) -> str:
    return ' '.join(f'{k}: {v:.4f}' for k, v in metrics.items()
                    if isinstance(v, float) and k.endswith(('/AP', '/AR')))


if __name__ == '__main__':
    main()
