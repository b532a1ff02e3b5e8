"""Rep building blocks: the signal history ring and turning-point detection (half-swing measurement lives
in :mod:`repcounter.engine.phases`, re-exported here).

The motion signal ``q`` (g) is the low-passed acceleration projected on the dominant motion axis. For gym
pulls it is position-like: the forearm's tilt changes the gravity component seen along that axis. One rep
is two half-swings of ``q`` between turning points: the concentric (pull) and the eccentric (lowering).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


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
        self.base = np.zeros(size)  # level q leaks toward (see Block.base)
        self.rate = np.full((size, 3), np.nan)  # angular rate, rad/s (see Block.rate)
        self.impact = np.zeros(size)  # step-impact energy, g (see Block.impact)
        self.k_next = 0

    def write(self, k0: int, t: Sequence[float], acc: Sequence[Sequence[float]], gyro: Sequence[float],
              q: Sequence[float], base: Sequence[float] | None = None,
              rate: Sequence[Sequence[float]] | None = None, impact: Sequence[float] | None = None) -> None:
        """Store a block of at most ``BLOCK`` grid samples starting at grid index ``k0`` (arrays or lists:
        ``acc`` and ``rate`` are m x 3)."""
        m = len(t)
        if m == 0:
            return
        i0 = k0 % self.size
        if m <= 4 and i0 + m <= self.size and base is not None and rate is not None and impact is not None:
            # a live chunk's few samples: element by element beats converting seven short sequences
            tt, aa, gg, qq, bb, rr, ii = self.t, self.acc, self.gyro, self.q, self.base, self.rate, self.impact
            for j in range(m):
                i = i0 + j
                tt[i] = t[j]
                aa[i] = acc[j]
                gg[i] = gyro[j]
                qq[i] = q[j]
                bb[i] = base[j]
                rr[i] = rate[j]
                ii[i] = impact[j]
            self.k_next = k0 + m
            return
        if i0 + m <= self.size:
            idx: slice | np.ndarray = slice(i0, i0 + m)
        else:
            idx = (k0 + np.arange(m)) % self.size
        self.t[idx] = t
        self.acc[idx] = acc
        self.gyro[idx] = gyro
        self.q[idx] = q
        self.base[idx] = 0.0 if base is None else base
        self.rate[idx] = np.nan if rate is None else rate
        self.impact[idx] = 0.0 if impact is None else impact
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


from repcounter.engine.phases import PHASE_SPAN, Swing, _crossing, measure_swing  # noqa: E402,F401
