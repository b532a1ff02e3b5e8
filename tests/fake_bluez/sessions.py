"""Sessions the emulated sensors play: a recording, the project simulator, or a small synthetic set."""

from __future__ import annotations

import numpy as np


def synthetic_set(reps: int = 8, rate_hz: float = 52.0, rep_s: float = 2.6, rest_s: float = 4.0,
                  seed: int = 0) -> np.ndarray:
    """A pull-up-like set: rest, ``reps`` smooth up/down cycles on the wrist, rest. (n,7) s, g, deg/s."""
    rng = np.random.default_rng(seed)
    dur = 2 * rest_s + reps * rep_s
    t = np.arange(0.0, dur, 1.0 / rate_hz)
    phase = np.clip((t - rest_s) / rep_s, 0, reps)
    active = (t > rest_s) & (t < rest_s + reps * rep_s)
    # vertical wrist travel ~0.5 m per rep; acceleration = second derivative
    w = 2 * np.pi / rep_s
    acc_v = np.where(active, 0.5 * 0.5 * w**2 * np.cos(w * (t - rest_s)) / 9.80665, 0.0)
    tilt = np.where(active, 25.0 * np.sin(w * (t - rest_s)), 0.0)
    ax = 0.05 + 0.3 * np.sin(np.deg2rad(tilt)) + rng.normal(0, 0.01, len(t))
    ay = 0.1 + rng.normal(0, 0.01, len(t))
    az = -1.0 - acc_v + rng.normal(0, 0.01, len(t))
    gx = np.gradient(tilt, t) + rng.normal(0, 0.5, len(t))
    gy = np.where(active, 15 * np.sin(w * (t - rest_s) + 0.5), 0.0) + rng.normal(0, 0.5, len(t))
    gz = rng.normal(0, 0.5, len(t))
    del phase
    return np.column_stack([t, ax, ay, az, gx, gy, gz])


def simulated_or_synthetic(exercise: str, reps: int, rate_hz: float, seed: int = 0, trim: bool = True) -> np.ndarray:
    """The project simulator's set (uniform sample times, trimmed to set-up .. walk-away) where it exists,
    else :func:`synthetic_set`."""
    try:
        from repcounter.sources.simulator import simulate_set
    except ImportError:
        return synthetic_set(reps, rate_hz, seed=seed)
    sim = simulate_set(exercise, reps, tempo=(1.2, 0.3, 1.0, 0.2), rate_hz=rate_hz, seed=seed, jitter=False)
    x = np.asarray(sim.samples, dtype=np.float64)
    if trim and sim.truth.get("sets"):
        first = sim.truth["sets"][0]
        lo, hi = first.get("setup_start", first["start"]) - 1.0, first["end"] + 4.0
        x = x[(x[:, 0] >= lo) & (x[:, 0] <= hi)]
    x[:, 0] = x[0, 0] + np.arange(len(x)) / rate_hz
    return x


def load_session(spec: dict) -> np.ndarray:
    """Samples for a scenario's ``session`` entry: {"csv": path} | {"simulate": exercise, "reps": n} | {"synthetic": n}."""
    rate = float(spec.get("rate_hz", 52))
    if "csv" in spec:
        from repcounter.recording import read_recording

        return read_recording(spec["csv"]).samples
    if "simulate" in spec:
        return simulated_or_synthetic(spec["simulate"], int(spec.get("reps", 8)), rate, int(spec.get("seed", 0)))
    return synthetic_set(int(spec.get("synthetic", 8)), rate, seed=int(spec.get("seed", 0)),
                         rest_s=float(spec.get("rest_s", 4.0)))
