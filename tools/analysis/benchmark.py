"""``rtmpose benchmark``: the speed benchmark (rtmpose/cli/benchmark.py)."""
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

from rtmpose.cli.benchmark import main  # noqa: E402

if __name__ == '__main__':
    main()
