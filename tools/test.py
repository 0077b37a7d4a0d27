"""Evaluate a checkpoint: ``python tools/test.py CONFIG CHECKPOINT [options]``
(the same as ``rtmpose test``; ``--help`` lists the options).

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
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from rtmpose.engine.launch import run_test  # noqa: E402

if __name__ == '__main__':
    run_test()
