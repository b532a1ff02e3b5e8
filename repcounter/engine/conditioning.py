"""Signal conditioning: resampling onto a fixed grid, causal filters and the motion signal ``q``.

Everything is computed sample by sample in plain floats with explicit state, so feeding a stream one
sample at a time or all at once gives bit-identical output: grid points are ``t0 + k * DT_S``, fixed by the
data, never by chunk boundaries. (Per-sample Python is also faster than numpy/scipy calls for the small
chunks a live stream delivers.)

The motion signal ``q`` (rad, about g of tilt change for small angles) is position-like: it moves one way
during the pull and back during the lowering.

- With a gyroscope: the forearm's rotation angle about its dominant rotation axis, integrated with a slow
  leak (time constant ``LEAK_S``) so gyro bias cannot drift it away. The axis is the principal axis of the
  running covariance of the angular rate low-passed at ``AXIS_HZ`` (above it, like the angle turned): the
  axis of the largest turns, not of the fastest wobble. No axis or sign convention is assumed.
  The leak pulls toward the angle where the wrist last rested (still for ``STILL_MIN_S``), not toward
  zero: after a big set-up movement (reaching up to the bar, sitting down at the pulldown) the signal
  stays where the arm now is instead of drifting back through the first reps. While the wrist rests the
  covariance also fades (``REST_COV_S``), so the first rep's axis takes over from the set-up's quickly.
- Accelerometer only: the low-passed acceleration minus its slow mean, projected on the principal axis of
  its band-passed covariance; for slow gym movements this is dominated by the gravity component that
  turns with the forearm. After a change of pose (gravity turned by over ~105 deg: reaching up to the bar)
  the mean catches up quickly and the band-pass and covariance restart there (``ACC_STEP_G``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import signal

FS_HZ: float = 25.0
"""Internal grid rate, Hz. Gym reps live below 2 Hz; 25 Hz keeps timing resolution at 40 ms."""

DT_S: float = 1.0 / FS_HZ

GAP_S: float = 0.25
"""Samples further apart than this (s) are a dropout (lost packets, lost link); slower than any supported
rate (12.5 Hz)."""


STILL_DPS: float = 15.0
"""The wrist is still while its low-passed angular speed is below this, deg/s."""

STILL_MIN_S: float = 0.5
"""After this long still (s), the level the gyro angle leaks toward moves to where the wrist rests."""

REF_S: float = 0.5
"""Time constant with which that level follows the resting angle, s."""

ACC_STILL_GPS: float = 0.3
"""Accelerometer only: the wrist is still while the low-passed acceleration changes by less than this, g/s
(a rep turns gravity by ~0.3-1 g within ~1 s). After ``ACC_STILL_MIN_S`` still, the slow mean removed from the
signal also follows the resting level with ``REF_S``, like the gyro angle's leak level: after a set-up
movement (reaching up to the bar) the gravity component jumps by up to 1 g and its 6 s decay buried the
first reps (see ``ACC_STILL_MIN_S`` for the figures). With a 0.5 s still time: 0.2 g/s counted worse than
0.3, 0.5 g/s cost a real set within one.
Shortening the mean itself (2-3 s) did about as well on simulated sets but overcounted real acc-only sets
(test cable row 16 of 14 at 2 s)."""

ACC_STILL_MIN_S: float = 1.5
"""Accelerometer only: how long the wrist must be still before the slow mean follows the resting level, s.
Longer than the pauses inside reps (0-1 s at the top or bottom): at 0.5 s the mean also caught up during
those pauses, bent the rep's shape and swapped pull and lowering in 31 % of simulated acc-only reps (tempo
phase medians 4.5-8.4 %). 1.5 s: simulated acc-only sets (100) exact 12 -> 24 % (0.5 s: 44 %), swaps
8 -> 6 %, phase medians 4.0-4.9 %; 2.5 s: counts as without the rule."""

ACC_STEP_G: float = 1.6
"""Accelerometer only: the low-passed acceleration this far from the slow mean, g, is a change of pose, not a
rep: gravity turned by over ~105 deg in the sensor frame (reaching up from a hanging arm to the pull-up or
pulldown bar: 1.45-2.0 g, median 1.77 g; letting go of it; in simulated demo workouts the reps themselves
stay within 1.0-1.4 g of the mean, 0.4-0.6 g for pull-ups after rep 1). The mean then follows the signal
with ``REF_S`` until it is within ``ACC_SETTLED_G`` of it, and there the band-pass restarts in steady state
at the new pose and the covariance keeps ``ACC_STEP_COV`` of itself. Without it the 6 s mean settled through
the first reps after jumping up to the bar (q drifted 1.5 g while they moved it 0.4 g) and the band-pass
transient of the set-up's 1.7 g step kept the projection axis on the set-up's direction for ~15 s, so the
reps were projected on the wrong axis: acc-only pull-ups lost their first 1-3 reps and 4-5 rep sets were
not found at all. Acc-only demo workouts (summary, sets counted exactly): seeds 13-30 87 -> 117 of 200
(pull-ups exact 20.5 -> 72.7 %, lat pulldowns 71.2 -> 80.3 %, seated rows 55.6 -> 53.3 %, bent-over rows
26.7 -> 24.4 %), 101-130 131 -> 195 of 321 (pull-ups 32.9 -> 80.8 %, lat pulldowns 55.3 -> 81.6 %, rows
unchanged), 1-6 27 -> 32 of 67 (pull-ups 53 -> 80 %, seated rows 53 -> 41 %, bent-over rows 31 -> 23 %);
simulated sets (50) acc-only exact 75 -> 83 %; real: the muvr Pebble (acc-only) lat pulldowns 13 and 14 ->
15 of 15 (exact 51.0 -> 52.0 %, within one 86.7 -> 87.8 %), the gyro files read without their gyro
26.5 / 71.4 % unchanged (a kaggle cable row 16 -> 20 of 16, a muvr pulldown 13 -> 15 of 15). 1.3 g: pull-ups
63.6 %, lat pulldowns 65.2 % (13-30; a restart in the pulldown's set-up, before sitting down, let the
sit-down set the axis); 1.7 g: pull-ups 72.7 / 76.7 % (13-30 / 101-130); 1.8 g: pull-ups 47.7 / 61.6 %
(set-ups missed). 0 disables."""

ACC_SETTLED_G: float = 0.2
"""See ``ACC_STEP_G``: the mean has caught up with the signal after a change of pose, g (0.1 and 0.3 g: pull-ups
75.0 and 77.3 %, lat pulldowns 78.8 and 80.3 %, summary 113 and 117 of 200 on acc-only demo seeds 13-30)."""

ACC_STEP_COV: float = 0.01
"""See ``ACC_STEP_G``: the share of the covariance kept when the mean has caught up after a change of pose (the
rest of it is the change's own band-pass transient). Keeping all of it: acc-only demo seeds 13-30 summary 100
of 200, pull-ups 61.4 %; 0.1: 112, pull-ups 79.5 %, lat pulldowns 72.7 %."""

REST_COV_S: float = 1.0
"""While the wrist rests (still for ``STILL_MIN_S``), the covariance that sets the rotation axis also fades
with this time constant, s. Otherwise the first rep after a set-up movement (reaching up to the pulldown
bar and sitting down, picking up a weight) is projected on the set-up's axis: in the simulated demo
workouts rep 1 of a lat pulldown moved q 0.15 rad against 0.46 for rep 2 with identical motion, and the
rep was lost. Scaling never turns the axis, so rests inside a set only let new motion count more.
Development data: real exact 43.9 -> 44.9 %, within one 80.6 -> 83.7 %; quicksim (50 sets) exact 34 -> 40 %,
within one 70 -> 70 %; (100 sets) exact 34 -> 36 %, within one 70 -> 68 %; demo workouts (67 sets) exact
62.7 -> 70.1 %, within one 95.5 -> 98.5 %. 0.5-1.5 s do about as well on real data; 0.3 s unsettles the
axis in the rests within a set (demo seated rows 76 -> 47 % exact), fading from the first still sample
instead of after ``STILL_MIN_S`` gives demo exact 65.7 %."""

REST_COV_FLOOR: float = 0.01
"""The rest fade stops when the covariance trace falls to this, (rad/s)^2 (about 6 deg/s RMS of low-passed
rate, well above sensor noise, well below a rep's ~0.1): once the set-up's turn no longer dominates,
fading further only lets noise steer the axis during a long rest. Caution: after a long noise-only rest the
axis sign is effectively arbitrary, and the synthetic two-set guard test counts its second set 13 instead
of 12 with one of the signs (floor 0.002 or 0.03, or freezing the covariance during rests: 13); 0.01 keeps
the baseline's sign there. Real and simulated figures are the same for 0.002-0.03."""


IMPACT_HZ: float = 4.0
"""Corner of the high-pass applied to |acc| for the step-impact energy (``Block.impact``), Hz: heel strikes
while walking are 0.1-0.4 g dips about 0.1 s wide (energy at 4-10 Hz), while gym pulls and the arm swing
of walking live below 2 Hz."""

IMPACT_TAU_S: float = 0.5
"""Time constant of the running mean square of the high-passed |acc| (``Block.impact``), s: about one step
(1.6-2.0 steps/s), so the level stays up between the impacts of a walk."""


IMPACT_CLIP_G: float = 0.3
"""Each sample of the high-passed |acc| counts at most this much into the step-impact energy, g: one knock
(the weight stack clanging, 0.7 g of RMS after a real Pebble row) then raises the level no more than one
heel strike (0.15-0.4 g dips) does, while walking keeps it up step after step."""


@dataclass
class Block:
    """Conditioned signals for a run of grid samples (m entries each). Plain Python lists, not arrays: a live
    chunk completes only a few grid samples, and building seven small arrays per chunk cost more than the
    engine's use of them (the engine copies them into its history ring and walks them sample by sample)."""

    t: list[float]  # grid times, s
    acc_lp: list[list[float]]  # m x 3 low-passed acceleration incl. gravity, g
    q: list[float]  # the motion signal, rad (~ g of tilt)
    gyro_mag: list[float]  # low-passed angular speed, deg/s (NaN without gyro)
    gap_s: list[float]  # length of the sensor dropout this sample was interpolated across, s (0: data)
    base: list[float]  # level ``q`` leaks toward (gyro: the last resting angle; else 0), rad
    rate: list[tuple[float, float, float]]  # m x 3 angular rate, rad/s (NaN without gyro)
    impact: list[float]  # step-impact energy: RMS of |acc| high-passed at IMPACT_HZ over ~IMPACT_TAU_S, g


def leak_step(angle: float, ref: float, still_s: float, gyro_mag: float, rate: float, leak: float,
              ref_gain: float) -> tuple[float, float, float]:
    """One grid step of the leaky angle integration (rad): ``rate`` (rad/s, on the rotation axis) is added and
    the angle leaks toward ``ref``, the level where the wrist last rested, which follows the angle once the
    filtered gyro magnitude ``gyro_mag`` (deg/s) has stayed under ``STILL_DPS`` for ``STILL_MIN_S``.
    Returns (angle, ref, still_s)."""
    if gyro_mag < STILL_DPS:
        still_s += DT_S
        if still_s >= STILL_MIN_S:
            ref += ref_gain * (angle - ref)
    else:
        still_s = 0.0
    return ref + (angle - ref) * leak + rate * DT_S, ref, still_s


def _lerp(a: list[float], b: list[float], frac: float) -> list[float]:
    """The six channels of samples ``a`` and ``b`` (rows ``t, ax, ay, az, gx, gy, gz``) interpolated at
    fraction ``frac`` from ``a`` to ``b``, unrolled (it runs for every grid sample)."""
    _, a1, a2, a3, a4, a5, a6 = a
    _, b1, b2, b3, b4, b5, b6 = b
    return [a1 + (b1 - a1) * frac, a2 + (b2 - a2) * frac, a3 + (b3 - a3) * frac,
            a4 + (b4 - a4) * frac, a5 + (b5 - a5) * frac, a6 + (b6 - a6) * frac]


def _biquad(sos: np.ndarray) -> tuple[float, float, float, float, float]:
    b0, b1, b2, _, a1, a2 = (float(x) for x in sos)
    return b0, b1, b2, a1, a2


def _biquad1(c: tuple[float, float, float, float, float], z: list[float], x: float) -> float:
    """One step of biquad ``c`` (transposed direct form II, memories ``z``, updated in place) on one signal."""
    b0, b1, b2, a1, a2 = c
    y = b0 * x + z[0]
    z[0] = b1 * x - a1 * y + z[1]
    z[1] = b2 * x - a2 * y
    return y


def _biquad3(c: tuple[float, float, float, float, float], z: list[list[float]], x0: float, x1: float,
             x2: float) -> tuple[float, float, float]:
    """One step of biquad ``c`` (transposed direct form II, memories ``z`` per axis) on three axes at once,
    unrolled: it runs for every grid sample of every stream."""
    b0, b1, b2, a1, a2 = c
    za, zb, zc = z
    y0 = b0 * x0 + za[0]
    za[0] = b1 * x0 - a1 * y0 + za[1]
    za[1] = b2 * x0 - a2 * y0
    y1 = b0 * x1 + zb[0]
    zb[0] = b1 * x1 - a1 * y1 + zb[1]
    zb[1] = b2 * x1 - a2 * y1
    y2 = b0 * x2 + zc[0]
    zc[0] = b1 * x2 - a1 * y2 + zc[1]
    zc[1] = b2 * x2 - a2 * y2
    return y0, y1, y2


class Conditioner:
    """Resample, filter and derive the motion signal, streaming (see the module docstring)."""

    LP_HZ = 2.0
    HP_HZ = 0.1
    COV_TAU_S = 5.0
    BASE_S = 6.0
    """Time constant of the slow mean removed from the accelerometer signal, s (at rest it also follows the
    resting level, see ``ACC_STILL_GPS``)."""
    AXIS_HZ = 0.4
    """Corner of the first-order low-pass applied to the angular rate before its covariance, Hz. Above it the
    filtered rate is proportional to the angle turned, so the axis follows the largest rotation rather than
    the fastest: in fast dumbbell rows (1 s reps) the wrist's largest rate is a small twist at twice the rep
    rate, while the rep's own rotation is on another axis. Development data: real exact 39.8 -> 42.9 %,
    within one 77.6 -> 80.6 %; simulated (100 sets) exact 11 -> 14 %, within one 38 -> 41 %. 0.35-0.7 Hz
    all do about as well; 0.15-0.25 Hz count the real assisted pull-ups worse."""
    LEAK_S = 6.0
    """Leak of the gyro angle integration, s (against gyro bias). 15-20 s counts the development data better
    (43.9 % exact instead of 39.8 %) and drifts less after a big set-up movement, but loses 2 reps of the
    test cable row resampled to 25 Hz: not taken."""

    def __init__(self, signal_name: str = "gyro") -> None:
        self.signal = signal_name
        lp = signal.butter(2, self.LP_HZ, "lowpass", fs=FS_HZ, output="sos")
        bp = signal.butter(2, [self.HP_HZ, self.LP_HZ], "bandpass", fs=FS_HZ, output="sos")
        self.lp = _biquad(lp[0])
        hp = signal.butter(2, IMPACT_HZ, "highpass", fs=FS_HZ, output="sos")
        self.hp = _biquad(hp[0])
        self.zi_hp = signal.sosfilt_zi(hp)[0]
        self.alpha_imp = 1.0 - math.exp(-DT_S / IMPACT_TAU_S)
        self.bp = [_biquad(s) for s in bp]
        self.lp_delay_s = lowpass_delay_s(lp)
        self.zi_lp = signal.sosfilt_zi(lp)[0]
        self.zi_bp = signal.sosfilt_zi(bp)
        self.alpha_cov = 1.0 - math.exp(-DT_S / self.COV_TAU_S)
        self.alpha_base = 1.0 - math.exp(-DT_S / self.BASE_S)
        self.leak = 1.0 - DT_S / self.LEAK_S
        self.ref_gain = DT_S / REF_S
        self.rest_fade = 1.0 - DT_S / REST_COV_S
        self.alpha_axis = 1.0 - math.exp(-2.0 * math.pi * self.AXIS_HZ * DT_S)
        # resampler state
        self.t0: float | None = None
        self.k_next = 0
        self.last: list[float] | None = None
        # filter state (created at the first grid sample: steady state for its value)
        self.has_gyro: bool | None = None
        self.gyro_q = False  # ``use_gyro``, fixed at the first grid sample (kept for the per-sample path)
        self.z_lp: list[list[float]] = []
        self.z_g: list[float] = []
        self.z_hp: list[float] = []  # high-pass of |acc| (step impacts)
        self.imp2 = 0.0  # running mean square of the high-passed |acc|, g^2
        self.z_bp: list[list[list[float]]] = []
        self.cov = [0.0] * 6
        self.base = [0.0, 0.0, 0.0]
        self.axis = [1.0, 0.0, 0.0]
        self.angle = 0.0
        self.ref = 0.0  # level the angle leaks toward: where the wrist last rested, rad
        self.still_s = 0.0  # how long the wrist has been still, s
        self.gm = 0.0
        self.w_lp = [0.0, 0.0, 0.0]  # angular rate low-passed at AXIS_HZ, rad/s
        self.acc_still2 = (ACC_STILL_GPS * DT_S) ** 2
        self.prev_lp = (0.0, 0.0, 0.0)  # previous low-passed acceleration (accelerometer only), g
        self.acc_step = False  # accelerometer only: a set-up movement moved the signal away from the mean

    @property
    def delay_s(self) -> float:
        """Delay of ``q`` behind the motion, s (gyro integration adds none)."""
        return 0.0 if self.use_gyro else self.lp_delay_s

    @property
    def use_gyro(self) -> bool:
        return bool(self.has_gyro) and self.signal == "gyro"

    def feed(self, samples: np.ndarray) -> Block:
        """Consume (n, 7) samples; return the grid samples they complete."""
        ts: list[float] = []
        accs: list[list[float]] = []
        qs: list[float] = []
        gms: list[float] = []
        gaps: list[float] = []
        bases: list[float] = []
        rates: list[tuple[float, float, float]] = []
        imps: list[float] = []
        rows = samples.tolist()
        start = 0
        if self.last is None and rows:
            row = rows[0]
            self.t0 = row[0]
            self.last = row
            self._grid(row[0], row[1:], ts, accs, qs, gms, bases, rates, imps)
            gaps.append(0.0)
            self.k_next = 1
            start = 1
        # the resampler's state is kept in locals over the chunk (this loop runs once per input sample)
        last = self.last
        t0 = self.t0
        k = self.k_next
        tg = (t0 + k * DT_S) if t0 is not None else math.inf
        for row in rows[start:] if start else rows:
            t = row[0]
            lt = last[0]
            if not t > lt:  # duplicate or backwards time: dropped
                continue
            if tg <= t:
                dx = t - lt
                gap = dx if dx > GAP_S else 0.0
                while tg <= t:
                    vals = row[1:] if tg == t else _lerp(last, row, (tg - lt) / dx)
                    self._grid(tg, vals, ts, accs, qs, gms, bases, rates, imps, in_gap=gap > 0.0 and tg < t)
                    gaps.append(gap if tg < t else 0.0)
                    k += 1
                    tg = t0 + k * DT_S
            last = row
        self.last = last
        self.k_next = k
        return Block(ts, accs, qs, gms, gaps, bases, rates, imps)

    # -- one grid sample ----------------------------------------------------------------------------------
    def _grid(self, t: float, v: list[float], ts: list[float], accs: list[list[float]], qs: list[float],
              gms: list[float], bases: list[float], rates: list[tuple[float, float, float]], imps: list[float],
              in_gap: bool = False) -> None:
        """Condition one grid sample ``v`` (acc g, gyro deg/s) at ``t``, appending to the output lists;
        ``in_gap``: it is interpolated across a dropout (no data, so not rest)."""
        ax, ay, az, gx, gy, gz = v
        if self.has_gyro is None:
            self.has_gyro = math.isfinite(gx) and math.isfinite(gy) and math.isfinite(gz)
            self.gyro_q = self.use_gyro
            self._init_state(ax, ay, az)
        y0, y1, y2 = _biquad3(self.lp, self.z_lp, ax, ay, az)
        accs.append([y0, y1, y2])
        ts.append(t)
        # step-impact energy: |acc| high-passed at IMPACT_HZ, its running mean square
        y = min(abs(_biquad1(self.hp, self.z_hp, math.sqrt(ax * ax + ay * ay + az * az))), IMPACT_CLIP_G)
        self.imp2 += self.alpha_imp * (y * y - self.imp2)
        imps.append(math.sqrt(self.imp2))
        gyro_ok = math.isfinite(gx) and math.isfinite(gy) and math.isfinite(gz)
        if gyro_ok:
            y = _biquad1(self.lp, self.z_g, math.sqrt(gx * gx + gy * gy + gz * gz))
            gms.append(y)
            self.gm = y
        else:
            gms.append(math.nan)
        if self.gyro_q:
            if gyro_ok:
                w0, w1, w2 = math.radians(gx), math.radians(gy), math.radians(gz)
            else:
                w0 = w1 = w2 = 0.0
            wl = self.w_lp
            aa = self.alpha_axis
            l0 = wl[0] = wl[0] + aa * (w0 - wl[0])
            l1 = wl[1] = wl[1] + aa * (w1 - wl[1])
            l2 = wl[2] = wl[2] + aa * (w2 - wl[2])
            rates.append((w0, w1, w2))
            rate = self._project(l0 * l0, l1 * l1, l2 * l2, l0 * l1, l0 * l2, l1 * l2, w0, w1, w2)
            angle, ref, still_s = leak_step(self.angle, self.ref, self.still_s, self.gm, rate, self.leak,
                                            self.ref_gain)
            self.angle, self.ref, self.still_s = angle, ref, still_s
            if still_s >= STILL_MIN_S and not in_gap:  # resting: the axis covariance fades too (no data: not rest)
                cov = self.cov
                if cov[0] + cov[1] + cov[2] > REST_COV_FLOOR:
                    f = self.rest_fade
                    cov[:] = [c * f for c in cov]
            qs.append(angle)
            bases.append(ref)
            return
        rates.append((math.nan, math.nan, math.nan))
        # accelerometer only: band-passed covariance, projection of (lp - slow mean)
        e0, e1, e2 = y0, y1, y2
        for c, z in zip(self.bp, self.z_bp):
            e0, e1, e2 = _biquad3(c, z, e0, e1, e2)
        base = self.base
        ab = self.alpha_base
        pv = self.prev_lp
        d0, d1, d2 = y0 - pv[0], y1 - pv[1], y2 - pv[2]
        self.prev_lp = (y0, y1, y2)
        if d0 * d0 + d1 * d1 + d2 * d2 < self.acc_still2 and not in_gap:
            self.still_s += DT_S
            if self.still_s >= ACC_STILL_MIN_S:
                ab = ab + self.ref_gain
        else:
            self.still_s = 0.0
        if ACC_STEP_G > 0:
            dev2 = (y0 - base[0]) ** 2 + (y1 - base[1]) ** 2 + (y2 - base[2]) ** 2
            if not self.acc_step and dev2 > ACC_STEP_G * ACC_STEP_G:
                self.acc_step = True
            if self.acc_step:
                if dev2 < ACC_SETTLED_G * ACC_SETTLED_G:
                    self._restart_acc(y0, y1, y2)
                else:
                    ab = ab + self.ref_gain
        base0 = base[0] = base[0] + ab * (y0 - base[0])
        base1 = base[1] = base[1] + ab * (y1 - base[1])
        base2 = base[2] = base[2] + ab * (y2 - base[2])
        qs.append(self._project(e0 * e0, e1 * e1, e2 * e2, e0 * e1, e0 * e2, e1 * e2, y0 - base0, y1 - base1,
                                y2 - base2))
        bases.append(0.0)

    def _project(self, p0: float, p1: float, p2: float, p3: float, p4: float, p5: float, x0: float, x1: float,
                 x2: float) -> float:
        """Update the running covariance with the products ``p0..p5`` (xx, yy, zz, xy, xz, yz) and its
        principal axis (one power-iteration step, so the axis turns smoothly and never flips sign); return
        ``(x0, x1, x2)`` projected on the axis."""
        cov = self.cov
        al = self.alpha_cov
        xx, yy, zz, xy, xz, yz = cov
        xx += al * (p0 - xx)
        yy += al * (p1 - yy)
        zz += al * (p2 - zz)
        xy += al * (p3 - xy)
        xz += al * (p4 - xz)
        yz += al * (p5 - yz)
        cov[:] = (xx, yy, zz, xy, xz, yz)
        v0, v1, v2 = self.axis
        a0 = xx * v0 + xy * v1 + xz * v2
        a1 = xy * v0 + yy * v1 + yz * v2
        a2 = xz * v0 + yz * v1 + zz * v2
        n = math.sqrt(a0 * a0 + a1 * a1 + a2 * a2)
        if n > 1e-15:
            v0, v1, v2 = a0 / n, a1 / n, a2 / n
            self.axis = [v0, v1, v2]
        return x0 * v0 + x1 * v1 + x2 * v2

    def _restart_acc(self, y0: float, y1: float, y2: float) -> None:
        """Accelerometer only: after a set-up movement (``ACC_STEP_G``), once the mean has caught up with the
        low-passed acceleration ``y``: the band-pass restarts in steady state at ``y`` (its transient from the
        movement would set the axis for ~15 s) and the covariance keeps ``ACC_STEP_COV`` of itself."""
        self.acc_step = False
        self.z_bp = self._bp_steady((y0, y1, y2))
        self.cov[:] = [c * ACC_STEP_COV for c in self.cov]

    def _bp_steady(self, y: tuple[float, float, float]) -> list[list[list[float]]]:
        """Band-pass memories in steady state for a constant input ``y`` (g), per section and axis."""
        return [[[float(z[0]) * x, float(z[1]) * x] for x in y] for z in self.zi_bp]

    def _init_state(self, ax: float, ay: float, az: float) -> None:
        """Steady-state filter memories for a constant input equal to the first sample."""
        first = (ax, ay, az)
        self.z_lp = [[float(self.zi_lp[0]) * x, float(self.zi_lp[1]) * x] for x in first]
        self.z_g = [0.0, 0.0]
        mag = math.sqrt(ax * ax + ay * ay + az * az)
        self.z_hp = [float(self.zi_hp[0]) * mag, float(self.zi_hp[1]) * mag]
        self.z_bp = self._bp_steady(first)
        self.base = list(first)
        self.prev_lp = first


def lowpass_delay_s(sos: np.ndarray, freq_hz: float = 0.3) -> float:
    """Group delay of a low-pass ``sos`` filter at ``freq_hz``, s (used to back-date phase times)."""
    b, a = signal.sos2tf(sos)
    _, gd = signal.group_delay((b, a), w=[freq_hz], fs=FS_HZ)
    return float(gd[0]) / FS_HZ
