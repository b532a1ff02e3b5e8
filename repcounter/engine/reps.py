"""Rep building blocks: the signal history ring, turning-point detection and half-swing measurement.

The motion signal ``q`` (g) is the low-passed acceleration projected on the dominant motion axis. For gym
pulls it is position-like: the forearm's tilt changes the gravity component seen along that axis. One rep
is two half-swings of ``q`` between turning points: the concentric (pull) and the eccentric (lowering).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from repcounter.engine.conditioning import DT_S

PHASE_SPAN: float = 3.3
"""Movement duration / time to travel from 25 % to 75 % of a half-swing (3.0 for a cosine profile, 3.55
for minimum jerk); used to find where motion starts and stops without thresholding near-zero speed."""


class Ring:
    """Fixed-size history of grid samples, addressed by absolute grid index ``k``."""

    BLOCK = 256
    """Most grid samples written ahead of the one being processed."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size = max(size, 2 * self.BLOCK)
        self.t = np.zeros(size)
        self.q = np.zeros(size)
        self.acc = np.zeros((size, 3))
        self.gyro = np.full(size, np.nan)
        self.k_next = 0

    def write(self, k0: int, t: np.ndarray, acc: np.ndarray, gyro: np.ndarray, q: np.ndarray) -> None:
        """Store a block of at most ``BLOCK`` grid samples starting at grid index ``k0``."""
        m = len(t)
        if m == 0:
            return
        i0 = k0 % self.size
        if i0 + m <= self.size:
            idx: slice | np.ndarray = slice(i0, i0 + m)
        else:
            idx = (k0 + np.arange(m)) % self.size
        self.t[idx] = t
        self.acc[idx] = acc
        self.gyro[idx] = gyro
        self.q[idx] = q
        self.k_next = k0 + m

    def span(self, k0: int, k1: int) -> np.ndarray:
        """Ring positions for absolute indices ``k0..k1`` inclusive, clipped to the ``size - BLOCK`` samples
        before ``k1`` (always held while blocks of at most ``BLOCK`` samples are written ahead)."""
        k0 = max(k0, k1 - (self.size - self.BLOCK) + 1, 0)
        return np.arange(k0, k1 + 1) % self.size


class TurningPoints:
    """Alternating peaks and valleys of ``q`` with hysteresis ``h``: an extreme is confirmed once ``q`` has
    moved back from it by ``h``. Pure per-sample state machine."""

    def __init__(self) -> None:
        self.direction = 0  # +1 rising (looking for a peak), -1 falling, 0 unknown
        self.hi = -math.inf
        self.hi_k = 0
        self.lo = math.inf
        self.lo_k = 0

    def step(self, k: int, q: float, h: float) -> tuple[int, float] | None:
        """Advance by one sample; return (index, value) of a newly confirmed extreme, or None."""
        d = self.direction
        if d >= 0 and q > self.hi:
            self.hi, self.hi_k = q, k
        if d <= 0 and q < self.lo:
            self.lo, self.lo_k = q, k
        if d >= 0 and q < self.hi - h:
            ext = (self.hi_k, self.hi)
            self.direction = -1
            self.lo, self.lo_k = q, k
            self.hi = -math.inf
            return ext
        if d <= 0 and q > self.lo + h:
            ext = (self.lo_k, self.lo)
            self.direction = 1
            self.hi, self.hi_k = q, k
            self.lo = math.inf
            return ext
        return None


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
