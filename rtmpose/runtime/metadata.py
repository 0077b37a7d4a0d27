"""What an exported model carries about itself (ONNX ``metadata_props``).

The exporter stores one JSON string under :data:`METADATA_KEY`::

    format_version      2
    input_size          [w, h] pixels of the crops
    outputs             the codec's output kind (registered in
                        ``rtmpose.codecs.output_kinds``, which names the
                        outputs: 'simcc': simcc_x (N, K, Wx), simcc_y
                        (N, K, Wy); 'heatmaps': heatmaps (N, K, H, W)) or
                        'keypoints' (decoded in the graph: keypoints
                        (N, K, 2) input pixels, scores (N, K))
    decode              the codec's ``decode_args()``: keyword arguments
                        of its output kind's ``decode``
    bbox_padding        box padding of the crops (the model's input spec)
    use_udp             whether the crops use unbiased data processing
    dataset_meta        dataset_name, keypoint_names, flip_indices,
                        skeleton_links, keypoint_colors,
                        skeleton_link_colors (RGB), sigmas
    quantization        only in int8 models (``quantize_int8``): dtype,
                        ops, quantized_nodes, calibration (method),
                        calibration_crops

The graph input ``crops`` is (N, h, w, 3) uint8 BGR; normalisation happens
inside the graph.

Exported detectors (``rtmpose.deploy.export_detector``) carry ``task``
``'detection'`` and::

    format_version      2
    input_size          [w, h] pixels of the letterboxed image
    pad_val             padding value of the letterbox (RTMDet: 114)
    level_sizes         priors per feature level, in output order
    postprocess         score_thr, nms_pre, iou_threshold, max_per_img,
                        min_bbox_size of the model's test_cfg
    classes             class names, in label order
    quantization        as above, in int8 models

Their graph input ``images`` is (1, h, w, 3) uint8 BGR (resized keeping the
ratio, padded right and bottom); outputs ``scores`` (1, A, C) sigmoid and
``boxes`` (1, A, 4) xyxy input pixels over all A priors.

The ``end2end.onnx`` of an mmdeploy SDK directory (``rtmpose.deploy.
export_sdk``) carries the same keys plus::

    input_format        name ('input'), mean, std, to_rgb: the graph takes
                        float32 (N, 3, h, w) normalised outside it (channels
                        swapped to RGB first when to_rgb)
    outputs             detectors: 'dets' (dets (1, D, 5) xyxy input
                        pixels + score, labels (1, D), post-processed in
                        the graph)
    precision           'fp16' in float16 graphs
"""
import json

from rtmpose.fileio import atomic_path

METADATA_KEY = 'rtmpose'
FORMAT_VERSION = 2
INPUT_NAME = 'crops'
# outputs of a graph that decodes ('keypoints'); the others are named by
# their output kind
DECODED_OUTPUTS = ('keypoints', 'scores')
DET_INPUT_NAME = 'images'
DET_OUTPUTS = ('scores', 'boxes')
_REQUIRED = {
    'pose': ('format_version', 'input_size', 'outputs', 'decode',
             'bbox_padding', 'use_udp', 'dataset_meta'),
    'detection': ('format_version', 'input_size', 'pad_val', 'level_sizes',
                  'postprocess', 'classes'),
}


def parse_metadata(text: str, source: str) -> dict:
    """JSON metadata string of ``source`` (a file name, for errors) -> dict,
    checked for the keys above (of its ``task``, default ``'pose'``)."""
    meta = json.loads(text)
    task = meta.get('task', 'pose')
    if task not in _REQUIRED:
        raise ValueError(f'{source}: unknown rtmpose model task {task!r}')
    missing = [key for key in _REQUIRED[task] if key not in meta]
    if missing:
        raise KeyError(f'{source}: rtmpose metadata lacks {missing}')
    if meta['format_version'] != FORMAT_VERSION:
        raise ValueError(f'{source}: metadata format_version '
                         f'{meta["format_version"]}, this runtime reads '
                         f'{FORMAT_VERSION}; re-export the model')
    return meta


def save_with_metadata(proto, meta: dict, path: str) -> None:
    """Check the ``onnx.ModelProto`` ``proto``, set ``meta`` as its rtmpose
    metadata (replacing any) and write it to ``path``: under a temporary
    name, renamed when complete, so an interrupted write never leaves a
    truncated model there. Needs the ``onnx`` package."""
    import onnx

    del proto.metadata_props[:]
    onnx.helper.set_model_props(proto, {METADATA_KEY: json.dumps(meta)})
    onnx.checker.check_model(proto)
    with atomic_path(path) as partial:
        onnx.save(proto, partial)
