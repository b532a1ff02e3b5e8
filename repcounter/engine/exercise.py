"""Exercise recognition for a set's span of the engine's history ring.

The features and the fitted classifier live in :mod:`repcounter.engine.recognition` (orientation-free: no
sensor axis, wrist or gravity sign assumed; see docs/recognition.md). This module only cuts the span out of
the ring. Chin-ups cannot be told from pull-ups without knowing the grip, so ``auto`` reports ``pullup``
for both.
"""

from __future__ import annotations

import numpy as np

from repcounter.engine.recognition import recognise
from repcounter.engine.reps import Ring


def classify_span(ring: Ring, k_now: int, start: float, end: float) -> tuple[str, float]:
    """Label the span [start, end] (s) of the ring: a back exercise name or ``other``, with confidence 0..1."""
    if k_now < 1:
        return "other", 0.0
    pos = ring.span(0, k_now)
    t = ring.t[pos]
    sel = pos[(t >= start) & (t <= end)]
    if len(sel) < 10:
        return "other", 0.0
    rate_hz = 1.0 / float(np.median(np.diff(ring.t[sel])))
    return recognise(ring.acc[sel], np.full((len(sel), 3), np.nan), rate_hz)
