"""Evaluate a checkpoint: ``python tools/test.py CONFIG CHECKPOINT [options]``
(the same as ``rtmpose test``; ``--help`` lists the options).

CHECKPOINT may also be an ONNX file from ``tools/deploy/export_onnx.py``
(fp32 or ``--int8``): the config's test data then runs through onnxruntime
(no flip test; the graph has none), to compare an export's AP with the
checkpoint's.
"""
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from rtmpose.engine.launch import run_test  # noqa: E402

if __name__ == '__main__':
    run_test()
