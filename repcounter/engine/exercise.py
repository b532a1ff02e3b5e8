"""Exercise recognition from orientation-free features of a set's span (placeholder rules)."""

from __future__ import annotations

import numpy as np

from repcounter.engine.reps import Ring


def classify_span(ring: Ring, k_now: int, start: float, end: float, axis: list[float]) -> tuple[str, float]:
    """Label the span [start, end] (s) of the ring: a back exercise name or ``other``, with confidence."""
    return "other", 0.0
