"""The three JSON files of an mmdeploy 1.3 SDK model directory, as
mmdeploy's ``export2SDK`` writes them for ONNX Runtime
(``deploy.json``: the SDK class and the net file; ``pipeline.json``:
preprocess -> net -> postprocess tasks; ``detail.json``: what was
exported). The SDK (``mmdeploy_runtime.PoseDetector`` / ``Detector`` /
``PoseTracker``) runs the directory from these; rtmlib reads only the
``end2end.onnx``. Plain dicts of plain values: no torch here.
"""
import json
import os.path as osp
from typing import Dict, List, Sequence

from rtmpose.fileio import atomic_path

# the mmdeploy release whose SDK reads these files
MMDEPLOY_VERSION = '1.3.1'
NET_FILE = 'end2end.onnx'
INPUT_NAME = 'input'
# mmdeploy's output names of the ONNX graphs, by codec kind / task
POSE_OUTPUT_NAMES = dict(simcc=('simcc_x', 'simcc_y'), heatmaps=('output', ))
DET_OUTPUT_NAMES = ('dets', 'labels')
# the meta keys mmdeploy's pose and detection pipelines collect
_POSE_META_KEYS = [
    'img_shape', 'pad_shape', 'ori_shape', 'img_norm_cfg', 'scale_factor',
    'bbox_score', 'center', 'scale'
]
_DET_META_KEYS = [
    'ori_filename', 'ori_shape', 'filename', 'img_shape', 'pad_shape',
    'scale_factor', 'flip', 'flip_direction', 'img_norm_cfg', 'valid_ratio',
    'pad_param', 'img_id', 'img_path'
]


def _normalize(mean: Sequence[float], std: Sequence[float],
               to_rgb: bool) -> dict:
    return dict(type='Normalize',
                mean=[float(v) for v in mean],
                std=[float(v) for v in std],
                to_rgb=bool(to_rgb))


def pose_transforms(input_size: Sequence[int], padding: float, use_udp: bool,
                    mean, std, to_rgb: bool) -> List[dict]:
    """Top-down preprocessing: box -> centre/scale (``padding``), affine
    crop to ``input_size`` (w, h), normalise, to a tensor."""
    size = [int(v) for v in input_size]
    affine = dict(type='TopDownAffine', image_size=size)
    if use_udp:
        affine['use_udp'] = True
    return [
        dict(type='LoadImageFromFile'),
        dict(type='TopDownGetBboxCenterScale',
             padding=float(padding),
             image_size=size), affine,
        _normalize(mean, std, to_rgb),
        dict(type='ImageToTensor', keys=['img']),
        dict(type='Collect', keys=['img'], meta_keys=_POSE_META_KEYS)
    ]


def pose_postprocess(kind: str, codec: dict, test_cfg: dict,
                     use_udp: bool) -> dict:
    """The SDK decode component of codec ``kind`` ('simcc' or 'heatmaps';
    mmdeploy has no other) with the codec's config dict and the model's
    ``test_cfg`` as params; ``use_udp``: the model's input spec's."""
    params = dict(test_cfg)
    params.update(codec)
    if kind == 'simcc':
        params['export_postprocess'] = False
        return dict(type='SimCCLabelDecode', params=params)
    if kind == 'heatmaps':
        params['post_process'] = 'default'
        if use_udp:
            params['use_udp'] = True
        return dict(type='TopdownHeatmapSimpleHeadDecode', params=params)
    raise ValueError(f'no mmdeploy SDK decoder for codec kind {kind!r}')


def det_transforms(input_size: Sequence[int], pad_val: float,
                   size_divisor: int, mean, std, to_rgb: bool) -> List[dict]:
    """Detector preprocessing: keep-ratio resize into ``input_size``
    (w, h), pad to it, normalise, pad to a multiple of ``size_divisor``
    (the data preprocessor's), to a tensor (mmdeploy's order)."""
    size = [int(v) for v in input_size]
    return [
        dict(type='LoadImageFromFile'),
        dict(type='Resize', keep_ratio=True, size=size),
        dict(type='Pad', size=size, pad_val=dict(img=[float(pad_val)] * 3)),
        _normalize(mean, std, to_rgb),
        dict(type='Pad', size_divisor=int(size_divisor)),
        dict(type='DefaultFormatBundle'),
        dict(type='Collect', keys=['img'], meta_keys=_DET_META_KEYS)
    ]


def sdk_files(task: str, name: str, transforms: List[dict],
              postprocess: dict, output_names: Sequence[str],
              dynamic_batch: bool, precision: str, input_size: Sequence[int],
              opset: int, config: str, checkpoint: str) -> Dict[str, dict]:
    """``{'deploy.json': ..., 'pipeline.json': ..., 'detail.json': ...}``.

    Args:
        task: 'PoseDetection' or 'ObjectDetection'.
        name: the model name (mmdeploy: the model type in lower case).
        transforms, postprocess: from the functions above (postprocess
            ``type`` is the SDK component, ``params`` its settings).
        output_names: the graph's outputs.
        dynamic_batch: the graph's batch dim is free.
        precision: 'FP32' or 'FP16' (int8 graphs say FP32: they are QDQ
            graphs with float inputs, as the SDK sees them).
        input_size: (w, h) of the graph input.
        opset: the graph's ONNX opset.
        config, checkpoint: where the model came from (informational).
    """
    sdk_class, codebase, module = dict(
        PoseDetection=('PoseDetector', 'mmpose', 'mmpose'),
        ObjectDetection=('Detector', 'mmdet', 'mmdet'))[task]
    axes = {n: {0: 'batch'} for n in (INPUT_NAME, ) + tuple(output_names)}
    deploy = dict(version=MMDEPLOY_VERSION,
                  task=sdk_class,
                  models=[
                      dict(name=name,
                           net=NET_FILE,
                           weights='',
                           backend='onnxruntime',
                           precision=precision,
                           batch_size=1,
                           dynamic_shape=bool(dynamic_batch))
                  ],
                  customs=[])
    pipeline = dict(pipeline=dict(
        input=['img'],
        output=['post_output'],
        tasks=[
            dict(type='Task',
                 module='Transform',
                 name='Preprocess',
                 input=['img'],
                 output=['prep_output'],
                 transforms=transforms),
            dict(name=name,
                 type='Task',
                 module='Net',
                 is_batched=bool(dynamic_batch),
                 input=['prep_output'],
                 output=['infer_output'],
                 input_map=dict(img=INPUT_NAME),
                 output_map={}),
            dict(type='Task',
                 module=module,
                 name='postprocess',
                 component=postprocess['type'],
                 params=postprocess.get('params', {}),
                 output=['post_output'],
                 input=['prep_output', 'infer_output'])
        ]))
    detail = dict(version=MMDEPLOY_VERSION,
                  codebase=dict(task=task,
                                codebase=codebase,
                                version='1.3.2' if codebase == 'mmpose' else
                                '3.3.0',
                                pth=checkpoint,
                                config=config),
                  codebase_config=dict(type=codebase, task=task),
                  onnx_config=dict(
                      type='onnx',
                      export_params=True,
                      keep_initializers_as_inputs=False,
                      opset_version=int(opset),
                      save_file=NET_FILE,
                      input_names=[INPUT_NAME],
                      output_names=list(output_names),
                      input_shape=[int(v) for v in input_size],
                      optimize=True,
                      dynamic_axes=axes if dynamic_batch else None),
                  backend_config=dict(type='onnxruntime'),
                  calib_config={})
    return {
        'deploy.json': deploy,
        'pipeline.json': pipeline,
        'detail.json': detail
    }


def write_sdk_files(files: Dict[str, dict], out_dir: str) -> None:
    """Write each JSON (indent 4, key order kept, as mmengine.dump)."""
    for name, content in files.items():
        with atomic_path(osp.join(out_dir, name)) as partial:
            with open(partial, 'w') as f:
                json.dump(content, f, indent=4)
