"""``tools/train.py``, ``tools/test.py`` and ``rtmpose train|test``: the
command lines and what they run."""
import argparse
import copy
import difflib
import importlib.util
import logging
import os
import os.path as osp
from typing import List, Optional

import torch
from mmengine.config import Config, ConfigDict, DictAction
from mmengine.logging import print_log

from rtmpose import hub, model_index
from rtmpose.config_loading import load_config
from rtmpose.runtime.session import is_export
from .console import echo, format_metrics
from .runner import PoseRunner
from .threads import set_threads


def parse_cli(parser: argparse.ArgumentParser,
              argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Add the options every tool shares (``--cfg-options``, ``--launcher``,
    ``--local-rank``, ``--threads``, ``-v``) and parse ``argv`` (default:
    the command line). A process started by torchrun (``WORLD_SIZE`` > 1)
    without ``--launcher pytorch`` is refused."""
    parser.add_argument(
        '--threads',
        type=int,
        help='torch CPU threads (default: OMP_NUM_THREADS if set, else the '
        'physical cores); 1 is often '
        'fastest on a machine busy with other jobs, and the thread count '
        'changes the numbers slightly: reproduce a run with the same value')
    parser.add_argument(
        '-v',
        '--verbose',
        action='store_true',
        help='print the whole log on the console (config, hook order, init '
        'report, a line every few iterations), not only the summary lines')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, e.g. train_cfg.max_epochs=10 '
        '(a misspelt key is refused)')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    world_size = int(os.environ.get('WORLD_SIZE', '1'))
    if args.launcher == 'none' and world_size > 1:
        # each process would run alone, all into the same work dir
        parser.error(f'started as one of {world_size} processes (WORLD_SIZE, '
                     'e.g. by torchrun) without --launcher pytorch: add it '
                     '(tools/dist_train.sh does), or run one process')
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def merge_cfg_options(cfg: Config, options: Optional[dict]) -> None:
    """Merge ``--cfg-options`` into ``cfg``, refusing likely typos.

    A key whose parent does not exist is an error; a new leaf key is an error
    when an existing sibling is a close match (``max_epoch`` for
    ``max_epochs``), otherwise it is added with a warning.
    """
    if not options:
        return
    tree = cfg.to_dict()  # unchanged until the merge below
    for dotted in options:
        node, path = tree, []
        parts = dotted.split('.')
        for part in parts[:-1]:
            path.append(part)
            if isinstance(node, (list, tuple)) and part.isdigit():
                if int(part) >= len(node):
                    raise KeyError(f'--cfg-options {dotted}: index {part} is '
                                   f'out of range for {".".join(path[:-1])}')
                node = node[int(part)]
                continue
            if not isinstance(node, dict) or part not in node:
                raise KeyError(
                    f'--cfg-options {dotted}: the config has no '
                    f'"{".".join(path)}"{_suggest(part, node)}')
            node = node[part]
        leaf = parts[-1]
        if isinstance(node, dict) and leaf not in node:
            hint = _suggest(leaf, node)
            if hint:
                raise KeyError(f'--cfg-options {dotted}: the config has no '
                               f'"{dotted}"{hint}')
            print_log(
                f'--cfg-options adds the new key "{dotted}"',
                logger='current',
                level=logging.WARNING)
    cfg.merge_from_dict(options)


def _suggest(key: str, node) -> str:
    if not isinstance(node, dict):
        return ''
    close = difflib.get_close_matches(
        key, [str(k) for k in node], n=1, cutoff=0.8)
    return f' (did you mean "{close[0]}"?)' if close else ''


def prepare_cfg(cfg: Config,
                config_path: str,
                work_dir: Optional[str] = None,
                cfg_options: Optional[dict] = None,
                launcher: str = 'none',
                resume: Optional[str] = None,
                amp: bool = False,
                auto_scale_lr: bool = False,
                load_from: Optional[str] = None,
                verbose: bool = False,
                tensorboard: bool = False) -> Config:
    """Apply the command line of the train/test tools to a config."""
    merge_cfg_options(cfg, cfg_options)
    cfg.launcher = launcher
    if verbose:
        cfg.verbose = True
    if tensorboard:
        add_tensorboard(cfg)
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(config_path))[0])
    if amp:
        if not torch.cuda.is_available():
            raise RuntimeError('--amp needs a CUDA device; none is available')
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if auto_scale_lr:
        if 'auto_scale_lr' not in cfg or 'base_batch_size' not in (
                cfg.auto_scale_lr or {}):
            raise KeyError('--auto-scale-lr needs "auto_scale_lr = '
                           'dict(base_batch_size=...)" in the config')
        cfg.auto_scale_lr.enable = True
    if resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif resume is not None:
        cfg.resume = True
        cfg.load_from = resume
    if load_from is not None:
        cfg.load_from = load_from
    return cfg


def add_tensorboard(cfg: Config) -> None:
    """Log the scalars to TensorBoard as well (``WORK_DIR/<run>/vis_data``;
    ``tensorboard --logdir WORK_DIR``). tensorboard is optional: the
    ``tensorboard`` extra."""
    if importlib.util.find_spec('tensorboard') is None:
        raise ImportError(
            '--tensorboard needs the tensorboard package: pip install -e '
            '".[tensorboard]" (or pip install tensorboard)')
    cfg.setdefault('visualizer', ConfigDict(type='Visualizer'))
    backends = list(cfg.visualizer.get('vis_backends') or [])
    if not any(b.get('type') == 'TensorboardVisBackend' for b in backends):
        backends.append(dict(type='TensorboardVisBackend'))
    cfg.visualizer.vis_backends = backends


def build_runner(cfg: Config) -> PoseRunner:
    """Build the runner named by ``runner_type`` (default ``PoseRunner``)."""
    if 'runner_type' in cfg:
        from rtmpose.registry import RUNNERS
        return RUNNERS.build(cfg)
    return PoseRunner.from_cfg(cfg)


def train_parser(prog: str = 'rtmpose train',
                 description: str = 'Train a pose model',
                 default_config: Optional[str] = None
                 ) -> argparse.ArgumentParser:
    """The options of ``rtmpose train``; with ``default_config`` the config
    argument is optional (``rtmpose demo``)."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    if default_config is None:
        parser.add_argument('config', help='train config file path')
    else:
        parser.add_argument('config', nargs='?', default=default_config,
                            help=f'train config (default {default_config})')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from the given checkpoint, or from the latest '
        'checkpoint in the work dir when no path is given')
    parser.add_argument(
        '--amp', action='store_true', help='automatic mixed precision')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the lr by actual batch size / auto_scale_lr.base_batch_size')
    parser.add_argument(
        '--tensorboard',
        action='store_true',
        help='also log to TensorBoard (needs the tensorboard extra)')
    return parser


def run_train(argv: Optional[List[str]] = None):
    """``tools/train.py`` / ``rtmpose train``: train, return the model."""
    return train(parse_cli(train_parser(), argv))


def train(args: argparse.Namespace, cfg_options: Optional[dict] = None):
    """Train with the parsed options of :func:`train_parser`;
    ``cfg_options`` are config settings applied before ``--cfg-options``
    (which may override them)."""
    if cfg_options:
        args.cfg_options = {**cfg_options, **(args.cfg_options or {})}
    cfg = _cfg_from_cli(
        args,
        resume=args.resume,
        amp=args.amp,
        auto_scale_lr=args.auto_scale_lr,
        tensorboard=args.tensorboard)
    return build_runner(cfg).train()


def _cfg_from_cli(args: argparse.Namespace, **options) -> Config:
    """Set the thread count and load the config with the options that the
    train and test tools share, plus ``options`` (see :func:`prepare_cfg`)."""
    set_threads(args.threads)
    return prepare_cfg(
        load_config(args.config),
        config_path=args.config,
        work_dir=args.work_dir,
        cfg_options=args.cfg_options,
        launcher=args.launcher,
        verbose=args.verbose,
        **options)


def test_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog='rtmpose test',
        description='Evaluate a pose model or a detector (a checkpoint, or an '
        'export (.onnx file or mmdeploy directory from rtmpose export) run '
        'with onnxruntime: no flip test)')
    parser.add_argument('config',
                        help='test config file path, or a model name '
                        '(`rtmpose models`)')
    parser.add_argument('checkpoint', nargs='?',
                        help='checkpoint file (path or URL), .onnx file or '
                        'mmdeploy export directory; default for a model '
                        'name: its published weights')
    parser.add_argument('--work-dir', help='the dir to save logs')
    parser.add_argument(
        '--dump',
        type=str,
        help='write the predictions to this .json file (COCO results format)')
    parser.add_argument('--det-config',
                        help='detector config or name (rtmdet-nano): test '
                        'on its person boxes')
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
                        help="with --det-config: also evaluate on the config's "
                        'own boxes and print both APs')
    return parser


def use_onnx(cfg: Config, onnx_file: str) -> None:
    """Test ``onnx_file`` (a pose model or a detector: an ``.onnx`` file or
    an mmdeploy SDK directory) instead of the config's PyTorch model."""
    if not osp.exists(onnx_file):
        raise FileNotFoundError(f'ONNX model {onnx_file} not found')
    detector = 'bbox_head' in cfg.model
    cfg.model = dict(type='OnnxRTMDet' if detector else
                     'OnnxTopdownEstimator', onnx_file=onnx_file)
    cfg.load_from = None
    # EMA and other training-time hooks act on PyTorch parameters
    cfg.custom_hooks = []


def detect_test_images(pose_cfg: Config, det_config: str, det_checkpoint: str,
                       out_json: str, verbose: bool = False) -> dict:
    """Run the detector over the images of ``pose_cfg``'s test set; write
    its boxes to ``out_json`` (COCO detection results) and return its box
    metrics on that set's annotations."""
    pose_ds = pose_cfg.test_dataloader.dataset
    det_cfg = prepare_cfg(
        load_config(det_config),
        config_path=det_config,
        work_dir=osp.join(pose_cfg.work_dir, 'detector'),
        load_from=det_checkpoint,
        verbose=verbose)
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


def _ap_summary(metrics: dict) -> str:
    return ' '.join(f'{k}: {v:.4f}' for k, v in metrics.items()
                    if isinstance(v, float) and k.endswith(('/AP', '/AR')))


def run_test(argv: Optional[List[str]] = None) -> dict:
    """``tools/test.py`` / ``rtmpose test``: evaluate, print the metrics
    (one line) and return them. With ``--det-config`` the pose model is
    evaluated on the detector's boxes of the test images (the papers'
    protocol), and the detector's box AP is printed too."""
    parser = test_parser()
    hub.add_weights_dir_argument(parser)
    args = parse_cli(parser, argv)
    hub.set_weights_dir(args.weights_dir)
    args.config, args.checkpoint, _ = model_index.resolve(
        args.config, args.checkpoint)
    if args.checkpoint is None:
        parser.error(f'{args.config} is no model name: give a checkpoint')
    if args.det_config:
        args.det_config, args.det_checkpoint, _ = model_index.resolve(
            args.det_config, args.det_checkpoint)
    if (args.det_config is None) != (args.det_checkpoint is None):
        parser.error('--det-config and --det-checkpoint go together')
    if (args.dump_det or args.compare_gt_boxes) and not args.det_config:
        parser.error('--dump-det and --compare-gt-boxes need --det-config')
    cfg = _cfg_from_cli(args, load_from=args.checkpoint)
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
        if is_export(args.checkpoint):
            use_onnx(gt_cfg, args.checkpoint)
        gt_metrics = build_runner(gt_cfg).test()
    if args.det_config:
        det_json = args.dump_det or osp.join(cfg.work_dir, 'detections.json')
        det_metrics = detect_test_images(cfg, args.det_config,
                                         args.det_checkpoint, det_json,
                                         args.verbose)
        echo(f'detected boxes: {det_json}')
        cfg.test_dataloader.dataset.bbox_file = det_json
        cfg.test_dataloader.dataset.filter_cfg = dict(
            bbox_score_thr=args.det_score_thr)
    if is_export(args.checkpoint):
        use_onnx(cfg, args.checkpoint)
    metrics = build_runner(cfg).test()
    echo(format_metrics({**det_metrics, **metrics}))
    if gt_metrics:
        echo('on detected boxes: ' + _ap_summary(metrics) +
             "\non the config's boxes: " + _ap_summary(gt_metrics))
    return metrics
