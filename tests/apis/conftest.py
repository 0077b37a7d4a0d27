"""Session fixture: the synthetic panning video of the video tests."""
import pytest

from rtmpose.datasets.synthetic import make_synthetic_video


@pytest.fixture(scope='session')
def synthetic_video(tmp_path_factory):
    """40 frames of 640x240, 2 people panning at 16 px per frame."""
    return make_synthetic_video(tmp_path_factory.mktemp('video'))
