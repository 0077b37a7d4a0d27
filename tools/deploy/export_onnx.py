"""``rtmpose export``: export to ONNX (rtmpose/cli/export.py)."""
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))

from rtmpose.cli.export import main  # noqa: E402

if __name__ == '__main__':
    main()
