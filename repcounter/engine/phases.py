"""Half-swing measurement: where movement starts and stops inside a half-swing of ``q``, and its range of
motion and peak speed.

Times are signal times (s); ``q`` is in g (see :mod:`repcounter.engine.reps`). Pure: no I/O, no clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from repcounter.engine.conditioning import DT_S, Conditioner

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
    move_peak_dps: float = 0.0
    """Peak angular speed from ``move_start`` to ``move_end`` only, deg/s (0: not measured, acc-only signal or a
    movement under 2 samples; see :attr:`move_peak`)."""

    @property
    def move_peak(self) -> float:
        """Peak angular speed of the movement itself (``peak_speed_dps`` where not measured), deg/s."""
        return self.move_peak_dps or self.peak_speed_dps

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
    # (argmax of a boolean array: the first True, without np.nonzero's index array; this runs ~6 times per
    # half-swing)
    if forward:
        above = s[i0:] >= level
        a = int(above.argmax()) if len(above) else 0
        if len(above) == 0 or not above[a]:
            return float(t[-1])
        j = i0 + a
    else:
        below = s[: i0 + 1][::-1] < level  # reversed: the first True is the last crossing before i0
        b = int(below.argmax()) if len(below) else 0
        if len(below) == 0 or not below[b]:
            return float(t[0])
        j = len(below) - b
        if j >= n:
            return float(t[-1])
    if j == 0:
        return float(t[0])
    s0, s1 = s[j - 1], s[j]
    frac = (level - s0) / (s1 - s0) if s1 != s0 else 0.0
    return float(t[j - 1] + frac * (t[j] - t[j - 1]))


MJ_SPAN: float = 3.557
"""Minimum-jerk movement duration / time from its 25 % to its 75 % crossing."""



def _unleak(delay_s: float) -> float:
    """Per-sample leak of the motion signal: the gyro integration leak, or (accelerometer signal, which has a
    low-pass delay) the slow-mean removal; adding ``leak * cumsum(q - base)`` restores the un-leaked
    movement (``base``: the level the gyro angle leaks toward, see ``Block.base``)."""
    if delay_s > 0:
        return DT_S / float(getattr(Conditioner, "BASE_S", Conditioner.LEAK_S))
    return DT_S / Conditioner.LEAK_S

END_SLACK: float = 0.15
"""How far past the end turning point (fraction of the movement time) the fitted movement end may lie: the
leak makes ``q`` peak slightly before the movement really stops."""

FIT_AGREE: float = 1.6
"""The fitted movement time is used only within this factor of the plain quantile estimate (long, drifting
half-swings such as set-up movements keep the plain estimate, which the set rules were tuned on)."""

_FIT_STEPS = np.linspace(-1.0, 1.0, 7)
_FIT_ROW = np.repeat(np.arange(len(_FIT_STEPS)), len(_FIT_STEPS))
_FIT_COL = np.tile(np.arange(len(_FIT_STEPS)), len(_FIT_STEPS))
"""Candidate j of a fitting grid is (start ``_FIT_ROW[j]``, duration ``_FIT_COL[j]``) (``np.repeat`` and
``np.tile`` of the two axes, precomputed: ``np.tile`` alone cost ~5 us per grid)."""

FIT_MAX_SAMPLES: int = 64
"""At most this many samples enter the fit (longer windows are decimated)."""

FIT_MARGIN: float = 0.6
"""Samples used by the fit: from this fraction of the guessed movement time before its guessed start to as
far after its guessed end."""

FIT_GRIDS: tuple[tuple[float, float], ...] = ((0.15, 0.25), (0.05, 0.08))
"""Fitting grids, applied in turn, each 7 x 7 candidates around the previous best: (start half-width as a
fraction of the duration, duration half-width as a fraction). A wider first grid was no better on the
simulator; the second refines to ~1.7 % of the duration."""

QUADRATIC_MAP: bool = True
"""Fit the signal as a monotone quadratic function of the minimum-jerk position (wrist signals are curved
functions of the hand position, e.g. flat with the arm hanging or stretched)."""


def _min_jerk(u: np.ndarray) -> np.ndarray:
    """Minimum-jerk position profile 0..1 for normalised time ``u`` (clipped to 0..1)."""
    # u^3 (10 + u (-15 + 6 u)), evaluated in place on temporaries (the same operations on the same operands,
    # so the same values, with fewer array allocations: this runs on 49 candidates x ~40 samples twice per
    # half-swing); np.maximum/np.minimum rather than np.clip (same values, less call overhead)
    u = np.maximum(u, 0.0)
    np.minimum(u, 1.0, out=u)
    p = u * 6.0
    p += -15.0
    p *= u
    p += 10.0
    c = u * u
    c *= u
    c *= p
    return c


def fit_movement(t: np.ndarray, s: np.ndarray, t_start0: float, dur0: float) -> tuple[float, float]:
    """Least-squares fit of ``s(t) ~ a + b * p + c * p^2``, ``p = minjerk((t - start) / dur)``, over a
    coarse then a fine grid of (start, dur) around an initial guess (s, s); returns (start, dur), s."""
    st, dur = t_start0, dur0
    # samples far from the movement only repeat the flat ends: keep a margin of half a movement each side
    i0, i1 = np.searchsorted(t, [st - FIT_MARGIN * dur, st + (1.0 + FIT_MARGIN) * dur])
    if i1 - i0 >= 6:
        t, s = t[i0:i1], s[i0:i1]
    if len(t) > FIT_MAX_SAMPLES:  # slow movements: every k-th sample is plenty (bounded time and memory)
        k = -(-len(t) // FIT_MAX_SAMPLES)
        t, s = t[::k], s[::k]
    for start_w, dur_w in FIT_GRIDS:
        st, dur = _fit_grid(t, s, st + start_w * dur * _FIT_STEPS, dur * (1.0 + dur_w * _FIT_STEPS), st, dur)
    return st, dur


def _fit_grid(t: np.ndarray, s: np.ndarray, ts: np.ndarray, ds: np.ndarray, st0: float,
              dur0: float) -> tuple[float, float]:
    """Best (start, dur) of the grid ``ts x ds`` (s); ``(st0, dur0)`` if no candidate fits."""
    ds = np.maximum(ds, DT_S)
    if len(ts) == len(ds) == len(_FIT_STEPS):
        st = ts[_FIT_ROW][:, None]
        dd = ds[_FIT_COL][:, None]
    else:
        st = np.repeat(ts, len(ds))[:, None]
        dd = np.tile(ds, len(ts))[:, None]
    x = t[None, :] - st
    x /= dd
    m = _min_jerk(x)  # (candidates, n)
    if QUADRATIC_MAP:
        # s ~ a + b m + c m^2: the signal may be a curved (monotone) function of the position. Normal
        # equations [[n, S1, S2], [S1, S2, S3], [S2, S3, S4]] x = [Y0, Y1, Y2], solved by Cramer's rule.
        n = float(len(t))
        m2 = m * m
        s1, s2, s3, s4 = m.sum(1), m2.sum(1), (m2 * m).sum(1), (m2 * m2).sum(1)
        y0, y1, y2 = float(s.sum()), m @ s, m2 @ s
        c00 = s2 * s4 - s3 * s3
        c01 = s1 * s4 - s2 * s3
        c02 = s1 * s3 - s2 * s2
        det = n * c00 - s1 * c01 + s2 * c02
        ok = det > 1e-12 * n ** 3
        det = np.where(ok, det, 1.0)
        # (minors shared by the three solutions; (-n) * d13 is n * (s2 y2 - y1 s3) exactly)
        d14 = y1 * s4 - s3 * y2
        d13 = y1 * s3 - s2 * y2
        d12 = s1 * y2 - y1 * s2
        ca = (y0 * c00 - s1 * d14 + s2 * d13) / det
        cb = (n * d14 - y0 * c01 + s2 * d12) / det
        cc = ((-n) * d13 - s1 * d12 + y0 * c02) / det
        sse = float(s @ s) - (ca * y0 + cb * y1 + cc * y2)
        ok &= (cb >= 0) & (cb + 2 * cc >= 0) & (cb + cc > 0)
        sse = np.where(ok, sse, np.inf)
    else:
        n = len(t)
        sm, ss = m.sum(1), (m * m).sum(1)
        sy, smy = s.sum(), m @ s
        det = n * ss - sm * sm
        ok = det > 1e-12
        b = np.where(ok, (n * smy - sm * sy) / np.where(ok, det, 1.0), 0.0)
        a = (sy - b * sm) / n
        sse = ((a[:, None] + b[:, None] * m - s[None, :]) ** 2).sum(1)
        sse = np.where(ok & (b > 0), sse, np.inf)
    j = int(np.argmin(sse))
    if not math.isfinite(sse[j]):
        return st0, dur0
    return float(st[j, 0]), float(dd[j, 0])


def _quantile_movement(t: np.ndarray, s: np.ndarray, span: float) -> tuple[float, float, float]:
    """Movement (start, end, 50 % time), s, from the 25/50/75 % crossings of normalised ``s``: duration
    ``span * (t75 - t25)`` centred on the 50 % crossing, clipped to the half-swing."""
    above = np.nonzero(s >= 0.5)[0]
    i50 = int(above[0]) if len(above) else len(s) - 1
    t50 = _crossing(t, s, 0.5, i50, forward=True) if i50 > 0 else float(t[0])
    t25 = _crossing(t, s, 0.25, max(i50 - 1, 0), forward=False)
    t75 = _crossing(t, s, 0.75, i50, forward=True)
    half = 0.5 * span * max(t75 - t25, DT_S)
    return min(max(t50 - half, float(t[0])), t50), max(min(t50 + half, float(t[-1])), t50), t50


def measure_swing(ring: Ring, k0: int, q0: float, k1: int, q1: float, delay_s: float, t_confirm: float) -> Swing:
    """Measure the half-swing from extreme (k0, q0) to extreme (k1, q1) from the ring history.

    The movement's start and duration come from a minimum-jerk fit of the un-leaked motion signal between
    the two turning points, started from its 25/50/75 % crossings; the rest of the interval is pause.
    """
    pos = ring.span(k0, k1)
    if len(pos) < 2:  # history no longer held: keep the extremes only
        pos = ring.span(k1 - 1, k1)
    t = ring.t[pos] - delay_s
    q = ring.q[pos]
    delta = q1 - q0
    t_start, t_end = float(t[0]), float(t[-1])
    # plain estimate: quantile crossings of the leaky signal (robust on slow, irregular movements)
    s = (q - q0) / delta if delta != 0 else np.zeros_like(q)
    move_start, move_end, t50 = _quantile_movement(t, s, PHASE_SPAN)
    # refined: minimum-jerk fit of the un-leaked signal, used when it agrees with the plain estimate
    u = q.copy()
    u[1:] += _unleak(delay_s) * np.cumsum(q[:-1] - ring.base[pos][:-1])
    du = u[-1] - u[0]
    if du * delta > 0 and len(t) >= 6:
        su = (u - u[0]) / du
        f0, f1, f50 = _quantile_movement(t, su, MJ_SPAN)
        st, dur = fit_movement(t, su, f0, f1 - f0)
        fs = min(max(st, t_start), f50)
        # past the end turning point by at most END_SLACK, never after the decision time
        fe = max(min(st + dur, t_end + END_SLACK * dur, t_confirm), f50)
        old = max(move_end - move_start, DT_S)
        if 1.0 / FIT_AGREE <= (fe - fs) / old <= FIT_AGREE:
            move_start, move_end = fs, fe
    # range of motion: angle between gravity-dominated acc directions at movement start and end
    last = len(t) - 1
    i_s = min(max(int(t.searchsorted(move_start)), 0), last)
    i_e = min(max(int(t.searchsorted(move_end)), 0), last)
    acc = ring.acc[pos]
    a, b = acc[i_s], acc[i_e]
    na, nb = math.sqrt(float(a @ a)), math.sqrt(float(b @ b))  # (what np.linalg.norm computes, less overhead)
    rom = math.degrees(math.acos(max(-1.0, min(1.0, float(a @ b) / (na * nb))))) if na > 0 and nb > 0 else 0.0
    gy = ring.gyro[pos]
    finite = np.isfinite(gy)
    if finite.any():
        peak = float(gy.max()) if finite.all() else float(np.nanmax(gy))
        # ... and during the movement alone: a re-grip or fidget in the pause before or after it is not its speed
        gm = gy[i_s:i_e + 1]
        move_peak = float(np.nanmax(gm)) if i_e > i_s and np.isfinite(gm).any() else 0.0
    else:
        u = acc / np.maximum(np.linalg.norm(acc, axis=1, keepdims=True), 1e-9)
        if len(u) > 1:
            cosang = np.clip(np.sum(u[1:] * u[:-1], axis=1), -1.0, 1.0)
            peak = float(np.degrees(np.arccos(cosang)).max() / DT_S)
        else:
            peak = 0.0
        move_peak = 0.0
    return Swing(k0, k1, t_start, t_end, 1 if delta > 0 else -1, abs(delta), move_start, move_end, rom, peak,
                 t_confirm, move_peak)


PULL_ASYMMETRY: float = 0.4
"""Mean movement times per direction differing by more than this fraction of their mean make the faster one
the pull (lifters lower under control: 2-3 s lowering vs 1-2 s pull is 0.4-1.0); below, the tempo is
treated as symmetric and the first movement out of the start pose decides."""


def faster_direction(run: list[Swing], asymmetry: float = PULL_ASYMMETRY) -> int:
    """+1/-1 if one direction's mean movement time is clearly shorter (by ``asymmetry`` of the mean of the
    two), else 0 (symmetric tempo, or only one direction present)."""
    up = [s.move_s for s in run if s.direction > 0]
    down = [s.move_s for s in run if s.direction < 0]
    if not up or not down:
        return 0
    mu, md = sum(up) / len(up), sum(down) / len(down)
    if abs(mu - md) > asymmetry * (mu + md) / 2:
        return 1 if mu < md else -1
    return 0


def pull_direction(run: list[Swing], asymmetry: float = 0.25, agreement: float = 0.8) -> int:
    """Direction (+1/-1) of the pull in a rhythmic run of half-swings.

    The pull is the faster direction (lifters lower under control) when the median movement times per
    direction differ by more than ``asymmetry`` of their mean and at least ``agreement`` of the neighbouring
    pull/lowering pairs agree; otherwise the run's first movement (out of the start pose, the stretched
    position). Returns 0 for an empty run."""
    if not run:
        return 0
    up = [s.move_s for s in run if s.direction > 0]
    down = [s.move_s for s in run if s.direction < 0]
    if up and down:
        mu, md = float(np.median(up)), float(np.median(down))
        if abs(mu - md) > asymmetry * (mu + md) / 2:
            fast = 1 if mu < md else -1
            votes = [(a.move_s < b.move_s) == (a.direction == fast) for a, b in zip(run, run[1:])
                     if a.direction != b.direction and a.move_s != b.move_s]
            if votes and sum(votes) >= agreement * len(votes):
                return fast
    return run[0].direction
