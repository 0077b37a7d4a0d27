"""Published models by name: ``init_model('rtmpose-m')``,
``PoseInferencer('body')``, ``rtmpose predict body ...``.

Each name stands for a config of this toolbox (a repository-relative name,
found by :func:`rtmpose.config_loading.find_config` in a checkout or a
wheel), the checkpoint the reference (mmpose 1.x) published for it, the
first 8 hex digits of that file's sha256 (checked before it is loaded, see
:mod:`rtmpose.hub`), its input size, training data and the reference's
reported AP. URLs, hashes and APs are those of mmpose's model index files
(``configs/**/*.yml``) and, for models only listed there
(RTMDet person, RTMPose-x whole-body), ``projects/rtmpose/README.md``.
``params_m`` is this toolbox's parameter count of the built model.

A solution names a detector and a pose model that run together.

``$RTMPOSE_MODEL_INDEX`` may name a JSON file that changes or adds entries
(``{"rtmpose-m": {"weights": "file:///mirror/m.pth", "sha256": "1a2b3c4d"}}``;
a new name needs every field): a private mirror, or tests that serve tiny
checkpoints from a local folder.
"""
import difflib
import json
import os
from dataclasses import dataclass, fields, replace
from typing import Dict, Optional, Tuple

from rtmpose import hub

_RTMPOSE = 'https://download.openmmlab.com/mmpose/v1/projects/rtmposev1/'
_VITPOSE = ('https://download.openmmlab.com/mmpose/v1/body_2d_keypoint/'
            'topdown_heatmap/coco/')
_RTMDET = 'https://download.openmmlab.com/mmpose/v1/projects/rtmpose/'


@dataclass(frozen=True)
class ModelInfo:
    """One published model.

    Attributes:
        name: the name to ask for it by.
        task: ``'body'`` (17 COCO keypoints), ``'wholebody'`` (133) or
            ``'detection'`` (person boxes).
        config: repository-relative config name.
        weights: URL of the published checkpoint.
        sha256: first hex digits of that file's sha256 (OpenMMLab's file
            names carry them: :func:`rtmpose.hub.expected_sha256`).
        input_size: network input (w, h) in pixels.
        dataset: training data.
        ap: the reference's AP on COCO val2017 (keypoint AP of the body
            models with the reference's person boxes, whole-body AP, or
            person box AP), in percent.
        params_m: parameters of the built model, millions.
    """
    name: str
    task: str
    config: str
    weights: str
    sha256: Optional[str]
    input_size: Tuple[int, int]
    dataset: str
    ap: float
    params_m: float


@dataclass(frozen=True)
class Solution:
    """A detector and a pose model that run together."""
    name: str
    detector: str
    pose: str
    description: str


def _rtmpose(size, data, input_size, file, ap, params, name=None,
             tag=None):
    tag = tag or ('aic-coco' if data == 'AIC+COCO' else 'coco')
    w, h = input_size
    return ModelInfo(
        name=name or f'rtmpose-{size}', task='body',
        config=f'configs/rtmpose/coco/rtmpose-{size}_8xb256-420e_{tag}-'
        f'{h}x{w}.py', weights=_RTMPOSE + file,
        sha256=hub.expected_sha256(_RTMPOSE + file),
        input_size=input_size, dataset=data, ap=ap, params_m=params)


def _wholebody(size, batch, input_size, file, ap, params, name):
    w, h = input_size
    return ModelInfo(
        name=name, task='wholebody',
        config=f'configs/rtmpose/wholebody/rtmpose-{size}_8xb{batch}-270e_'
        f'coco-wholebody-{h}x{w}.py', weights=_RTMPOSE + file,
        sha256=hub.expected_sha256(_RTMPOSE + file), input_size=input_size,
        dataset='COCO-WholeBody', ap=ap, params_m=params)


def _vitpose(size, simple, file, ap, params):
    kind = f'{size}-simple' if simple else size
    return ModelInfo(
        name=f'vitpose-{size[0]}' + ('-simple' if simple else ''),
        task='body',
        config=f'configs/vitpose/coco/vitpose-{kind}_8xb64-210e_coco-256x192'
        '.py', weights=_VITPOSE + file,
        sha256=hub.expected_sha256(_VITPOSE + file),
        input_size=(192, 256), dataset='COCO', ap=ap, params_m=params)


_MODELS = (
    # AIC+COCO 256x192: configs/body_2d_keypoint/rtmpose/coco/rtmpose_coco.yml
    _rtmpose('t', 'AIC+COCO', (192, 256), 'rtmpose-tiny_simcc-aic-coco_pt-'
             'aic-coco_420e-256x192-cfc8f33d_20230126.pth', 68.5, 3.34),
    _rtmpose('s', 'AIC+COCO', (192, 256), 'rtmpose-s_simcc-aic-coco_pt-aic-'
             'coco_420e-256x192-fcb2599b_20230126.pth', 72.2, 5.47),
    _rtmpose('m', 'AIC+COCO', (192, 256), 'rtmpose-m_simcc-aic-coco_pt-aic-'
             'coco_420e-256x192-63eb25f7_20230126.pth', 75.8, 13.59),
    _rtmpose('l', 'AIC+COCO', (192, 256), 'rtmpose-l_simcc-aic-coco_pt-aic-'
             'coco_420e-256x192-f016ffe0_20230126.pth', 76.5, 27.66),
    _rtmpose('m', 'AIC+COCO', (288, 384), 'rtmpose-m_simcc-aic-coco_pt-aic-'
             'coco_420e-384x288-a62a0b32_20230228.pth', 77.0, 13.72,
             name='rtmpose-m-384x288'),
    _rtmpose('l', 'AIC+COCO', (288, 384), 'rtmpose-l_simcc-aic-coco_pt-aic-'
             'coco_420e-384x288-97d6cb0f_20230228.pth', 77.3, 27.79,
             # the reference pairs these weights with its COCO 384x288
             # config (projects/rtmpose); same model and test pipeline
             name='rtmpose-l-384x288', tag='coco'),
    # COCO only, 256x192
    _rtmpose('t', 'COCO', (192, 256), 'rtmpose-tiny_simcc-coco_pt-aic-coco_'
             '420e-256x192-e613ba3f_20230127.pth', 68.2, 3.34,
             name='rtmpose-t-coco'),
    _rtmpose('s', 'COCO', (192, 256), 'rtmpose-s_simcc-coco_pt-aic-coco_'
             '420e-256x192-8edcf0d7_20230127.pth', 71.6, 5.47,
             name='rtmpose-s-coco'),
    _rtmpose('m', 'COCO', (192, 256), 'rtmpose-m_simcc-coco_pt-aic-coco_'
             '420e-256x192-d8dd5ca4_20230127.pth', 74.6, 13.59,
             name='rtmpose-m-coco'),
    _rtmpose('l', 'COCO', (192, 256), 'rtmpose-l_simcc-coco_pt-aic-coco_'
             '420e-256x192-1352a4d2_20230127.pth', 75.8, 27.66,
             name='rtmpose-l-coco'),
    # configs/wholebody_2d_keypoint/rtmpose/coco-wholebody/*.yml (whole AP);
    # x: projects/rtmpose/README.md
    _wholebody('m', 64, (192, 256), 'rtmpose-m_simcc-coco-wholebody_pt-aic-'
               'coco_270e-256x192-cd5e845c_20230123.pth', 58.2, 17.95,
               'rtmpose-m-wholebody'),
    _wholebody('l', 64, (192, 256), 'rtmpose-l_simcc-coco-wholebody_pt-aic-'
               'coco_270e-256x192-6f206314_20230124.pth', 61.1, 33.48,
               'rtmpose-l-wholebody'),
    _wholebody('l', 32, (288, 384), 'rtmpose-l_simcc-coco-wholebody_pt-aic-'
               'coco_270e-384x288-eaeb96c8_20230125.pth', 64.8, 33.61,
               'rtmpose-l-wholebody-384x288'),
    _wholebody('x', 32, (288, 384), 'rtmpose-x_simcc-coco-wholebody_pt-'
               'body7_270e-384x288-401dfc90_20230629.pth', 65.3, 56.71,
               'rtmpose-x-wholebody'),
    # configs/body_2d_keypoint/topdown_heatmap/coco/vitpose_coco.yml
    _vitpose('small', False, 'td-hm_ViTPose-small_8xb64-210e_coco-256x192-'
             '62d7a712_20230314.pth', 73.9, 24.29),
    _vitpose('base', False, 'td-hm_ViTPose-base_8xb64-210e_coco-256x192-'
             '216eae50_20230314.pth', 75.7, 89.99),
    _vitpose('large', False, 'td-hm_ViTPose-large_8xb64-210e_coco-256x192-'
             '53609f55_20230314.pth', 78.2, 308.54),
    _vitpose('huge', False, 'td-hm_ViTPose-huge_8xb64-210e_coco-256x192-'
             'e32adcd4_20230314.pth', 78.8, 637.21),
    _vitpose('small', True, 'td-hm_ViTPose-small-simple_8xb64-210e_coco-'
             '256x192-4c101a76_20230314.pth', 73.6, 21.72),
    _vitpose('base', True, 'td-hm_ViTPose-base-simple_8xb64-210e_coco-'
             '256x192-0b8234ea_20230407.pth', 75.6, 85.91),
    _vitpose('large', True, 'td-hm_ViTPose-large-simple_8xb64-210e_coco-'
             '256x192-3a7ee9e1_20230314.pth', 78.0, 303.45),
    _vitpose('huge', True, 'td-hm_ViTPose-huge-simple_8xb64-210e_coco-'
             '256x192-ffd48c05_20230314.pth', 78.9, 631.11),
    # person detectors: projects/rtmpose/README.md (person box AP)
    ModelInfo('rtmdet-nano', 'detection',
              'configs/rtmdet/person/rtmdet_nano_320-8xb32_coco-person.py',
              _RTMDET + 'rtmdet_nano_8xb32-100e_coco-obj365-person-05d8511e'
              '.pth', '05d8511e', (320, 320), 'COCO+Objects365 person', 40.3,
              0.99),
    ModelInfo('rtmdet-m', 'detection',
              'configs/rtmdet/person/rtmdet_m_640-8xb32_coco-person.py',
              _RTMDET + 'rtmdet_m_8xb32-100e_coco-obj365-person-235e8209.pth',
              '235e8209', (640, 640), 'COCO+Objects365 person', 62.5, 24.66),
)

INDEX_ENV = 'RTMPOSE_MODEL_INDEX'


def with_overrides(models: Dict[str, ModelInfo],
                   path: Optional[str]) -> Dict[str, ModelInfo]:
    """``models`` with the entries of the JSON file ``path`` (name ->
    fields) changed or added; ``path`` None: ``models`` as they are."""
    if not path:
        return models
    with open(path, encoding='utf-8') as f:
        overrides = json.load(f)
    known = {f.name for f in fields(ModelInfo)} - {'name'}
    out = dict(models)
    for name, values in overrides.items():
        unknown = set(values) - known
        if unknown:
            raise ValueError(f'{path}: {name}: unknown fields '
                             f'{sorted(unknown)}; known: {sorted(known)}')
        if 'input_size' in values:
            values = dict(values, input_size=tuple(values['input_size']))
        if name in out:
            out[name] = replace(out[name], **values)
        elif set(values) == known:
            out[name] = ModelInfo(name=name, **values)
        else:
            raise ValueError(f'{path}: the new model {name} needs every '
                             f'field; missing {sorted(known - set(values))}')
    return out


MODELS: Dict[str, ModelInfo] = with_overrides({m.name: m for m in _MODELS},
                                              os.environ.get(INDEX_ENV))

SOLUTIONS: Dict[str, Solution] = {
    s.name: s
    for s in (
        Solution('body', 'rtmdet-nano', 'rtmpose-m',
                 'people, 17 keypoints, real-time on a CPU'),
        Solution('body-accurate', 'rtmdet-m', 'rtmpose-l-384x288',
                 'people, 17 keypoints, the most accurate RTMPose'),
        Solution('wholebody', 'rtmdet-m', 'rtmpose-m-wholebody',
                 'people, 133 keypoints: body, feet, face, hands'),
    )
}


def is_name(spec) -> bool:
    """Whether ``spec`` is a model or solution name (not a path)."""
    return isinstance(spec, str) and (spec in MODELS or spec in SOLUTIONS)


def get_model(name: str) -> ModelInfo:
    """The model of ``name``; an unknown name is an error that suggests
    the closest ones."""
    if name in MODELS:
        return MODELS[name]
    close = difflib.get_close_matches(name, list(MODELS) + list(SOLUTIONS))
    hint = f'; did you mean {", ".join(close)}?' if close else ''
    raise KeyError(f'unknown model name {name!r}{hint} (`rtmpose models` '
                   'lists them)')


def resolve(spec: str, checkpoint: Optional[str] = None
            ) -> Tuple[str, Optional[str], Optional[str]]:
    """``(config, checkpoint, sha256)`` for a model name or a config path.

    A name gives its config and published weights (``checkpoint`` replaces
    them, e.g. a local copy); a path comes back as given, with no hash. A
    solution name is refused: it stands for two models."""
    if spec in SOLUTIONS:
        raise ValueError(
            f'{spec!r} is a solution ({SOLUTIONS[spec].detector} + '
            f'{SOLUTIONS[spec].pose}): use it with PoseInferencer({spec!r}) '
            f'or `rtmpose predict {spec}`, or name one of its models')
    if spec not in MODELS:
        return spec, checkpoint, None
    model = MODELS[spec]
    if checkpoint is not None:
        return model.config, checkpoint, None
    return model.config, model.weights, model.sha256


def solution(name: str) -> Solution:
    if name not in SOLUTIONS:
        raise KeyError(f'unknown solution {name!r}; solutions: '
                       f'{", ".join(SOLUTIONS)}')
    return SOLUTIONS[name]


def cached_weights(model: ModelInfo) -> Optional[str]:
    """The local copy of ``model``'s weights, or ``None`` (its hash is
    checked when it is loaded, not here: hashing every file would make a
    listing slow)."""
    return hub.find_cached(model.weights)
