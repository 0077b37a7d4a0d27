"""Built RTMPose models match the reference checkpoints key for key."""
from pathlib import Path

import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope

from listings import assert_matches_listing

import rtmpose.models  # noqa: F401  (registers the model parts)
from rtmpose.registry import MODELS

REPO = Path(__file__).resolve().parents[2]
CONFIGS = REPO / 'configs' / 'rtmpose' / 'coco'

# listing -> config whose model it was built from (the AIC+COCO models share
# the architecture of the COCO 384x288 configs)
LISTING_CONFIG = {
    'rtmpose-t_coco-256x192': 'rtmpose-t_8xb256-420e_coco-256x192.py',
    'rtmpose-s_coco-256x192': 'rtmpose-s_8xb256-420e_coco-256x192.py',
    'rtmpose-m_coco-256x192': 'rtmpose-m_8xb256-420e_coco-256x192.py',
    'rtmpose-l_coco-256x192': 'rtmpose-l_8xb256-420e_coco-256x192.py',
    'rtmpose-m_aic-coco-384x288': 'rtmpose-m_8xb256-420e_coco-384x288.py',
    'rtmpose-l_aic-coco-384x288': 'rtmpose-l_8xb256-420e_coco-384x288.py',
}

# Parameter counts of the paper / spec table, millions (256x192 models).
PARAMS_M = {'t': 3.34, 's': 5.47, 'm': 13.59, 'l': 27.66}


def build_from_config(name: str):
    init_default_scope('rtmpose')
    return MODELS.build(Config.fromfile(CONFIGS / name).model)


@pytest.mark.parametrize('listing', sorted(LISTING_CONFIG))
def test_state_dict_matches_listing(listing):
    model = build_from_config(LISTING_CONFIG[listing])
    assert_matches_listing(model.state_dict(), f'{listing}.txt')


@pytest.mark.parametrize('size', sorted(PARAMS_M))
def test_parameter_count(size):
    model = build_from_config(f'rtmpose-{size}_8xb256-420e_coco-256x192.py')
    count = sum(p.numel() for p in model.parameters()) / 1e6
    assert count == pytest.approx(PARAMS_M[size], abs=0.005)
