"""Streaming rep engine: conditioning -> motion signal -> turning points -> sets, reps and tempo.

Per stream the engine keeps a fixed-size ring of grid samples (25 Hz) and the open set only, so memory is
bounded however long the session. Every decision happens at a grid sample, whose index depends only on the
data, so any chunking of the input yields identical events.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from scipy import signal

from repcounter.engine.conditioning import DT_S, Conditioner, leak_step
from repcounter.engine.events import EXERCISES, EngineEvent, SetEnded, SetSummary
from repcounter.engine.exercise import classify_span
from repcounter.engine.reps import Ring, Swing, TurningPoints, measure_swing
from repcounter.engine.sets import SetRules, SetTracker
from repcounter.engine.swing_stats import median



TAIL_STILL: float = 0.03
"""A plateau inside a half-swing: the motion signal moves less than this fraction of the half-swing's
amplitude in 0.2 s."""
TAIL_MIN: float = 0.1
TAIL_MAX: float = 0.7
"""The movement after such a plateau spans this fraction range of the half-swing's amplitude."""

TAIL_STILL_MAX: float = 0.9
TAIL_STILL_S: float = 0.8
"""... up to ``TAIL_STILL_MAX`` of it when the plateau before it lasts at least ``TAIL_STILL_S`` s."""

TAIL_START: float = 0.02
TAIL_RUNUP: float = 2.0
"""Gyro signal: the last movement starts earlier than that plateau test says, back to where the motion signal
stops moving its way by ``TAIL_START`` of the movement's own amplitude in 0.2 s, over at most ``TAIL_RUNUP``
times the plateau threshold of travel (the plateau test is relative to the whole half-swing, a big set-up
movement, and cut the slow min-jerk run-up of the first pull off: 0.4-0.5 s late, its amplitude and movement
time too small to fit the set)."""

STOP_S: float = 0.12
"""In a set, a pull that has travelled ``SetRules.early_travel`` of the set's pull amplitude and made no new
extreme for this long has stopped at the top (a pause at the top): announce its rep then, without waiting
for the lowering to start, s. Real data, reps inside a set announced within 0.3 s of the pull's end: 82 % ->
97 % (0.2 s: 94 %; 0.3 s: 87 %)."""
STOP_K: int = max(1, round(STOP_S / DT_S))

MAX_BRIDGE_S: float = 5.0
"""A sensor dropout up to this long (s) inside a set is not rest (no samples arrived): the set goes on."""
STEP_MIN_G: float = 0.03
"""Step impacts move |acc| (low-passed as the ring holds it) by at least this much at twice the arm-swing
cycle rate, g (amplitude): walking runs in the simulator 0.07-0.19 g, real ones 0.07-0.30 g; a pure rotation
with sensor noise 0.002 g, whose noise-over-noise ratio could pass for walking and delay a set's start."""
STEP_CYCLE_SCAN: tuple[float, ...] = (0.85, 0.92, 1.0, 1.08, 1.15, 1.25)
"""Arm-swing cycles tried around a run's measured cycle when looking for step impacts (walking): the cycle
from two short half-swing pairs is rough (a half-swing ends at a turning point blurred by the walk's taper or
the set-up that follows), and the step harmonic missed by 10 % falls into the spectral leakage of the cycle
rate; the largest ratio counts. Simulated sets (100): exact 54 -> 58 %, within one 78 -> 83 %; real counts
unchanged. 1.25: a walking run found in the accelerometer-only signal mixes step-rate half-swings (0.35 s)
with arm-swing ones and its measured cycle comes out short (0.86 s; simulated sets, 200, with
``SetRules.walk_pair``: 60.5/85 -> 61/86.5 %; real counts, demo counts and the largest real ratios unchanged)."""


@dataclass(frozen=True)
class EngineConfig:
    """Engine tuning. Units in the field names (see :class:`SetRules`)."""

    rules: SetRules = field(default_factory=SetRules)
    ring_size: int = 4096
    signal: str = "gyro"
    """Motion signal: ``gyro`` (integrated rotation about the dominant axis when a gyro is present, else the
    accelerometer signal) or ``lp`` (always the accelerometer signal)."""


@dataclass
class SessionAnalysis:
    """All sets of a recording, in the ``analyze --json`` shape."""

    sets: list[SetSummary] = field(default_factory=list)

    @property
    def total_reps(self) -> int:
        return sum(s.rep_count for s in self.sets)

    def to_dict(self) -> dict[str, Any]:
        return {"sets": [s.to_dict() for s in self.sets], "total_reps": self.total_reps}


class RepEngine:
    """Feed (n, 7) samples (``t, ax, ay, az, gx, gy, gz``; s, g, deg/s) in chunks of any size.

    Args:
        exercise: one of :data:`EXERCISES`' back exercises, or ``auto``.
        config: tuning.
    """

    def __init__(self, exercise: str = "auto", config: EngineConfig | None = None) -> None:
        if exercise != "auto" and exercise not in EXERCISES:
            raise ValueError(f"unknown exercise {exercise!r}")
        self.exercise = exercise
        self.config = config or EngineConfig()
        self.cond = Conditioner(self.config.signal)
        self.ring = Ring(self.config.ring_size)
        self.turns = TurningPoints()
        self.tracker = SetTracker(self.config.rules, self._classify, self._final_swing, self._trailing,
                                  self._step_ratio, self._tail_swing, self._reproject,
                                  lambda: self.cond.use_gyro, self._resplit, self._reproject_tail,
                                  None if exercise == "auto" else  # (auto: the classifier is the recogniser)
                                  lambda a, b: classify_span(self.ring, self.k_cur, a, b)[0])
        self.tracker.trailing_now = self._trailing_now
        self.tracker.axis_swing = self._axis_swing
        # (measured per accepted pull only where ``odd_axis_share`` reads it)
        self.tracker.axis_share = self._axis_share if self.config.rules.odd_axis_share > 0 else None
        self.tracker.pose_angle = self._pose_angle
        self.tracker.head_rep = self._head_rep
        self.tracker.since_extreme = self._since_extreme
        self.tracker.k_now = lambda: self.k_cur
        self.gapped = False  # a long dropout has been seen: the history no longer runs from the stream's start
        self.tracker.impact = self._impact
        self.impact_memo: tuple[tuple[int, int], float] = ((-1, -1), 0.0)  # the last half-swing's impact level
        self.reproject_view: _RingView | None = None
        self.k = 0
        self.k_cur = -1
        self.early_k0 = -1  # start index of the swing last considered for an early announcement
        self.stop_k0 = -1  # ... last refused when it stopped at the top (bigger or slower than the set's pulls)
        self.last_ext: tuple[int, float] | None = None
        self.t_now = math.nan
        self.bridged = 0  # grid samples interpolated across bridged dropouts so far
        self.bridged_at = np.zeros(self.ring.size, dtype=np.int64)  # ``bridged`` at each ring position
        self.in_long_gap = False  # the last grid sample was made up across a dropout longer than MAX_BRIDGE_S

    # -- public -----------------------------------------------------------------------------------------
    def feed(self, samples: np.ndarray) -> list[EngineEvent]:
        """Consume samples; return the events they complete."""
        samples = np.asarray(samples, dtype=np.float64)
        if samples.ndim != 2 or samples.shape[1] != 7:
            raise ValueError("samples must have shape (n, 7)")
        block = self.cond.feed(samples)
        m = len(block.t)
        if m == 0:
            return []
        step = Ring.BLOCK
        if m <= step:  # (a live chunk: no slicing)
            return self._process(block.t, block.acc_lp, block.q, block.gyro_mag, block.gap_s, block.base,
                                 block.rate, block.impact)
        events: list[EngineEvent] = []
        for j in range(0, m, step):
            events += self._process(block.t[j:j + step], block.acc_lp[j:j + step], block.q[j:j + step],
                                    block.gyro_mag[j:j + step], block.gap_s[j:j + step], block.base[j:j + step],
                                    block.rate[j:j + step], block.impact[j:j + step])
        return events

    def _process(self, ts: list[float], acc_lp: list[list[float]], qs: list[float], gyro: list[float],
                 gap_list: list[float], base: list[float], rate: list[tuple[float, float, float]],
                 impact: list[float]) -> list[EngineEvent]:
        """Run the per-sample state machine over at most ``Ring.BLOCK`` grid samples (see ``Block``)."""
        m = len(ts)
        k0 = self.k
        ring = self.ring
        ring.write(k0, ts, acc_lp, gyro, qs, base, rate, impact)
        events: list[EngineEvent] = []
        tracker, turns = self.tracker, self.turns
        h = tracker.hysteresis()
        size = ring.size
        for i, q in enumerate(qs):
            k = k0 + i
            self.k_cur = k
            t = ts[i]
            g = gap_list[i]
            if 0.0 < g <= MAX_BRIDGE_S:
                self.bridged += 1
                tracker.bridge(DT_S)
            self.bridged_at[k % size] = self.bridged
            if g > MAX_BRIDGE_S:
                # a long dropout: the signal across it is made up (interpolated), so nothing is read from it;
                # an open set ends where the data stopped and no swing spans the gap
                if not self.in_long_gap:
                    self.in_long_gap = True
                    self.gapped = True
                    if tracker.active is not None and k > 0:
                        self.k_cur = k - 1
                        events += tracker.finish(self.ring.t[(k - 1) % size].item())
                        self.k_cur = k
                    tracker.recent.clear()
                    self.turns = turns = TurningPoints()
                    self.last_ext = None
                    h = tracker.hysteresis()
                continue
            self.in_long_gap = False
            if tracker.active is None:
                h = tracker.idle_hysteresis(t)
            ext = turns.step(k, q, h)
            if ext is None and tracker.active is not None and self.last_ext is not None \
                    and self.early_k0 != self.last_ext[0]:
                d, travel, retreat = tracker.early_thresholds()
                if d == turns.direction:
                    peak, pk = (turns.hi, turns.hi_k) if d > 0 else (turns.lo, turns.lo_k)
                    turned = abs(peak - q) >= retreat
                    if abs(peak - self.last_ext[1]) >= travel and (turned or (
                            k - pk >= STOP_K and self.stop_k0 != self.last_ext[0])):
                        sw = self._measure(self.last_ext[0], self.last_ext[1], pk, peak, t)
                        ev = tracker.early_announce(sw, t, stopped=not turned,
                                                    retry=self.stop_k0 == self.last_ext[0])
                        if turned or ev:
                            self.early_k0 = self.last_ext[0]
                        else:  # refused when it stopped at the top: judged again when it turns back
                            self.stop_k0 = self.last_ext[0]
                        if ev:
                            events += ev
                            h = tracker.hysteresis()
            if ext is not None:
                if self.last_ext is not None:
                    sw = self._measure(self.last_ext[0], self.last_ext[1], ext[0], ext[1], t)
                    bridged = int(self.bridged - self.bridged_at[self.last_ext[0] % size])
                    events += tracker.on_swing(sw, t, bridged * DT_S)
                    h = tracker.hysteresis()
                # the stream's first sample is no turning point: no swing starts there
                self.last_ext = ext if ext[0] > 0 else None
            if tracker.active is not None or t >= tracker.short_at:
                ev = tracker.tick(t)
                if ev:
                    events += ev
                    h = tracker.hysteresis()
                if tracker.active is not None and tracker.active.pending is not None and turns.direction:
                    # a pull held as a possible walking arm swing: announce it once its cycle is too slow for one
                    pk = turns.hi_k if turns.direction > 0 else turns.lo_k
                    events += tracker.pending_ok(float(ring.t[pk % size]), t)
        self.k = k0 + m
        self.t_now = ts[-1]
        return events

    def finish(self) -> list[EngineEvent]:
        """End of stream: close any open set."""
        if self.t_now != self.t_now:
            return []
        self.k_cur = self.k - 1
        return self.tracker.finish(self.t_now)

    def _measure(self, k0: int, q0: float, k1: int, q1: float, t: float) -> Swing:
        """Measure the half-swing of ``q`` from grid index ``k0`` to ``k1`` (see :func:`measure_swing`)."""
        return measure_swing(self.ring, k0, q0, k1, q1, self.cond.delay_s, t)

    def _trailing(self) -> Swing | None:
        """The movement from the last confirmed turning point to the running extreme (not yet confirmed)."""
        tp = self.turns
        if self.last_ext is None or tp.direction == 0:
            return None
        k1, q1 = (tp.hi_k, tp.hi) if tp.direction > 0 else (tp.lo_k, tp.lo)
        if k1 <= self.last_ext[0] or not math.isfinite(q1):
            return None
        return self._measure(self.last_ext[0], self.last_ext[1], k1, q1,
                             float(self.ring.t[self.k_cur % self.ring.size]))

    def _impact(self, s: Swing) -> float:
        """Step-impact energy of half-swing ``s``: median over its grid samples of the RMS of |acc| high-passed at
        ``conditioning.IMPACT_HZ``, g (heel strikes while walking; see ``SetRules.impact_end``)."""
        key = (s.k0, s.k1)
        if self.impact_memo[0] != key:  # (asked twice per pull: by the end rule, then for the pull's record)
            self.impact_memo = (key, median(self.ring.impact[self.ring.span(s.k0, max(s.k1, s.k0))].tolist()))
        return self.impact_memo[1]

    def _axis_share(self, s: Swing) -> float:
        """How much of the wrist's rotation during half-swing ``s``'s movement ``q`` measures: the RMS of the
        motion signal's steps over the RMS of the full angular rate (any axis) from movement start to end
        (1 for a rotation about the signal's axis alone; inf without a gyro). A rep turns the forearm about
        the set's axis; putting a weight down and standing up wobble about the other two as well. Squared
        steps weigh the movement over the sensor noise of its slow parts (the sum of |rate| counted the noise
        of a real 4 s pull as rotation: 0.27x the set's pulls; see ``SetRules.odd_axis_share``)."""
        if not self.cond.use_gyro:
            return math.inf
        k0 = s.k0 + max(0, round((s.move_start - s.t0) / DT_S))
        k1 = min(s.k1, s.k0 + round((s.move_end - s.t0) / DT_S))
        pos = self.ring.span(k0, max(k1, k0 + 1))
        w = self.ring.rate[pos[1:]]
        dq = np.diff(self.ring.q[pos])
        tot = float(np.nansum(w * w)) * DT_S * DT_S
        return math.sqrt(float(dq @ dq) / tot) if tot > 0.0 else math.inf

    def _pose_angle(self, k0: int, k1: int, k2: int, k3: int) -> float:
        """Angle (deg) between the mean directions of the low-passed acceleration (gravity while the wrist moves
        slowly) over grid samples ``k0..k1`` and ``k2..k3`` (``SetRules.hang_pose_deg``)."""
        a = self.ring.acc[self.ring.span(k0, max(k1, k0))].mean(axis=0)
        b = self.ring.acc[self.ring.span(k2, max(k3, k2))].mean(axis=0)
        na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
        if not (na > 0.0 and nb > 0.0):
            return 0.0
        return math.degrees(math.acos(max(-1.0, min(1.0, float(a @ b) / (na * nb)))))

    def _trailing_now(self) -> Swing | None:
        """The unconfirmed movement (:meth:`_trailing`) carried on to the current sample: what ``q`` did after
        the running extreme, smaller than the hysteresis (for :meth:`_resplit` only)."""
        s = self._trailing()
        if s is None or self.k_cur <= s.k1:
            return None
        return replace(s, k1=self.k_cur)

    # -- callbacks for the set tracker ------------------------------------------------------------------
    def _since_extreme(self) -> Swing | None:
        """The movement from the running (unconfirmed) extreme to the current sample when ``q`` still moves its way
        there (the last step goes the same way): at the end of the stream, the start of a pull under way when it
        stopped, smaller than the hysteresis. None when there is none."""
        tp = self.turns
        if self.last_ext is None or tp.direction == 0:
            return None
        k0, q0 = (tp.hi_k, tp.hi) if tp.direction > 0 else (tp.lo_k, tp.lo)
        k1, size = self.k_cur, self.ring.size
        if k1 - k0 < 2 or not math.isfinite(q0):
            return None
        q1, q_prev = float(self.ring.q[k1 % size]), float(self.ring.q[(k1 - 1) % size])
        if (q1 - q0) * (q1 - q_prev) <= 0:
            return None
        return self._measure(k0, q0, k1, q1, float(self.ring.t[k1 % size]))

    def _step_ratio(self, k0: int, k1: int, cycle_s: float) -> float:
        """How much more |acc| varies at twice the cycle rate than at the cycle rate over grid samples
        ``k0..k1`` (walking: two step impacts per arm-swing cycle), the largest over cycles near ``cycle_s``
        (``STEP_CYCLE_SCAN``); 0 where the twice-the-cycle component is under ``STEP_MIN_G`` (no impacts:
        the ratio of two noise levels means nothing)."""
        pos = self.ring.span(k0, k1)
        acc = self.ring.acc[pos]
        m = np.sqrt((acc * acc).sum(axis=1))
        m -= m.mean()
        best = 0.0
        floor = STEP_MIN_G * len(m) / 2.0  # a sinusoid of amplitude A sums to A * n / 2
        for f in STEP_CYCLE_SCAN:
            ph = (2.0 * np.pi * DT_S / (f * cycle_s)) * np.arange(len(m))
            h1 = abs(complex(float(m @ np.cos(ph)), float(m @ np.sin(ph))))
            h2 = abs(complex(float(m @ np.cos(2 * ph)), float(m @ np.sin(2 * ph))))
            if h2 >= floor:
                best = max(best, h2 / max(h1, 1e-9))
        return best

    def _classify(self, start: float, end: float) -> tuple[str, float]:
        if self.exercise != "auto":
            return self.exercise, 1.0
        return classify_span(self.ring, self.k_cur, start, end)

    def _tail_swing(self, s: Swing, view: "_RingView | None" = None, max_frac: float = 0.0) -> Swing | None:
        """The last movement of half-swing ``s`` when it began after a pause inside ``s`` (a plateau of the
        motion signal: no turning point separates two movements in the same direction), else None.
        ``view``: the history with a re-derived motion signal (``s`` was found in it, see ``_reproject``);
        ``max_frac``: the largest share of ``s``'s amplitude the last movement may have (0: ``TAIL_MAX``)."""
        src = self.ring if view is None else view
        pos = src.span(s.k0, s.k1)
        q = src.q[pos]
        n = len(q)
        w = 5  # 0.2 s
        if n < 3 * w:
            return None
        end = float(q[-1])
        still = TAIL_STILL * s.amp
        j = n - 1 - w
        # back from the end: past the movement (some travel), to where the signal stops changing
        while j >= w and (abs(end - float(q[j])) < TAIL_MIN * s.amp or abs(float(q[j]) - float(q[j - w])) >= still):
            j -= 1
        if j < w:
            return None
        share = abs(end - float(q[j])) / s.amp if s.amp > 0 else math.inf
        if share > (max_frac or TAIL_MAX):
            if max_frac or share > TAIL_STILL_MAX:
                return None
            # most of the half-swing: only out of a long still pose (the set-up's wobble before it is no movement)
            i = j
            while i >= w and abs(float(q[i]) - float(q[i - w])) < still:
                i -= 1
            if (j - i) * DT_S < TAIL_STILL_S:
                return None
        if TAIL_START > 0 and self.cond.use_gyro:
            # the plateau test is relative to the whole half-swing (a big set-up movement): it places the start
            # of a slower, smaller last movement late, in its min-jerk run-up. Go back to where it starts
            sgn = 1.0 if end > float(q[j]) else -1.0
            lim = TAIL_START * abs(end - float(q[j]))
            # only the run-up the plateau test missed: at most twice its own threshold of travel (a slower
            # stretch of one long movement is no plateau)
            q_j = float(q[j])
            while j >= w and sgn * (float(q[j]) - float(q[j - w])) >= lim and \
                    sgn * (q_j - float(q[j - 1])) <= TAIL_RUNUP * still:
                j -= 1
        k_start = s.k1 - (n - 1 - j)
        if view is None:
            return self._measure(k_start, float(q[j]), s.k1, end, s.t_confirm)
        sw = measure_swing(view, k_start, float(q[j]), s.k1, end, self.cond.delay_s, s.t_confirm)
        return replace(sw, amp=sw.amp * view.scale)

    def _resplit(self, s: Swing, h: float) -> list[Swing]:
        """Half-swing ``s`` split at the turning points of ``q`` found with hysteresis ``h`` (smaller than the
        idle hysteresis it was found with); [s] when nothing splits it."""
        pos = self.ring.span(s.k0, s.k1)
        q = self.ring.q[pos]
        if len(q) != s.k1 - s.k0 + 1:
            return [s]
        tp = TurningPoints()
        tp.step(0, float(q[0]), h)
        ext: list[tuple[int, float]] = [(0, float(q[0]))]
        for i in range(1, len(q) - 1):
            e = tp.step(i, float(q[i]), h)
            if e is not None and e[0] > ext[-1][0]:
                ext.append(e)
        if len(ext) < 2:
            return [s]
        # the last extreme must alternate with the swing's end; drop a trailing one in the swing's direction
        ext.append((len(q) - 1, float(q[-1])))
        pts = [ext[0]]
        for e in ext[1:]:
            if len(pts) >= 2 and (e[1] - pts[-1][1]) * (pts[-1][1] - pts[-2][1]) > 0:
                pts[-1] = e  # same direction: merge
            else:
                pts.append(e)
        if len(pts) <= 2 or (pts[1][1] - pts[0][1]) * s.direction < 0:
            return [s]  # unsplit, or it went back beyond its start first (out of step with the swing before)
        return [self._measure(s.k0 + ia, qa, s.k0 + ib, qb, s.t_confirm) for (ia, qa), (ib, qb) in zip(pts, pts[1:])]

    def _rate_signal(self, pos: np.ndarray, j0: int, q0: float) -> tuple[np.ndarray, np.ndarray] | None:
        """The motion signal over ring positions ``pos`` derived again from the angular rate projected on the
        principal axis of its low-passed part from index ``j0`` on (the run), integrated from ``q0`` like the
        conditioner's, and the level it leaks toward; None where the rate has gaps."""
        w = self.ring.rate[pos]
        if not np.isfinite(w).all():
            return None
        a = self.cond.alpha_axis  # the conditioner's low-pass of the rate before its covariance
        wl = signal.lfilter([a], [1.0, a - 1.0], w, axis=0)[j0:]
        _, vecs = np.linalg.eigh(wl.T @ wl)
        r = w @ vecs[:, -1]
        gm = self.ring.gyro[pos]
        q = np.empty(len(r))
        base = np.empty(len(r))
        q[0] = ref = q0
        base[0] = ref
        leak, gain, still = self.cond.leak, self.cond.ref_gain, 0.0
        for i in range(1, len(r)):
            # the conditioner's integration, leaking toward where this signal last rested (the streaming
            # signal's resting level belongs to another axis)
            q[i], ref, still = leak_step(float(q[i - 1]), ref, still, float(gm[i]), float(r[i]), leak, gain)
            base[i] = ref
        return q, base

    def _acc_signal(self, pos: np.ndarray, j0: int) -> tuple[np.ndarray, np.ndarray] | None:
        """Accelerometer only: the low-passed acceleration over ring positions ``pos`` about its mean from index
        ``j0`` on (the run), projected on the principal axis of its variation there (gravity turning with the
        forearm, on the reps' own plane), g, and a zero resting level; None where it has gaps."""
        acc = self.ring.acc[pos]
        if not np.isfinite(acc).all():
            return None
        x = acc - acc[j0:].mean(axis=0)
        _, vecs = np.linalg.eigh(x[j0:].T @ x[j0:])
        q = x @ vecs[:, -1]
        return q, np.zeros(len(q))

    def _run_signal(self, pos: np.ndarray, j0: int, run: list[Swing], k_from: int
                    ) -> tuple[np.ndarray, np.ndarray, float, float] | None:
        """The motion signal over ring positions ``pos`` (grid index ``k_from`` on) derived again on the run's own
        axis from index ``j0`` on (:meth:`_rate_signal`, or :meth:`_acc_signal` without a gyro), signed like ``q``
        over the run, and its resting level; with the median amplitude of ``run``'s half-swings on it and the
        scale from it to ``q`` (the run's median amplitude there over that). None where it cannot be derived."""
        q_old = self.ring.q[pos]
        derived = self._rate_signal(pos, j0, float(q_old[0])) if self.cond.use_gyro else self._acc_signal(pos, j0)
        if derived is None:
            return None
        q, base = derived
        if float(np.diff(q[j0:]) @ np.diff(q_old[j0:])) < 0:  # same sign as q over the run
            q, base = 2.0 * q[0] - q, 2.0 * q[0] - base
        med = float(np.median([abs(q[s.k1 - k_from] - q[s.k0 - k_from]) for s in run]))
        if med <= 0:
            return None
        return q, base, med, float(np.median([s.amp for s in run])) / med

    def _reproject(self, run: list[Swing], k_from: int, lead: int = 0) -> list[Swing]:
        """The half-swings from grid index ``k_from`` to the end of ``run``, found again in the angular rate
        projected on the run's own rotation axis (accelerometer only: in the low-passed acceleration about its
        mean over the run, projected on the run's principal axis, with no slowly settling mean to hide the first
        reps after a set-up movement: simulated acc-only sets (100) exact 28 -> 47 %). Amplitudes are scaled so that
        the run's half-swings measure on this signal what they measured on ``q``. The history with that
        signal is kept in ``reproject_view`` (for ``_reproject_tail``)."""
        k0, k1 = run[0].k0, run[-1].k1
        pos = self.ring.span(k_from, k1)
        k_from = k1 - len(pos) + 1
        j0 = k0 - k_from
        if j0 < 10:
            return []
        derived = self._run_signal(pos, j0, run, k_from)
        if derived is None:
            return []
        q, base, med, scale = derived
        h = self.config.rules.hysteresis_fraction * med
        tp = TurningPoints()
        ext: list[tuple[int, float]] = []
        for i in range(len(q)):
            e = tp.step(i, float(q[i]), h)
            if e is not None and e[0] > 0:  # the first sample is no turning point of this signal
                ext.append(e)
        if not ext or ext[-1][0] < len(q) - 1:
            ext.append((len(q) - 1, float(q[-1])))
        if lead and len(ext) >= 2:
            # the first movement out of a still start may end in the first turning point with no turning
            # point before it (the signal rested at its lowest since the set-up): start a half-swing at the
            # opposite extreme before it (its tail after the plateau is measured when taking back)
            ia, qa = ext[0]
            seg = q[:ia]
            if ia > 1:
                j = int(np.argmin(seg)) if qa > ext[1][1] else int(np.argmax(seg))
                if abs(qa - float(seg[j])) >= max(h, self.config.rules.reproject_lead_min * med) \
                        and (qa > seg[j]) == (lead > 0):  # a full pull (direction ``lead``)
                    ext.insert(0, (j, float(seg[j])))
        view = _RingView(self.ring, pos, q, base, scale)
        t = float(self.ring.t[self.k_cur % self.ring.size])
        out: list[Swing] = []
        for (ia, qa), (ib, qb) in zip(ext, ext[1:]):
            sw = measure_swing(view, k_from + ia, qa, k_from + ib, qb, self.cond.delay_s, t)
            out.append(replace(sw, amp=sw.amp * scale))
        if out and out[-1].direction != run[-1].direction:
            out.pop()  # the run's last movement not complete on this signal
        self.reproject_view = view
        return out

    def _head_rep(self, run: list[Swing], conc_dir: int) -> tuple[Swing, Swing] | None:
        """A rep cut by the stream's start before ``run`` (which opens a set on its first pull, direction
        ``conc_dir``): from the stream's first sample the signal goes the pull's way to its extreme (the end of a
        pull under way when the sensor started) and then back, a whole lowering, into the run's first pull.
        Returns that visible part of the pull and the lowering, measured on the run's own rotation axis (gyro;
        the stream's axis has not settled at its start) or on the acceleration about the run's own mean and on
        its own axis (accelerometer only; the streaming signal's mean starts at the first sample), amplitudes
        comparable with ``run``'s; None when the history does not reach back to the stream's first sample or the
        signal has no such shape. Whether they make a rep is the tracker's call (``SetRules.edge_*``)."""
        k_run, k1 = run[0].k0, run[-1].k1
        if self.gapped or k_run < 3 or k1 - (self.ring.size - Ring.BLOCK) + 1 > 0:
            return None
        pos = self.ring.span(0, k1)
        derived = self._run_signal(pos, k_run, run, 0)
        if derived is None:
            return None
        q, base, med, scale = derived
        view = _RingView(self.ring, pos, q, base, scale)
        seg = conc_dir * q[:k_run + 1]
        j = int(np.argmax(seg))
        if j == 0 or j == k_run:
            return None
        t = float(self.ring.t[self.k_cur % self.ring.size])
        pull = measure_swing(view, 0, float(q[0]), j, float(q[j]), self.cond.delay_s, t)
        low = measure_swing(view, j, float(q[j]), k_run, float(q[k_run]), self.cond.delay_s, t)
        # the lowering must run into the run's first pull, not below where it starts and back (another movement)
        dip = float(seg[k_run] - seg[j:k_run + 1].min()) * scale
        if dip > self.config.rules.edge_dip * float(np.median([s.amp for s in run])):
            return None
        return replace(pull, amp=pull.amp * scale), replace(low, amp=low.amp * scale)

    def _axis_swing(self, run: list[Swing], s: Swing) -> Swing | None:
        """Half-swing ``s`` (before ``run``) measured again on the run's own rotation axis (the signal of
        ``_reproject`` from ``s``'s start), amplitude scaled as there; None without a gyro, when too short or
        when it goes the other way on that axis. ``reproject_view`` is left as it was."""
        if not self.cond.use_gyro:
            return None
        saved, self.reproject_view = self.reproject_view, None
        try:
            self._reproject(run, s.k0)
            view = self.reproject_view
            if view is None:
                return None
            q = view.q[view.span(s.k0, s.k1)]
            if len(q) != s.k1 - s.k0 + 1:
                return None
            sw = measure_swing(view, s.k0, float(q[0]), s.k1, float(q[-1]), self.cond.delay_s, s.t_confirm)
        finally:
            self.reproject_view = saved
        if sw.direction != s.direction:
            return None
        return replace(sw, amp=sw.amp * view.scale)

    def _reproject_tail(self, s: Swing) -> Swing | None:
        """``_tail_swing`` of a half-swing found by the last ``_reproject``, on its re-derived signal."""
        return self._tail_swing(s, self.reproject_view) if self.reproject_view is not None else None

    def _final_swing(self, conc: Swing, until: Swing | None = None) -> Swing | None:
        """The lowering after a pull that was not confirmed as an ordinary swing: at the end of a set, or
        merged into a large movement (letting go of the bar, racking). It ends where the motion signal first
        gets back to the level the pull started from, or at its extreme, whichever comes first; None if
        it does not come back at least half way."""
        k_last = self.k_cur if until is None else until.k1
        if k_last <= conc.k1:
            return None
        pos = self.ring.span(conc.k1, k_last)
        q = self.ring.q[pos]
        sign = -conc.direction
        travel = sign * (q - q[0])
        back = np.nonzero(travel >= conc.amp)[0]
        j = int(back[0]) if len(back) else int(np.argmax(travel))
        if j == 0 or travel[j] < 0.5 * conc.amp:
            return None
        return self._measure(conc.k1, float(q[0]), conc.k1 + j, float(q[j]),
                             float(self.ring.t[k_last % self.ring.size]))


class _RingView:
    """The ring's history with ``q`` replaced over ``pos`` (for :func:`measure_swing` on another signal)."""

    def __init__(self, ring: Ring, pos: np.ndarray, q: np.ndarray, base: np.ndarray | None = None,
                 scale: float = 1.0) -> None:
        self.t, self.acc, self.gyro, self.size = ring.t, ring.acc, ring.gyro, ring.size
        self.q = ring.q.copy()
        self.q[pos] = q
        self.base = ring.base
        if base is not None:
            self.base = ring.base.copy()
            self.base[pos] = base
        self.scale = scale  # amplitudes on this signal times ``scale`` compare with the streaming signal's
        self.span = ring.span


def analyze_samples(samples: np.ndarray, exercise: str = "auto", config: EngineConfig | None = None) -> SessionAnalysis:
    """Run the streaming engine over a whole recording and collect the sets."""
    engine = RepEngine(exercise, config)
    events = engine.feed(samples) + engine.finish()
    return SessionAnalysis([e.summary for e in events if isinstance(e, SetEnded)])
