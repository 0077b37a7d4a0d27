"""One-Euro filter: jitter reduction on a noisy still track, lag on a step."""
import numpy as np
import pytest

from rtmpose.apis import OneEuroFilter

FPS = 30.0


def _filter_track(track, **cfg):
    filt = OneEuroFilter(**cfg)
    return np.stack([filt(x, i / FPS) for i, x in enumerate(track)])


def _noisy_step(seed, n=120, step_at=60, step=(40.0, -30.0), noise=2.0):
    """(n, K=17, 2) keypoints: still, then a sudden move, plus noise."""
    rng = np.random.default_rng(seed)
    base = rng.uniform(50, 400, (17, 2))
    clean = np.repeat(base[None], n, 0)
    clean[step_at:] += step
    return clean, clean + rng.normal(0, noise, clean.shape)


def test_jitter_reduced_and_lag_small():
    step_at = 60
    clean, noisy = _noisy_step(seed=0, step_at=step_at)
    out = _filter_track(noisy)

    def jitter(track, lo, hi):  # mean frame-to-frame motion, px
        return np.linalg.norm(np.diff(track[lo:hi], axis=0), axis=-1).mean()

    for lo, hi in ((10, step_at), (step_at + 15, len(clean))):
        assert jitter(out, lo, hi) <= 0.5 * jitter(noisy, lo, hi)

    # lag: frames after the step until every keypoint has covered 90% of it
    step = clean[step_at] - clean[step_at - 1]
    progress = ((out[step_at:] - clean[step_at - 1]) *
                step).sum(-1) / (step * step).sum(-1)
    lag = int(np.argmax((progress >= 0.9).all(-1)))
    assert (progress >= 0.9).all(-1).any() and lag <= 3, lag
    # the unfiltered noise alone would be reached within the same frames
    assert np.abs(out[-20:] - clean[-20:]).mean() < np.abs(noisy[-20:] -
                                                           clean[-20:]).mean()


def test_heavier_smoothing_is_laggier():
    """Lower min_cutoff and beta 0 smooth more but lag: the knobs matter."""
    step_at = 60
    clean, noisy = _noisy_step(seed=1, step_at=step_at)
    slow = _filter_track(noisy, min_cutoff=0.1, beta=0.0)
    fast = _filter_track(noisy)
    err = lambda o: np.abs(o[step_at:step_at + 5] - clean[step_at:step_at + 5]
                           ).mean()  # noqa: E731
    assert err(slow) > 3 * err(fast)


def test_first_sample_passes_and_errors():
    filt = OneEuroFilter()
    x = np.arange(6.).reshape(3, 2)
    np.testing.assert_array_equal(filt(x, 0.0), x)
    with pytest.raises(ValueError, match='time must increase'):
        filt(x, 0.0)
    with pytest.raises(ValueError, match='shape'):
        filt(x[:2], 1.0)
    filt.reset()
    np.testing.assert_array_equal(filt(x + 1, 0.0), x + 1)
    with pytest.raises(ValueError, match='min_cutoff'):
        OneEuroFilter(min_cutoff=0)
