"""What a kind of model output needs outside training: its names in an
exported graph, its exact numpy decoding (the codecs, the torch-free
runtime) and a plain argmax an exported graph can hold.

A codec's ``kind`` names one of these. The decoding modules register the
built-in kinds ('simcc', 'heatmaps') when imported (``rtmpose.codecs``
imports them); a new kind registers itself in the module of its codec.
Needs neither torch nor mmengine: the graph argmax functions use tensor
methods only.
"""
from dataclasses import dataclass
from typing import Callable, Dict, Sequence, Tuple

import numpy as np


@dataclass(frozen=True)
class OutputKind:
    """One kind of model outputs.

    Attributes:
        name: the codecs' ``kind`` and the exported metadata's ``outputs``.
        output_names: the graph's output names, in the head's order.
        decode: ``decode(*outputs, **decode_args)`` numpy arrays ->
            keypoints (N, K, 2) input pixels (-1 where not found) and scores
            (N, K); ``decode_args`` are a codec's ``decode_args()``.
        graph_argmax: ``graph_argmax(*outputs)`` tensors -> x and y
            locations (N, K) in output units (bins, heatmap pixels) and
            scores (N, K), by a plain argmax (tensor methods only).
    """

    name: str
    output_names: Tuple[str, ...]
    decode: Callable[..., Tuple[np.ndarray, np.ndarray]]
    graph_argmax: Callable

    def __post_init__(self):
        if self.name == 'keypoints':  # the metadata's 'decoded in the graph'
            raise ValueError("'keypoints' is reserved for models that "
                             'decode in the graph')


OUTPUT_KINDS: Dict[str, OutputKind] = {}


def register_output_kind(kind: OutputKind) -> OutputKind:
    """Add ``kind`` to :data:`OUTPUT_KINDS` (a name is registered once)."""
    known = OUTPUT_KINDS.get(kind.name)
    if known is not None and known != kind:
        raise KeyError(f'output kind {kind.name!r} is already registered')
    OUTPUT_KINDS[kind.name] = kind
    return kind


def get_output_kind(name: str) -> OutputKind:
    """The registered kind ``name``; a clear error for unknown names."""
    if name not in OUTPUT_KINDS:
        raise ValueError(f'unknown codec output kind {name!r}; registered: '
                         f'{sorted(OUTPUT_KINDS)} (import the module that '
                         'registers it)')
    return OUTPUT_KINDS[name]


def decode_by_kind(name: str, outputs: Sequence[np.ndarray],
                   decode_args: dict) -> Tuple[np.ndarray, np.ndarray]:
    """Decode model ``outputs`` of kind ``name`` with a codec's
    ``decode_args()``."""
    return get_output_kind(name).decode(*outputs, **decode_args)
