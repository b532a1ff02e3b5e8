"""Half-swing measurement: where movement starts and stops inside a half-swing of ``q``, and its range of
motion and peak speed.

Times are signal times (s); ``q`` is in g (see :mod:`repcounter.engine.reps`). Pure: no I/O, no clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from repcounter.engine.conditioning import DT_S

if TYPE_CHECKING:
    from repcounter.engine.reps import Ring

PHASE_SPAN: float = 3.3
"""Movement duration / time to travel from 25 % to 75 % of a half-swing (3.0 for a cosine profile, 3.55
for minimum jerk); used to find where motion starts and stops without thresholding near-zero speed."""


@dataclass
class Swing:
    """One half-swing of ``q`` between two confirmed turning points.

    Times are signal times (s) already corrected for the low-pass delay. ``move_start``/``move_end`` bound
    the actual movement inside ``[t0, t1]``; the rest of the interval is pause.
    """

    k0: int
    k1: int
    t0: float
    t1: float
    direction: int
    amp: float  # |delta q|, g
    move_start: float
    move_end: float
    rom_deg: float
    peak_speed_dps: float
    t_confirm: float  # grid time at which the end extreme was confirmed (uncorrected), s

    @property
    def duration_s(self) -> float:
        return self.t1 - self.t0

    @property
    def move_s(self) -> float:
        return self.move_end - self.move_start


def _crossing(t: np.ndarray, s: np.ndarray, level: float, i0: int, forward: bool) -> float:
    """Time where normalised ``s`` crosses ``level`` going upward, searching from ``i0`` forward (first
    crossing after) or backward (last crossing before); linear interpolation between samples."""
    n = len(s)
    if forward:
        above = np.nonzero(s[i0:] >= level)[0]
        if len(above) == 0:
            return float(t[-1])
        j = i0 + int(above[0])
    else:
        below = np.nonzero(s[: i0 + 1] < level)[0]
        if len(below) == 0:
            return float(t[0])
        j = int(below[-1]) + 1
        if j >= n:
            return float(t[-1])
    if j == 0:
        return float(t[0])
    s0, s1 = s[j - 1], s[j]
    frac = (level - s0) / (s1 - s0) if s1 != s0 else 0.0
    return float(t[j - 1] + frac * (t[j] - t[j - 1]))


def measure_swing(ring: Ring, k0: int, q0: float, k1: int, q1: float, delay_s: float, t_confirm: float) -> Swing:
    """Measure the half-swing from extreme (k0, q0) to extreme (k1, q1) from the ring history."""
    pos = ring.span(k0, k1)
    if len(pos) < 2:  # history no longer held: keep the extremes only
        pos = ring.span(k1 - 1, k1)
    t = ring.t[pos] - delay_s
    q = ring.q[pos]
    delta = q1 - q0
    s = (q - q0) / delta if delta != 0 else np.zeros_like(q)
    above = np.nonzero(s >= 0.5)[0]
    i50 = int(above[0]) if len(above) else len(s) - 1
    t50 = _crossing(t, s, 0.5, i50, forward=True) if i50 > 0 else float(t[0])
    t25 = _crossing(t, s, 0.25, max(i50 - 1, 0), forward=False)
    t75 = _crossing(t, s, 0.75, i50, forward=True)
    half = 0.5 * PHASE_SPAN * max(t75 - t25, DT_S)
    t_start, t_end = float(t[0]), float(t[-1])
    move_start = min(max(t50 - half, t_start), t50)
    move_end = max(min(t50 + half, t_end), t50)
    # range of motion: angle between gravity-dominated acc directions at movement start and end
    i_s = int(np.clip(np.searchsorted(t, move_start), 0, len(t) - 1))
    i_e = int(np.clip(np.searchsorted(t, move_end), 0, len(t) - 1))
    acc = ring.acc[pos]
    a, b = acc[i_s], acc[i_e]
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    rom = math.degrees(math.acos(max(-1.0, min(1.0, float(a @ b) / (na * nb))))) if na > 0 and nb > 0 else 0.0
    gy = ring.gyro[pos]
    if np.isfinite(gy).any():
        peak = float(np.nanmax(gy))
    else:
        u = acc / np.maximum(np.linalg.norm(acc, axis=1, keepdims=True), 1e-9)
        if len(u) > 1:
            cosang = np.clip(np.sum(u[1:] * u[:-1], axis=1), -1.0, 1.0)
            peak = float(np.degrees(np.arccos(cosang)).max() / DT_S)
        else:
            peak = 0.0
    return Swing(k0, k1, t_start, t_end, 1 if delta > 0 else -1, abs(delta), move_start, move_end, rom, peak,
                 t_confirm)
