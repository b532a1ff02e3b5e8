"""Print signal statistics of simulated sets next to real recordings (for tuning the simulator's realism).

    python -m repcounter.sources.sim.compare [DATA_DIR]

DATA_DIR defaults to /work/shared/data (folders with labels.json, see its README). Per exercise: median
and 95th percentile of |gyro| (deg/s), 5th/95th percentile of |acc| (g) and the median per-second change of
the gravity direction (deg), over whole files (set-up and walk-away included) for the real recordings and
for simulated sets of the same kind (tempo 1.5-0-1-0.5, 50 Hz, a few seeds).
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import numpy as np

REAL_TO_SIM = {"assisted_pullup": "pullup", "lat_pulldown": "lat_pulldown", "cable_row": "seated_row",
               "seated_row": "seated_row", "bent_over_row": "bent_over_row", "band_row": "seated_row",
               "dumbbell_row": "bent_over_row", "barbell_row": "bent_over_row"}


def stats(samples: np.ndarray) -> tuple[float, float, float, float, float]:
    """(gyro p50, gyro p95, |acc| p5, |acc| p95, median gravity turn per second) of one recording."""
    t = samples[:, 0]
    rate = 1.0 / float(np.median(np.diff(t)))
    acc = samples[:, 1:4]
    gyro = np.linalg.norm(samples[:, 4:7], axis=1)
    mag = np.linalg.norm(acc, axis=1)
    n = max(1, int(round(rate * 0.2)))
    kernel = np.ones(n) / n
    grav = np.stack([np.convolve(acc[:, i], kernel, mode="same") for i in range(3)], -1)
    grav /= np.linalg.norm(grav, axis=1, keepdims=True)
    step = max(1, int(round(rate)))
    cos = np.clip(np.sum(grav[:-step:step] * grav[step::step], axis=1), -1, 1)
    turn = np.degrees(np.arccos(cos))
    g50, g95 = (np.nanpercentile(gyro, [50, 95]) if np.isfinite(gyro).any() else (np.nan, np.nan))
    return float(g50), float(g95), float(np.percentile(mag, 5)), float(np.percentile(mag, 95)), float(np.median(turn))


def main(argv: list[str] | None = None) -> int:
    from repcounter.recording import read_recording
    from repcounter.sources.simulator import simulate_set

    root = Path((argv or sys.argv[1:] or ["/work/shared/data"])[0])
    rows: dict[str, list[tuple[float, ...]]] = {}
    for labels in sorted(root.glob("*/labels.json")):
        for entry in json.loads(labels.read_text()):
            kind = REAL_TO_SIM.get(entry.get("exercise", ""))
            if not kind or not entry.get("use_for_eval", True):
                continue
            rec = read_recording(labels.parent / entry["file"])
            rows.setdefault(f"real {labels.parent.name[:14]} {entry['exercise']}", []).append(stats(rec.samples))
    for kind in ("pullup", "lat_pulldown", "seated_row", "bent_over_row"):
        for seed in range(4):
            sim = simulate_set(kind, 10, (1.5, 0.0, 1.0, 0.5), rate_hz=50, seed=seed, fatigue=0.2)
            rows.setdefault(f"sim  {kind}", []).append(stats(sim.samples))
    print(f"{'source':52s} {'n':>3s} {'gyro p50':>8s} {'p95':>6s} {'|a| p5':>7s} {'p95':>5s} {'turn/s':>6s}")
    for name, values in rows.items():
        with warnings.catch_warnings():  # accelerometer-only sources have no gyro column
            warnings.simplefilter("ignore", RuntimeWarning)
            m = np.nanmedian(np.array(values), axis=0)
        print(f"{name:52s} {len(values):3d} {m[0]:8.0f} {m[1]:6.0f} {m[2]:7.2f} {m[3]:5.2f} {m[4]:6.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
