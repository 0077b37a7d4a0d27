"""Opening an exported model: an onnxruntime session and its metadata."""
import os.path as osp
from typing import Optional, Sequence, Tuple

from .metadata import METADATA_KEY, parse_metadata


def open_session(onnx_file: str,
                 what: str,
                 num_threads: Optional[int] = None,
                 providers: Sequence[str] = ('CPUExecutionProvider', )
                 ) -> Tuple[object, dict]:
    """``(onnxruntime.InferenceSession, metadata dict)`` of ``onnx_file``
    (``what``, e.g. ``'ONNX model'``, names it in errors); ``num_threads``
    intra-op threads (default: onnxruntime's choice)."""
    import onnxruntime as ort  # lazily: crops and decoding need not

    if not osp.isfile(onnx_file):
        raise FileNotFoundError(f'{what} {onnx_file} not found')
    options = ort.SessionOptions()
    if num_threads is not None:
        options.intra_op_num_threads = num_threads
        options.inter_op_num_threads = 1
    session = ort.InferenceSession(onnx_file, options,
                                   providers=list(providers))
    custom = session.get_modelmeta().custom_metadata_map
    if METADATA_KEY not in custom:
        raise KeyError(f'{onnx_file} has no {METADATA_KEY!r} metadata; '
                       'export it with tools/deploy/export_onnx.py')
    return session, parse_metadata(custom[METADATA_KEY], onnx_file)
