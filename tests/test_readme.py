"""The README's first Python example runs as printed: ``PoseInferencer(
'body')`` over an image, keypoints (N, 17, 2) image pixels, ``plot()`` the
frame with the skeletons. The solution's two models are served as local
checkpoints (the demo pose model, an RTMDet-nano whose scores clear the
default threshold) instead of the published downloads."""
import dataclasses
import re
from pathlib import Path

import cv2
import numpy as np
import torch

from rtmpose import model_index
from rtmpose.apis import init_model
from rtmpose.datasets.synthetic import make_synthetic_video

README = Path(__file__).resolve().parents[1] / 'README.md'


def first_python_example() -> str:
    text = README.read_text()
    section = text[text.index('## Poses on your photo'):]
    return re.search(r'```python\n(.*?)```', section, re.S).group(1)


def _local_weights(tmp_path, name, config, model) -> model_index.ModelInfo:
    path = tmp_path / f'{name}.pth'
    torch.save(dict(state_dict=model.state_dict()), path)
    return dataclasses.replace(model_index.MODELS[name], config=config,
                               weights=str(path), sha256=None)


def test_first_python_example(tmp_path, monkeypatch):
    torch.manual_seed(0)
    det_config = 'configs/rtmdet/person/rtmdet_nano_320-8xb32_coco-person.py'
    det = init_model(det_config)
    with torch.no_grad():  # scores 0.62 at stride 16, boxes 2 strides wide
        for conv, bias in zip(det.bbox_head.rtm_cls, (-1.5, 0.5, -0.5)):
            conv.bias.fill_(bias)
        for conv in det.bbox_head.rtm_reg:
            conv.bias.fill_(1.0)
    demo_config = 'configs/demo/rtmpose-t_demo.py'
    models = dict(model_index.MODELS)
    models['rtmdet-nano'] = _local_weights(tmp_path, 'rtmdet-nano',
                                           det_config, det)
    models['rtmpose-m'] = _local_weights(tmp_path, 'rtmpose-m', demo_config,
                                         init_model(demo_config))
    monkeypatch.setattr(model_index, 'MODELS', models)
    photo = make_synthetic_video(tmp_path / 'sample', num_frames=1)[
        'frames'][0]
    cv2.imwrite(str(tmp_path / 'photo.jpg'), photo)
    monkeypatch.chdir(tmp_path)

    scope = {}
    exec(first_python_example(), scope)
    keypoints, image = scope['keypoints'], scope['image']
    assert keypoints.ndim == 3 and keypoints.shape[0] > 0
    assert keypoints.shape[1:] == (17, 2) and keypoints.dtype == np.float32
    assert image.shape == photo.shape and image.dtype == np.uint8
    assert (image != cv2.imread('photo.jpg')).any()  # skeletons drawn
