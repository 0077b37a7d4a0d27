"""Train a pose model: ``python tools/train.py CONFIG [options]``
(the same as ``rtmpose train``; ``--help`` lists the options)."""
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from rtmpose.engine.launch import run_train  # noqa: E402

if __name__ == '__main__':
    run_train()
