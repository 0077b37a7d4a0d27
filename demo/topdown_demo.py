"""``rtmpose predict``: the top-down pose demo (rtmpose/cli/predict.py)."""
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from rtmpose.cli.predict import main  # noqa: E402

if __name__ == '__main__':
    main()
