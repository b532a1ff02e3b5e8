"""Exercise recognition from orientation-free features of a set's span.

Features (no sensor axis or sign assumed):

- ``vertical_fraction``: share of the dynamic acceleration (low-passed acc minus its mean over the set)
  that lies along gravity. Rows pull horizontally (small), bent-over rows lift the weight vertically (large),
  lat pulldowns are in between; on a pull-up bar the hands are fixed, so the wrist barely accelerates.
- ``axis_vertical``: |cos| of the angle between gravity and the dominant axis of that dynamic
  acceleration.

The thresholds were fitted on the development recordings' back sets (a grid search over the three
cut points, 76 % of those sets right); they are crude, do not generalise to the simulator's kinematics, and
almost never say ``other`` for the non-back sets: benchmarks/accuracy.py reports how well they do. Chin-ups cannot be told from pull-ups without knowing the grip,
so ``auto`` reports ``pullup`` for both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from repcounter.engine.reps import Ring


@dataclass(frozen=True)
class SetFeatures:
    """Orientation-free description of a set (fractions 0..1)."""

    vertical_fraction: float
    axis_vertical: float


def span_features(ring: Ring, k_now: int, start: float, end: float) -> SetFeatures | None:
    """Features of the grid samples with ``start <= t <= end`` still held in the ring (None if too few)."""
    if k_now < 1:
        return None
    pos = ring.span(0, k_now)
    t = ring.t[pos]
    sel = pos[(t >= start) & (t <= end)]
    if len(sel) < 10:
        return None
    acc = ring.acc[sel]
    g = acc.mean(axis=0)
    norm = float(np.linalg.norm(g))
    if norm < 1e-6:
        return None
    gn = g / norm
    dyn = acc - g
    vert = dyn @ gn
    horiz = dyn - np.outer(vert, gn)
    total = float(np.var(vert) + np.sum(np.var(horiz, axis=0)))
    if total <= 0:
        return None
    _, vecs = np.linalg.eigh(np.cov(dyn.T))
    return SetFeatures(float(np.var(vert)) / total, float(abs(vecs[:, -1] @ gn)))


def classify_features(f: SetFeatures) -> tuple[str, float]:
    """Back exercise (or ``other``) and a rough confidence from :class:`SetFeatures`."""
    v, a = f.vertical_fraction, f.axis_vertical
    if v < 0.02:
        return "pullup", 0.6
    if v < 0.3:
        return "seated_row", 0.6
    if v < 0.7:
        return "lat_pulldown", 0.5
    if a >= 0.6:
        return "bent_over_row", 0.6
    return "other", 0.3


def classify_span(ring: Ring, k_now: int, start: float, end: float) -> tuple[str, float]:
    """Label the span [start, end] (s) of the ring: a back exercise name or ``other``, with confidence."""
    from repcounter.engine.recognition import recognise  # orientation-free features + fitted classifier

    if k_now < 1:
        return "other", 0.0
    pos = ring.span(0, k_now)
    t = ring.t[pos]
    sel = pos[(t >= start) & (t <= end)]
    if len(sel) < 10:
        return "other", 0.0
    return recognise(ring.acc[sel], np.full((len(sel), 3), np.nan), 1.0 / float(np.median(np.diff(ring.t[sel]))))
