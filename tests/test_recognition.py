"""Exercise recognition (repcounter.engine.recognition): invariances, edge cases, and labels of fresh
simulated sets (seeds the trainer never used) and of the CC BY-SA kaggle cable-row sample through the engine."""

from __future__ import annotations

import numpy as np
import pytest

from repcounter.engine import analyze_samples
from repcounter.engine.recognition import FEATURE_NAMES, LABELS, features, recognise
from repcounter.sources.simulator import simulate_set
from engine_harness import cable_row, random_rotation, rotate

FRESH_SEED = 777_000  # benchmarks/recognition.py trains on seeds 5000-40000


def set_span(ex: str, rate: float, seed: int, acc_only: bool = False, **kw) -> tuple[np.ndarray, np.ndarray]:
    """(acc, gyro) of the reps of one simulated set (truth span), at ``rate`` Hz."""
    sim = simulate_set(ex, 8, rate_hz=rate, seed=seed, acc_only=acc_only, jitter=False, **kw)
    s = sim.truth["sets"][0]
    m = (sim.samples[:, 0] >= s["start"]) & (sim.samples[:, 0] <= s["end"])
    return sim.samples[m, 1:4], sim.samples[m, 4:7]


def random_orthogonal(rng: np.random.Generator) -> np.ndarray:
    q, r = np.linalg.qr(rng.normal(size=(3, 3)))
    return q * np.sign(np.diag(r))


def test_features_do_not_depend_on_mounting_sign_or_mirror():
    acc, _ = set_span("lat_pulldown", 50.0, FRESH_SEED)
    base = features(acc, 50.0)
    assert base is not None and len(base) == len(FEATURE_NAMES) and np.all(np.isfinite(base))
    rng = np.random.default_rng(1)
    for k in range(4):
        q = random_orthogonal(rng)
        if k % 2:
            q[:, 0] *= -1  # a reflection (the other wrist mirrors the motion)
        sign = -1 if k < 2 else 1  # -1 g on the up axis (Apple Watch) or +1 g
        moved = features(sign * acc @ q.T, 50.0)
        np.testing.assert_allclose(moved, base, rtol=1e-6, atol=1e-6)


def test_features_hardly_depend_on_the_sample_rate():
    acc, _ = set_span("seated_row", 200.0, FRESH_SEED + 1, noise=False)
    f200 = features(acc, 200.0)
    for step, rate in ((4, 50.0), (16, 12.5)):
        f = features(acc[::step], rate)
        # the scale of each feature over the training data is about 0.1-0.4
        assert np.max(np.abs(f - f200)) < 0.12, dict(zip(FEATURE_NAMES, np.round(f - f200, 3)))


@pytest.mark.parametrize("ex, expected", [
    ("pullup", "pullup"), ("chinup", "pullup"), ("seated_row", "seated_row"),
    ("lat_pulldown", "lat_pulldown"), ("bent_over_row", "bent_over_row"), ("curl", "other"),
])
def test_fresh_simulated_sets_are_recognised(ex: str, expected: str):
    said = []
    for i, rate in enumerate((12.5, 25.0, 50.0, 100.0, 200.0)):
        acc, gyro = set_span(ex, rate, FRESH_SEED + 10 * i, acc_only=bool(i % 2))
        label, conf = recognise(acc, gyro, rate)
        assert label in LABELS and 0.0 <= conf <= 1.0
        said.append(label)
    assert said.count(expected) >= 4, said


def test_too_short_or_still_spans_are_other_with_zero_confidence():
    acc, gyro = set_span("pullup", 50.0, FRESH_SEED)
    assert recognise(acc[:100], gyro[:100], 50.0) == ("other", 0.0)  # 2 s
    still = np.tile([0.0, 0.0, -1.0], (500, 1)) + np.random.default_rng(0).normal(0, 1e-6, (500, 3))
    assert recognise(still, None, 50.0)[0] == "other"
    assert recognise(np.zeros((500, 3)), None, 50.0) == ("other", 0.0)  # no gravity: not a sensor at rest
    nan_rows = acc.copy()
    nan_rows[::7] = np.nan  # dropped samples are ignored, not propagated
    assert recognise(nan_rows, None, 50.0)[0] == recognise(acc, None, 50.0)[0]


def test_engine_labels_the_real_cable_row_with_any_mounting():
    samples = cable_row()
    rng = np.random.default_rng(5)
    for sign in (1, -1):
        moved = rotate(samples, random_rotation(rng), gravity_sign=sign)
        sets = analyze_samples(moved, "auto").sets
        assert sets, "the engine found no set"
        longest = max(sets, key=lambda s: len(s.reps))
        assert longest.exercise == "seated_row", [(s.exercise, len(s.reps)) for s in sets]
        assert 0.0 < longest.exercise_confidence <= 1.0


def test_fitted_parameters_match_the_features_and_labels():
    from repcounter.engine import recognition as R

    d = len(R.FEATURE_NAMES)
    assert len(R.MEAN) == len(R.SCALE) == d and all(s > 0 for s in R.SCALE)
    assert len(R.WEIGHTS) == len(R.BIAS) == len(R.CLASSES) and all(len(w) == d for w in R.WEIGHTS)
    assert {c.split(":", 1)[0] for c in R.CLASSES} == set(R.LABELS)


def test_decide_sums_sub_classes_by_name():
    from repcounter.engine.recognition import decide

    classes = ("pullup", "seated_row", "seated_row:sim", "other:press", "other:arms")
    # pullup is the single most likely class, but the two "other" families together outweigh it
    assert decide([0.4, 0.05, 0.05, 0.25, 0.25], classes) == ("other", 0.5)
    label, p = decide([0.2, 0.3, 0.3, 0.1, 0.1], classes)
    assert label == "seated_row" and p == pytest.approx(0.6)


def test_odd_inputs_give_a_label_not_an_exception():
    rng = np.random.default_rng(0)
    for i in range(60):
        n = int(rng.integers(1, 3000))
        rate = float(rng.choice([12.5, 25.0, 50.0, 100.0, 200.0]))
        kind = i % 4
        if kind == 0:
            a = rng.normal(0, 1, (n, 3))  # noise, no gravity
        elif kind == 1:
            a = np.tile(rng.normal(0, 1, 3), (n, 1))  # perfectly still
        elif kind == 2:
            a = np.tile([0.0, 0.0, 1.0], (n, 1))
            a[n // 2:] += 0.5  # one step
        else:
            a = np.tile([0.0, 0.0, -1.0], (n, 1))
            a[rng.integers(0, n)] = [5.0, 5.0, 5.0]  # one spike
        label, conf = recognise(a, None, rate)
        assert label in LABELS and 0.0 <= conf <= 1.0
