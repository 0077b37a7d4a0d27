"""The ``rtmpose`` command: one entry point to the tools.

::

    rtmpose train CONFIG [options]                 tools/train.py
    rtmpose test CONFIG CHECKPOINT [options]       tools/test.py
    rtmpose predict CONFIG CHECKPOINT --input X --output Y [options]
                                                   rtmpose/cli/predict.py
    rtmpose export CONFIG CHECKPOINT --output m.onnx [options]
                                                   rtmpose/cli/export.py
    rtmpose benchmark [options]                    rtmpose/cli/benchmark.py
    rtmpose demo [--max-epochs N] [--images N]     rtmpose/cli/demo.py
    rtmpose plot WORK_DIR [--out results.png]      a run's curves
    rtmpose models [--task T]                      the models known by name

Each command takes the options of the script it stands for (``rtmpose
train --help``). ``train`` and ``test`` run :mod:`rtmpose.engine.launch`
like the scripts; ``predict``, ``export`` and ``benchmark`` run the modules
of this package that ``demo/topdown_demo.py``, ``tools/deploy/export_onnx.py``
and ``tools/analysis/benchmark.py`` wrap; ``demo`` trains RTMPose-t on
generated synthetic people. Configs are named by their repository-relative
path (``configs/rtmpose/...``), shipped inside the package: every command
runs from an installed wheel in any directory. ``train``, ``test`` and ``demo``
use ``--threads N`` torch threads (default: ``OMP_NUM_THREADS`` if set, else
the physical cores), with a warning when the machine is busy.
"""
import argparse
import difflib
import importlib
import os.path as osp
import sys
from typing import List, Optional


def _module_main(name: str):
    """``main(argv)`` of ``rtmpose.cli.NAME``, imported when run."""

    def run(argv):
        module = importlib.import_module(f'rtmpose.cli.{name}')
        return module.main(list(argv))

    return run


def _train(argv):
    from rtmpose.engine.launch import run_train
    return run_train(argv)


def _test(argv):
    from rtmpose.engine.launch import run_test
    return run_test(argv)


def _plot(argv):
    parser = argparse.ArgumentParser(
        prog='rtmpose plot',
        description='Write results.png (loss terms, lr, acc_pose, validation '
        'metrics per epoch) of a training work dir')
    parser.add_argument('work_dir')
    parser.add_argument('--out', help='PNG file (default WORK_DIR/results.png)')
    args = parser.parse_args(argv)
    from rtmpose.visualization.training_curves import (RESULTS_FILE,
                                                       plot_training_curves)
    out = args.out or osp.join(args.work_dir, RESULTS_FILE)
    panels = plot_training_curves(args.work_dir, out)
    print(f'wrote {out}: ' + ', '.join(panels))
    return panels


COMMANDS = {
    'train': _train,
    'test': _test,
    'predict': _module_main('predict'),
    'export': _module_main('export'),
    'benchmark': _module_main('benchmark'),
    'demo': _module_main('demo'),
    'plot': _plot,
    'models': _module_main('models'),
}


def main(argv: Optional[List[str]] = None):
    """Dispatch ``rtmpose COMMAND ARGS...``; returns what the command does."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in ('-h', '--help'):
        print(__doc__)
        return None
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        close = difflib.get_close_matches(name, COMMANDS, n=1)
        hint = f' (did you mean "{close[0]}"?)' if close else ''
        raise SystemExit(f'rtmpose: unknown command "{name}"{hint}; '
                         f'commands: {", ".join(COMMANDS)}')
    return COMMANDS[name](rest)


def console_main() -> None:
    """The ``rtmpose`` console script (exit status 0 on success; weights
    that cannot be fetched end it with their message, no traceback)."""
    from rtmpose.hub import WeightsUnavailableError
    try:
        main()
    except WeightsUnavailableError as err:
        raise SystemExit(f'rtmpose: {err}') from err
