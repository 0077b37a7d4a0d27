"""Opening an exported model: an onnxruntime session on a device and the
model's metadata. An export is an ``.onnx`` file or an mmdeploy SDK
directory (its ``end2end.onnx``)."""
import os.path as osp
from typing import List, Optional, Tuple

from .metadata import METADATA_KEY, parse_metadata

# device name -> onnxruntime execution provider
PROVIDERS = dict(cpu='CPUExecutionProvider',
                 cuda='CUDAExecutionProvider',
                 tensorrt='TensorrtExecutionProvider',
                 openvino='OpenVINOExecutionProvider',
                 coreml='CoreMLExecutionProvider',
                 directml='DmlExecutionProvider')
SDK_NET_FILE = 'end2end.onnx'


def providers_for(device: str = 'cpu') -> List:
    """onnxruntime providers for ``device``: 'cpu', 'cuda' / 'cuda:N',
    'tensorrt', 'openvino', 'coreml', 'directml' (CPU behind it for the
    ops it lacks). Raises ValueError naming the installed providers when
    the device's is not installed."""
    import onnxruntime as ort

    name, _, index = str(device).lower().partition(':')
    if name not in PROVIDERS:
        raise ValueError(f'unknown device {device!r}; expected one of '
                         f'{sorted(PROVIDERS)} (cuda:N for a GPU index)')
    provider = PROVIDERS[name]
    available = ort.get_available_providers()
    if provider not in available:
        raise ValueError(
            f'device {device!r} needs onnxruntime\'s {provider}, which this '
            f'onnxruntime {ort.__version__} does not have; installed: '
            f'{", ".join(available)} (e.g. pip install onnxruntime-gpu for '
            'cuda, onnxruntime-openvino for openvino)')
    if name == 'cpu':
        return [provider]
    options = {'device_id': int(index)} if index else {}
    return [(provider, options), PROVIDERS['cpu']]


def model_file(path: str) -> str:
    """The .onnx file of an export: ``path`` itself, or an SDK
    directory's ``end2end.onnx``."""
    if osp.isdir(path):
        return osp.join(path, SDK_NET_FILE)
    return path


def is_export(path) -> bool:
    """Whether ``path`` names an export: an ``.onnx`` file or a directory
    with an ``end2end.onnx`` (mmdeploy SDK model)."""
    path = str(path)
    return path.endswith('.onnx') or osp.isfile(osp.join(path, SDK_NET_FILE))


def open_session(onnx_file: str,
                 what: str,
                 num_threads: Optional[int] = None,
                 device: str = 'cpu') -> Tuple[object, dict]:
    """``(onnxruntime.InferenceSession, metadata dict)`` of the export at
    ``onnx_file`` (``what``, e.g. ``'ONNX model'``, names it in errors) on
    ``device`` (see :func:`providers_for`); ``num_threads`` intra-op
    threads (default: onnxruntime's choice)."""
    import onnxruntime as ort  # lazily: crops and decoding need not

    path = model_file(onnx_file)
    if not osp.isfile(path):
        raise FileNotFoundError(f'{what} {path} not found')
    providers = providers_for(device)
    options = ort.SessionOptions()
    if num_threads is not None:
        options.intra_op_num_threads = num_threads
        options.inter_op_num_threads = 1
    session = ort.InferenceSession(path, options, providers=providers)
    custom = session.get_modelmeta().custom_metadata_map
    if METADATA_KEY not in custom:
        raise KeyError(f'{path} has no {METADATA_KEY!r} metadata; '
                       'export it with tools/deploy/export_onnx.py')
    return session, parse_metadata(custom[METADATA_KEY], path)
