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


def simulated_or_synthetic(exercise: str, reps: int, rate_hz: float, seed: int = 0) -> np.ndarray:
    """The project simulator's set where it exists, else :func:`synthetic_set`."""
    try:
        from repcounter.sources.simulator import simulate_set  # type: ignore[import-not-found]
    except ImportError:
        try:
            from repcounter.sources.sim import simulate_set  # type: ignore[attr-defined,no-redef]
        except ImportError:
            return synthetic_set(reps, rate_hz, seed=seed)
    try:
        return np.asarray(simulate_set(exercise, reps, rate_hz=rate_hz, seed=seed).samples, dtype=np.float64)
    except Exception:
        return synthetic_set(reps, rate_hz, seed=seed)


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
