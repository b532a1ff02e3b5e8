"""Signal conditioning: resampling onto a fixed grid and causal streaming filters.

Everything here is causal and keeps its state explicitly, so feeding a stream one sample at a time or all
at once gives bit-identical output: decisions happen at grid points fixed by the data (``t0 + k * dt``),
never at chunk boundaries.
"""

from __future__ import annotations

from dataclasses import dataclass

import math

import numpy as np
from scipy import signal

FS_HZ: float = 25.0
"""Internal grid rate, Hz. Gym reps live below 2 Hz; 25 Hz keeps timing resolution at 40 ms."""

DT_S: float = 1.0 / FS_HZ


class StreamFilter:
    """A causal second-order-sections filter over ``channels`` columns, state kept between calls.

    The state is initialised to the steady state for the first sample (no start-up transient).
    """

    def __init__(self, sos: np.ndarray, channels: int) -> None:
        self.sos = np.asarray(sos, dtype=np.float64)
        self.channels = channels
        self._zi0 = signal.sosfilt_zi(self.sos)  # (sections, 2)
        self.zi: np.ndarray | None = None

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Filter an (m, channels) block; returns the same shape."""
        if len(x) == 0:
            return x.copy()
        if self.zi is None:
            self.zi = self._zi0[:, :, None] * x[0][None, None, :]
        y, self.zi = signal.sosfilt(self.sos, x, axis=0, zi=self.zi)
        return y


class ExpMean:
    """Exponentially weighted mean per column (time constant ``tau_s`` on the grid), streaming."""

    def __init__(self, tau_s: float, channels: int) -> None:
        alpha = 1.0 - np.exp(-DT_S / tau_s)
        self.b = np.array([alpha])
        self.a = np.array([1.0, alpha - 1.0])
        self.zi: np.ndarray | None = None
        self.channels = channels

    def __call__(self, x: np.ndarray) -> np.ndarray:
        if len(x) == 0:
            return x.copy()
        if self.zi is None:
            self.zi = (x[0] * (1.0 - self.b[0]))[None, :]  # steady state at the first value
        y, self.zi = signal.lfilter(self.b, self.a, x, axis=0, zi=self.zi)
        return y


class Resampler:
    """Linear interpolation of irregular samples onto the grid ``t0 + k * DT_S``.

    Handles jitter, duplicate timestamps (later duplicates dropped), samples going back in time (dropped)
    and gaps (interpolated; long gaps are flagged by :attr:`gap_s` so the caller can react).
    """

    def __init__(self) -> None:
        self.t0: float | None = None
        self.k_next = 0  # index of the next grid point to produce
        self.last: np.ndarray | None = None  # last input row (7,)

    def feed(self, samples: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Consume (n, 7) samples; return (grid times (m,), values (m, 6))."""
        empty = (np.empty(0), np.empty((0, 6)))
        if len(samples) == 0:
            return empty
        if self.last is None:
            self.t0 = float(samples[0, 0])
            self.last = samples[0].copy()
            self.last[0] = np.nextafter(self.t0, -np.inf)  # so the first sample itself is kept below
            self.k_next = 0
        rows = samples
        # keep only strictly increasing times after the last one
        t = rows[:, 0]
        if len(t):
            keep = t > np.maximum.accumulate(np.concatenate(([self.last[0]], t)))[:-1]
            rows = rows[keep]
        if len(rows) == 0:
            return empty
        xs = np.concatenate((self.last[None, :], rows))
        t_end = float(xs[-1, 0])
        assert self.t0 is not None
        k_last = int(np.floor((t_end - self.t0) / DT_S))
        while self.t0 + k_last * DT_S > t_end:  # exactly the grid points at or before t_end
            k_last -= 1
        while self.t0 + (k_last + 1) * DT_S <= t_end:
            k_last += 1
        self.last = xs[-1].copy()
        if k_last < self.k_next:
            return empty
        ks = np.arange(self.k_next, k_last + 1)
        tg = self.t0 + ks * DT_S
        # interpolate from the two bracketing samples only (bit-identical whatever the chunking)
        x = xs[:, 0]
        j = np.searchsorted(x, tg, side="right") - 1
        j1 = np.minimum(j + 1, len(x) - 1)
        dx = x[j1] - x[j]
        frac = np.where(dx > 0, (tg - x[j]) / np.where(dx > 0, dx, 1.0), 0.0)[:, None]
        y0 = xs[j, 1:]
        vals = y0 + (xs[j1, 1:] - y0) * frac
        self.k_next = k_last + 1
        return tg, vals


@dataclass
class Block:
    """Conditioned signals for a run of grid samples (m rows each)."""

    t: np.ndarray  # grid times, s
    acc_lp: np.ndarray  # (m, 3) low-passed acceleration incl. gravity, g
    acc_dyn: np.ndarray  # (m, 3) tilt signal (gravity estimate) minus its slow mean (tau 6 s), g
    jerk: np.ndarray  # (m,) squared high-band (>1.2 Hz) change of |acc|, g^2: steps, impacts, shaking
    q: np.ndarray  # (m,) the motion signal: forearm angle about the dominant axis, rad (~ g of tilt)
    cov: np.ndarray  # (m, 6) running covariance of the band-passed acceleration: xx yy zz xy xz yz, g^2
    gyro_mag: np.ndarray  # (m,) low-passed angular speed, deg/s (NaN without gyro)


class GravityTracker:
    """Gravity direction in the sensor frame from gyro integration, anchored to the accelerometer with
    time constant ``TAU_S`` (a complementary filter), so linear acceleration of the wrist is suppressed.

    Gyro sign conventions differ between sensors, so two trackers run, with +omega and -omega; the one
    that agrees better with the accelerometer is used. Without gyro the low-passed acceleration is used.
    """

    TAU_S = 2.0
    ERR_TAU_S = 4.0

    def __init__(self) -> None:
        self.gp: list[float] | None = None
        self.gm: list[float] | None = None
        self.ep = 0.0
        self.em = 0.0

    def __call__(self, acc: np.ndarray, gyro: np.ndarray, acc_lp: np.ndarray) -> np.ndarray:
        m = len(acc)
        out = acc_lp.copy()
        if m == 0:
            return out
        beta = DT_S / self.TAU_S
        ke = DT_S / self.ERR_TAU_S
        w = np.radians(gyro) * DT_S
        finite = np.isfinite(w).all(axis=1).tolist()
        al, wl = acc.tolist(), np.nan_to_num(w).tolist()
        gp, gm, ep, em = self.gp, self.gm, self.ep, self.em
        for i in range(m):
            a0, a1, a2 = al[i]
            if not finite[i]:
                gp = gm = None
                continue
            if gp is None or gm is None:
                gp, gm = [a0, a1, a2], [a0, a1, a2]
            w0, w1, w2 = wl[i]
            # d g / dt = -omega x g (sensor frame), for both sign conventions
            c0, c1, c2 = w1 * gp[2] - w2 * gp[1], w2 * gp[0] - w0 * gp[2], w0 * gp[1] - w1 * gp[0]
            p0, p1, p2 = gp[0] - c0, gp[1] - c1, gp[2] - c2
            c0, c1, c2 = w1 * gm[2] - w2 * gm[1], w2 * gm[0] - w0 * gm[2], w0 * gm[1] - w1 * gm[0]
            n0, n1, n2 = gm[0] + c0, gm[1] + c1, gm[2] + c2
            dp = (a0 - p0) ** 2 + (a1 - p1) ** 2 + (a2 - p2) ** 2
            dm = (a0 - n0) ** 2 + (a1 - n1) ** 2 + (a2 - n2) ** 2
            ep += ke * (dp - ep)
            em += ke * (dm - em)
            gp = [p0 + beta * (a0 - p0), p1 + beta * (a1 - p1), p2 + beta * (a2 - p2)]
            gm = [n0 + beta * (a0 - n0), n1 + beta * (a1 - n1), n2 + beta * (a2 - n2)]
            out[i] = gp if ep <= em else gm
        self.gp, self.gm, self.ep, self.em = gp, gm, ep, em
        return out


class PrincipalProjection:
    """Project 3-vectors on the dominant axis of their running covariance (one power-iteration step per
    sample, so the axis turns smoothly and never flips sign)."""

    def __init__(self) -> None:
        self.v = [1.0, 0.0, 0.0]

    def __call__(self, cov: np.ndarray, x: np.ndarray) -> np.ndarray:
        out = np.empty(len(x))
        v0, v1, v2 = self.v
        cl, xl = cov.tolist(), x.tolist()
        for i in range(len(xl)):
            xx, yy, zz, xy, xz, yz = cl[i]
            a0 = xx * v0 + xy * v1 + xz * v2
            a1 = xy * v0 + yy * v1 + yz * v2
            a2 = xz * v0 + yz * v1 + zz * v2
            n = math.sqrt(a0 * a0 + a1 * a1 + a2 * a2)
            if n > 1e-12:
                v0, v1, v2 = a0 / n, a1 / n, a2 / n
            p0, p1, p2 = xl[i]
            out[i] = p0 * v0 + p1 * v1 + p2 * v2
        self.v = [v0, v1, v2]
        return out


def _products(x: np.ndarray) -> np.ndarray:
    return np.column_stack((x[:, 0] ** 2, x[:, 1] ** 2, x[:, 2] ** 2,
                            x[:, 0] * x[:, 1], x[:, 0] * x[:, 2], x[:, 1] * x[:, 2]))


class Conditioner:
    """Resample, low-pass and compute the running motion covariance, streaming."""

    LP_HZ = 2.0
    HP_HZ = 0.1
    COV_TAU_S = 5.0
    BASE_TAU_S = 6.0

    def __init__(self) -> None:
        self.resampler = Resampler()
        self.lp_sos = signal.butter(2, self.LP_HZ, "lowpass", fs=FS_HZ, output="sos")
        self.bp_sos = signal.butter(2, [self.HP_HZ, self.LP_HZ], "bandpass", fs=FS_HZ, output="sos")
        self.lp = StreamFilter(self.lp_sos, 3)
        self.bp = StreamFilter(self.bp_sos, 3)
        self.gyro_lp = StreamFilter(self.lp_sos, 1)
        self.cov = ExpMean(self.COV_TAU_S, 6)
        self.base = ExpMean(self.BASE_TAU_S, 3)
        self.lp_delay_s = lowpass_delay_s(self.lp_sos)
        self.gravity = GravityTracker()
        self.mag_hp = StreamFilter(signal.butter(2, 1.2, "highpass", fs=FS_HZ, output="sos"), 1)
        self.has_gyro: bool | None = None
        self.tilt_axis = PrincipalProjection()
        self.gyro_axis = PrincipalProjection()
        self.gyro_cov = ExpMean(self.COV_TAU_S, 6)
        self.angle = 0.0
        self.signal = "auto"

    @property
    def delay_s(self) -> float:
        """Delay of the tilt signal behind the motion, s (gyro integration adds none)."""
        return 0.0 if self.has_gyro and self.signal != "lp" else self.lp_delay_s

    def feed(self, samples: np.ndarray) -> Block:
        tg, v = self.resampler.feed(samples)
        acc = v[:, 0:3]
        acc_lp = self.lp(acc)
        if self.has_gyro is None and len(v):
            self.has_gyro = bool(np.isfinite(v[0, 3:6]).all())
        tilt = self.gravity(acc, v[:, 3:6], acc_lp) if self.has_gyro and self.signal != "lp" else acc_lp
        bp = self.bp(tilt)
        cov = self.cov(_products(bp))
        g = v[:, 3:6]
        gmag = np.sqrt(np.sum(g * g, axis=1))[:, None]
        gmag_f = self.gyro_lp(np.nan_to_num(gmag, nan=0.0))[:, 0]
        gmag_f[np.isnan(gmag[:, 0])] = np.nan
        acc_dyn = tilt - self.base(tilt)
        mag = np.sqrt(np.sum(acc * acc, axis=1))[:, None]
        jerk = self.mag_hp(mag)[:, 0] ** 2
        if self.has_gyro and self.signal == "gyro":
            w = np.nan_to_num(np.radians(v[:, 3:6]))
            rate = self.gyro_axis(self.gyro_cov(_products(w)), w)
            q = np.empty(len(rate))
            leak = 1.0 - DT_S / self.BASE_TAU_S
            ang = self.angle
            for i, r in enumerate(rate.tolist()):
                ang = ang * leak + r * DT_S
                q[i] = ang
            self.angle = ang
        else:
            q = self.tilt_axis(cov, acc_dyn)
        return Block(tg, acc_lp, acc_dyn, jerk, q, cov, gmag_f)


def lowpass_delay_s(sos: np.ndarray, freq_hz: float = 0.3) -> float:
    """Group delay of a low-pass ``sos`` filter at ``freq_hz``, s (used to back-date phase times)."""
    b, a = signal.sos2tf(sos)
    _, gd = signal.group_delay((b, a), w=[freq_hz], fs=FS_HZ)
    return float(gd[0]) / FS_HZ
