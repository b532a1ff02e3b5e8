"""Small statistics over runs of half-swings, shared by the set tracker and its start rules."""

from __future__ import annotations

import math
from typing import Sequence

from repcounter.engine.reps import Swing


def median(xs: Sequence[float]) -> float:
    """``float(np.median(xs))`` of a short sequence of numbers, bit for bit (the middle value, or the mean
    ``(a + b) / 2`` of the two middle ones, NaN when empty or any value is NaN), without numpy's ~15 us call
    overhead: the set tracker takes medians of a handful of values several times per half-swing."""
    v = sorted(xs)
    n = len(v)
    if n == 0 or any(x != x for x in v):
        return math.nan
    h = n // 2
    return float(v[h]) if n % 2 else (float(v[h - 1]) + float(v[h])) / 2.0


def alike(values: Sequence[float], ratio: float) -> bool:
    """Twins: all values positive and the largest at most ``ratio`` times the smallest (tilts in deg, times in
    s, angular speeds in deg/s)."""
    return min(values) > 0 and max(values) <= ratio * min(values)


def cycle_s(run: list[Swing]) -> float:
    """Mean cycle (two half-swings) of a run of consecutive half-swings, s."""
    return (run[-1].t1 - run[0].t0) / (len(run) / 2)


def wobble(swings: Sequence[Swing], amp_med: float, move_med: float, amp_fraction: float,
           move_fraction: float) -> bool:
    """A wobble: every half-swing of ``swings`` under ``amp_fraction`` x a set's median amplitude ``amp_med``
    (the turning-point hysteresis: inside a set they make no turning points) and moving for under
    ``move_fraction`` x its median movement time ``move_med`` s (a small rep moves at the set's pace)."""
    return all(s.amp < amp_fraction * amp_med and s.move_s < move_fraction * move_med for s in swings)
