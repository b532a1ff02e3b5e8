"""Set segmentation and rep bookkeeping: from half-swings to sets, reps and events.

A set becomes certain once ``start_swings`` consecutive half-swings are rhythmically consistent (similar
amplitude and period, large enough). Set-up motion before the first rep (reaching for the bar, sitting
down) rarely matches the rhythm that follows, so it is not counted. A set ends after a rest of a few rep
periods or at a swing far larger/slower than the set's own (racking, walking away).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np

from repcounter.engine.conditioning import DT_S
from repcounter.engine.events import EngineEvent, Rep, RepAnnounced, RepCompleted, SetEnded, SetStarted
from repcounter.engine.phases import faster_direction
from repcounter.engine.reps import Swing
from repcounter.engine.set_rules import SetRules
from repcounter.engine.set_start import StartRun
from repcounter.engine.swing_stats import alike as _alike, cycle_s as _cycle_s, median as _median, wobble
from repcounter.engine.tempo import announced_rep, completed_rep, summarize


def _confidence(amp: float, med: float) -> float:
    """A rep's confidence from its amplitude against the median of the set's pulls (both in units of the motion
    signal): 1 at the median, falling with the log ratio, floor 0.3, rounded to 3 digits."""
    return round(float(max(0.3, min(1.0, 1.0 - abs(math.log(max(amp, 1e-6) / med))))), 3)


@dataclass
class _OpenRep:
    rep: Rep
    conc: Swing
    ecc: Swing | None = None


@dataclass(frozen=True)
class _Pull:
    """One pull's measures, kept for the set's medians over its recent pulls."""

    move_s: float  # movement time, s
    duration_s: float  # half-swing duration, s
    rom_deg: float  # forearm tilt, deg
    share: float  # axis share (``SetRules.odd_axis_share``), NaN without the callback
    impact: float  # step-impact energy, g (``SetRules.impact_end``), NaN without the callback


@dataclass
class _ActiveSet:
    index: int
    conc_dir: int
    exercise: str
    exercise_confidence: float
    reps: list[_OpenRep] = field(default_factory=list)
    done: list[Rep] = field(default_factory=list)
    done_amps: list[float] = field(default_factory=list)
    amps: list[float] = field(default_factory=list)  # recent swing amplitudes
    rep_amps: list[float] = field(default_factory=list)
    periods: list[float] = field(default_factory=list)
    last_extreme_t: float = 0.0
    rest_s: float = 10.0  # rest that ends the set, s (updated with each rep)
    h: float = 0.0  # turning-point hysteresis in the set (updated with each rep)
    tail: list[Swing] = field(default_factory=list)  # the last half-swings above the wobble threshold
    quick_k: int = -1  # end of the last pull skipped as a step-rate cycle (``SetRules.quick_cycle``)
    peaks: dict[int, list[float]] = field(default_factory=lambda: {1: [], -1: []})  # recent peak speeds, deg/s
    pending: Swing | None = None  # a pull at walking cadence held back until the next half-swing (see _held)
    pending_out: tuple[int, int] | None = None  # (k0, rep index) of the held pull once announced (``pending_ok``)
    odd: list[Swing] = field(default_factory=list)  # a pull out of rhythm and the half-swings after it (_odd)
    lows: list[tuple[float, float, float]] = field(default_factory=list)  # recent lowerings: move s, duration s, tilt deg
    cut: list[int] = field(default_factory=list)  # indices of reps cut by the stream's edge (flagged partial)
    walk_ref: float = math.inf  # step-impact energy of the pulls of a set ended just before, g (``walk_off_s``)
    pulls: list[_Pull] = field(default_factory=list)  # the last 16 pulls' measures

    def recent(self, name: str) -> float:
        """Median of measure ``name`` (a :class:`_Pull` field) over the last 8 pulls."""
        return _median([getattr(p, name) for p in self.pulls[-8:]])


ODD_MAX = 8
"""Most half-swings held after a pull out of rhythm (``SetRules.odd_move``): more show that the set goes on."""


Classifier = Callable[[float, float], tuple[str, float]]
"""(start, end) signal times -> (exercise, confidence)."""

FinalSwing = Callable[[Swing, Swing | None], Swing | None]
"""Given a pull (and the oversized swing that followed it, if any), measure its lowering."""


def _hold_s(s: Swing, nxt: Swing) -> float:
    """How long the wrist holds still between ``s``'s movement and the next half-swing's, s: the end of ``s``
    after its movement stops plus the start of ``nxt`` before its movement begins (a hold splits at the turning
    point wherever the signal's slow drift puts it)."""
    return max(0.0, s.t1 - s.move_end) + max(0.0, nxt.move_start - nxt.t0)


class SetTracker:
    """Consumes half-swings and time ticks, emits engine events."""

    def __init__(self, rules: SetRules, classify: Classifier, final_swing: FinalSwing,
                 trailing: Callable[[], Swing | None],
                 step_ratio: Callable[[int, int, float], float] | None = None,
                 tail_swing: Callable[[Swing], Swing | None] | None = None,
                 reproject: Callable[..., list[Swing]] | None = None,
                 gyro_signal: Callable[[], bool] = lambda: True,
                 resplit: Callable[[Swing, float], list[Swing]] | None = None,
                 reproject_tail: Callable[[Swing], Swing | None] | None = None,
                 posture: Callable[[float, float], str] | None = None) -> None:
        self.rules = rules
        # recognised exercise of a span when the exercise is given, None where ``classify`` already recognises
        # (short sets: a back exercise's posture)
        self.posture = posture
        self.reproject_tail = reproject_tail  # tail_swing on the signal of the last reproject call
        self.resplit = resplit
        self.reproject = reproject
        self.gyro_signal = gyro_signal  # the motion signal is the gyro angle (else it is itself the tilt)
        self.tail_swing = tail_swing
        self.step_ratio = step_ratio
        self.trailing = trailing
        self.trailing_now: Callable[[], Swing | None] | None = None  # trailing movement on to the current sample
        # a half-swing before a starting run measured on the run's own rotation axis (``SetRules.tail_axis``)
        self.axis_swing: Callable[[list[Swing], Swing], Swing | None] | None = None
        self.axis_share: Callable[[Swing], float] | None = None  # see ``SetRules.odd_axis_share``
        self.impact: Callable[[Swing], float] | None = None  # step-impact energy of a half-swing, g (``impact_end``)
        # angle (deg) between the mean gravity directions over grid samples k0..k1 and k2..k3 (``hang_pose_deg``)
        self.pose_angle: Callable[[int, int, int, int], float] | None = None
        # the visible end of a pull cut by the stream's start and its lowering, before a starting run (``edge_*``)
        self.head_rep: Callable[[list[Swing], int], tuple[Swing, Swing] | None] | None = None
        # the movement from the running extreme to the last sample, still going its way there (``edge_tail_amp``)
        self.since_extreme: Callable[[], Swing | None] | None = None
        self.k_now: Callable[[], int] | None = None  # grid index of the sample being processed
        self.classify = classify
        self.final_swing = final_swing
        self.recent: deque[Swing] = deque(maxlen=max(12, rules.fast_start_swings, rules.start_swings))
        self.active: _ActiveSet | None = None
        self.set_count = 0
        self._idle_h = rules.min_hysteresis_g
        self._idle_valid_until = -math.inf
        self._h_max = 0.0
        self._swing_h: dict[int, float] = {}
        self._walk_k = -1  # half-swings starting before this grid index were walking
        self._last_set: tuple[float, float] | None = None  # last set's last rep end (s), pulls' step impacts (g)
        self.short_at = math.inf  # idle: grid time at which the last half-swings are tried as a short set

    # -- thresholds -----------------------------------------------------------------------------------
    def hysteresis(self) -> float:
        """Turning-point hysteresis for the next sample, g."""
        r = self.rules
        if self.active is None or not self.active.rep_amps:
            return r.min_hysteresis_g
        return self.active.h

    def idle_hysteresis(self, t: float) -> float:
        """Hysteresis while no set is open: a fraction of the 3rd-largest swing of the last
        ``idle_window_s`` (so one big set-up movement does not hide the reps that follow), g."""
        if t < self._idle_valid_until:
            return self._idle_h
        r = self.rules
        live = [s for s in self.recent if t - s.t1 < r.idle_window_s]
        amps = sorted((s.amp for s in live), reverse=True)
        self._idle_h = r.min_hysteresis_g if len(amps) < max(1, r.idle_min_swings) else \
            max(r.min_hysteresis_g, r.idle_fraction * amps[min(2, len(amps) - 1)])
        self._h_max = max(self._h_max, self._idle_h)
        # valid until the oldest swing used leaves the window (or a new swing arrives: see on_swing)
        self._idle_valid_until = min((s.t1 + r.idle_window_s for s in live), default=math.inf)
        return self._idle_h

    def _med_amp(self) -> float:
        """Median amplitude of the set's recent pulls, g."""
        assert self.active is not None
        return _median(self.active.rep_amps[-8:])

    def _med_period(self) -> float:
        assert self.active is not None
        if self.active.periods:
            return _median(self.active.periods[-8:])
        return 4.0

    # -- input ----------------------------------------------------------------------------------------
    def on_swing(self, s: Swing, t: float, gap_s: float = 0.0) -> list[EngineEvent]:
        """A new half-swing was confirmed at grid time ``t``; ``gap_s`` of it (s) was a bridged dropout."""
        self._idle_valid_until = -math.inf
        if self.active is None:
            # the largest idle hysteresis in force while this half-swing was found
            self._swing_h[s.k1] = max(self._h_max, self._idle_h)
            while len(self._swing_h) > 2 * (self.recent.maxlen or 12):
                del self._swing_h[next(iter(self._swing_h))]
            self._h_max = 0.0
            r = self.rules
            n = r.short_swings
            if n > 0 and len(self.recent) >= n:
                # a half-swing far bigger or slower than the last few ends them like a set (letting go of the bar)
                last = list(self.recent)[-n:]
                med = _median([x.amp for x in last])
                ends = s.amp > r.big_fraction * med or s.duration_s > max(r.slow_factor * _cycle_s(last) / 2, 8.0)
                violent = not ends and self._short_violent(s)  # (only then is a wobble before it stepped over)
                if ends or violent:
                    wobble = self._drop_wobble() if violent else []
                    events = self._try_short(t)
                    if self.active is None:
                        self.recent.extend(wobble)
                    if self.active is not None:
                        return events + self._in_set(s, t, gap_s, ends=violent)
            self.recent.append(s)
            events = self._try_start(t)
            self.short_at = math.inf
            if self.active is None and n > 0 and len(self.recent) >= n:
                # ... and so does a rest as long as the rest that ends a set of that rhythm
                cycle = _cycle_s(list(self.recent)[-n:])
                self.short_at = s.t1 + max(r.short_rest_s, r.rest_periods * cycle)
            return events
        return self._in_set(s, t, gap_s)

    def bridge(self, dt: float) -> None:
        """``dt`` seconds of a short sensor dropout passed: no samples arrived, so it is not rest."""
        if self.active is not None:
            self.active.last_extreme_t += dt

    def tick(self, t: float) -> list[EngineEvent]:
        """Called for each grid sample; ends the set after a rest."""
        a = self.active
        if a is None:
            if t >= self.short_at:  # a rest after a run too short to start a set
                self.short_at = math.inf
                return self._try_short(t)
            return []
        if t - a.last_extreme_t > a.rest_s:
            return self._end(t)
        return []

    def finish(self, t: float) -> list[EngineEvent]:
        """End of stream."""
        events: list[EngineEvent] = []
        if self.active is None and self.short_at < math.inf:
            self.short_at = math.inf
            events += self._try_short(t)
        return events + (self._end(t, stream_end=True) if self.active is not None else [])

    # -- idle: look for a rhythmic run ----------------------------------------------------------------
    def _consistent(self, run: list[Swing], amp: bool = True) -> bool:
        """``run`` is rhythmic: amplitudes (unless not ``amp``), durations, cycle periods, movement times and peak
        speeds alike."""
        r = self.rules
        amps = [s.amp for s in run]
        if min(amps) < r.min_amp_g or (amp and max(amps) > r.start_amp_ratio * min(amps)):
            return False
        if any(not (r.min_swing_s <= s.duration_s <= r.max_swing_s) for s in run):
            return False
        periods = [run[i].duration_s + run[i + 1].duration_s for i in range(0, len(run) - 1, 2)]
        if len(periods) >= 2 and max(periods) > r.start_period_ratio * min(periods):
            return False
        if r.start_move_ratio > 0:
            for d in (1, -1):
                mv = [s.move_s for s in run if s.direction == d]
                if len(mv) >= 2 and max(mv) > r.start_move_ratio * max(min(mv), 1e-3):
                    return False
        if r.start_peak_ratio > 0:  # a set-up jerk among slow reps
            for d in (1, -1):
                pk = [s.peak_speed_dps for s in run if s.direction == d]
                if len(pk) >= 2 and max(pk) > r.start_peak_ratio * max(min(pk), 1e-3):
                    return False
        if _median(periods) < r.min_period_s:  # arm swing while walking is ~1 s per cycle
            return False
        if max(s.move_s for s in run) < r.min_move_s:  # ... with quick, even halves
            return False
        return True

    def _short_ok(self, run: list[Swing]) -> bool:
        """The last half-swings before a rest are a short set's (see ``SetRules.short_swings``)."""
        r = self.rules
        if not self._consistent(run) and not (self._tilt_sized(run) and self._consistent(run, amp=False)):
            return False
        for d in (1, -1):
            same = [s for s in run if s.direction == d]
            if len(same) < 2:
                continue
            if not _alike([s.rom_deg for s in same], r.short_ratio):
                return False
            move_ratio = r.short_move_ratio if r.short_move_ratio > 0 and self.gyro_signal() else r.short_ratio
            if not _alike([s.move_s for s in same], move_ratio):
                return False
            if not _alike([s.move_peak for s in same], r.short_peak_ratio or r.short_ratio):
                return False
            if min(s.rom_deg for s in same) < r.short_min_deg:
                return False
        return True

    def _wobble_tail(self) -> int:
        """How many of the last half-swings are a wobble after a run (each under the turning-point hysteresis a
        set of the ``short_swings`` half-swings before them would have, ``hysteresis_fraction`` of their median
        amplitude: in a set they make no turning points) and quick (moving under ``wobble_move`` x their median
        movement time: a small rep moves at the set's pace), at most ``short_swings`` - 1."""
        r = self.rules
        n = r.short_swings
        rec = list(self.recent)
        for k in range(1, n):
            if len(rec) < n + k:
                return 0
            run, tail = rec[-n - k:-k], rec[-k:]
            med = _median([y.amp for y in run])
            if all(x.amp >= r.hysteresis_fraction * med for x in run) and \
                    wobble(tail, med, _median([y.move_s for y in run]), r.hysteresis_fraction, r.wobble_move):
                return k
        return 0

    def _short_violent(self, s: Swing) -> bool:
        """Half-swing ``s`` ends the last ``short_swings`` half-swings (a wobble after them stepped over, see
        :meth:`_wobble_tail`) like a violent movement ends a set (``short_violent``: the in-set release and
        fast-end tests of :meth:`_violent`, against their median amplitude and the peak angular speed of the
        last ``short_swings`` + 1 half-swings in its direction): getting off the machine right after the last
        lowering, with no rest and too small for ``big_fraction``."""
        r = self.rules
        n = r.short_swings
        if not r.short_violent or r.fast_end_factor <= 0:
            return False
        k = self._wobble_tail()
        rec = list(self.recent)[:len(self.recent) - k]
        if len(rec) < n + 1:
            return False
        med = _median([x.amp for x in rec[-n:]])
        pk = [x.peak_speed_dps for x in rec[-n - 1:] if x.direction == s.direction]
        if len(pk) < 2:
            return False
        pmed = _median(pk)
        if r.release_factor > 0 and s.amp > r.release_amp * med and s.peak_speed_dps > r.release_factor * pmed:
            return True
        return s.amp > r.fast_end_amp * med and s.peak_speed_dps > r.fast_end_factor * pmed

    def _drop_wobble(self) -> list[Swing]:
        """Take the wobble after the last run (:meth:`_wobble_tail`) off ``recent``; returns it."""
        k = self._wobble_tail()
        return [self.recent.pop() for _ in range(k)][::-1]

    def _tilt_sized(self, run: list[Swing]) -> bool:
        """A short set's half-swings all tilt the forearm alike and far enough (``SetRules.short_tilt_amp``, gyro
        only): their size is then judged by the tilt, not by ``q``."""
        r = self.rules
        if r.short_tilt_amp <= 0 or not self.gyro_signal():
            return False
        rom = [s.rom_deg for s in run]
        return min(rom) >= r.short_min_deg and _alike(rom, r.short_tilt_amp)

    def _try_short(self, t: float) -> list[EngineEvent]:
        """The last half-swings as a short set; else, when the last one is much smaller than those before it
        (a partial last rep breaks the twin test), the ones before it, the small one then taken in the set."""
        events = self._try_start(t, short=True)
        r = self.rules
        n = r.short_swings
        if self.active is None:
            events += self._try_short_split(t)
        if self.active is not None or r.short_skip_amp <= 0 or len(self.recent) < n + 1:
            return events
        last, run = self.recent[-1], list(self.recent)[-n - 1:-1]
        if last.amp >= r.short_skip_amp * _median([x.amp for x in run]) or last.direction != self._direction(run):
            return events  # (a small lowering after the last pull: the set-up's, no partial rep)
        self.recent.pop()
        events = self._try_start(t, short=True)
        if self.active is None:
            self.recent.append(last)
            return events
        med = self._med_amp()
        if last.amp < r.noise_fraction * med and self._partial_pull(last, med):
            return events + self._accept(last, t)  # a failed last pull (too small for the set's noise test)
        return events + self._in_set(last, t)

    def _try_short_split(self, t: float) -> list[EngineEvent]:
        """The last half-swings as a short set when the first of them, a pull far longer than its twin, hides a
        partial rep (pull, lowering, full pull: see ``SetRules.short_split``); its pieces replace it."""
        r = self.rules
        n = r.short_swings
        if not r.short_split or r.partial_h <= 0 or self.resplit is None or not self.gyro_signal() \
                or len(self.recent) < n:
            return []
        run = list(self.recent)[-n:]
        first = run[0]
        if first.move_s <= r.start_move_ratio * run[-1].move_s:
            return []
        med = _median([x.amp for x in run[1:]])
        pieces = self.resplit(first, r.partial_h * med)
        if len(pieces) != 3:
            return []
        pull, back, full = pieces
        if not (r.partial_min * med <= pull.amp <= med and back.amp >= 0.5 * pull.amp
                and min(p.duration_s for p in pieces) >= r.min_swing_s
                and r.noise_fraction * med <= full.amp <= r.big_fraction * med):
            return []
        saved = list(self.recent)
        tail = [self.recent.pop() for _ in range(n - 1)][::-1]
        self.recent.pop()
        self.recent.extend(pieces + tail)
        events = self._try_start(t, short=True)
        if self.active is None:
            self.recent.clear()
            self.recent.extend(saved)
        return events

    def _try_start(self, t: float, short: bool = False) -> list[EngineEvent]:
        """Start a set when the last half-swings are a rhythmic run (``short``: a short set's run, tried at a rest
        or at a half-swing that ends it); the half-swings before it that belong to the set are taken back."""
        found = self._starting_run(short)
        if found is None:
            return []
        run, n = found
        if self._walking_into(run, n) or self._busy_before(run) or self._pose_wander(run) or self._walk_off(run):
            return []
        start = StartRun(self, run, list(self.recent)[:-n], short)
        taken = start.taken()
        if taken is None:
            return []
        run, conc_dir = self._from_first_pull(taken, start_k=start.start_run[0].k0)
        run = self._out_of_start_pose(run, conc_dir, start.start_run)
        first_k = run[0].k0 if run else -1
        # (a short set is found after its end: the movement that ended it is not the exercise's)
        exercise, conf = self.classify(run[0].move_start, run[-1].t1 if short and run else t)
        if short and (sum(1 for s in run if s.direction == conc_dir) < 2 or exercise == "other" or (
                self.posture is not None and self.posture(run[0].move_start, run[-1].t1) == "other")):
            return []
        if exercise in self.rules.hang_exercises and self.gyro_signal() and \
                _median([s.rom_deg for s in start.start_run]) < self.rules.hang_min_deg:
            return []
        # a set named ``other`` at its start is held like a hanging pull after the arm went overhead (a reach up
        # to the bar, tilting the forearm ``reproject_reach_deg`` or more, just before the run)
        reached = exercise == "other" and self.rules.hang_rom_other and self.rules.reproject_reach_deg > 0 and \
            any(s.rom_deg >= self.rules.reproject_reach_deg for s in start.before)
        if (exercise in self.rules.hang_exercises or reached) and self.rules.hang_rom_ratio > 0 and self.gyro_signal():
            if self._still_hanging(start.start_run):
                return []
            if self.rules.hang_take_trim:
                run, conc_dir = self._after_hang(run, conc_dir, start.start_run)
            if exercise in self.rules.hang_exercises:
                run = self._from_overhead(run, conc_dir)
            if run and run[0].k0 != first_k:  # the pull now first is judged by its start pose too
                run = self._out_of_start_pose(run, conc_dir, start.start_run)
        run, _ = self._from_first_pull(start.without_off_axis(run), conc_dir)
        return self._open_set(run, conc_dir, exercise, conf, t, self._cut_head(run, conc_dir))

    def _cut_head(self, run: list[Swing], conc_dir: int) -> tuple[Swing, Swing] | None:
        """The rep the stream's start cut before ``run`` (see ``SetRules.edge_head_amp``): the visible end of its
        pull and its whole lowering, or None."""
        r = self.rules
        if r.edge_head_amp <= 0 or self.head_rep is None or not (self._edges_on() or r.edge_head_acc):
            return None
        pulls = [s for s in run if s.direction == conc_dir]
        lows = [s for s in run if s.direction != conc_dir]
        if len(pulls) < 2 or not lows:
            return None
        found = self.head_rep(run, conc_dir)
        if found is None:
            return None
        pull, low = found
        amp = _median([s.amp for s in run])
        if pull.amp < r.edge_head_amp * amp or \
                pull.duration_s > r.edge_head_time * _median([s.duration_s for s in pulls]):
            return None
        if not r.edge_low_min * amp <= low.amp <= r.edge_low_max * amp or \
                not low.move_s / r.edge_low_time <= _median([s.move_s for s in lows]) \
                <= low.move_s * r.edge_low_time or \
                low.duration_s > r.edge_low_time * _median([s.duration_s for s in lows]):
            return None
        return pull, low

    def _starting_run(self, short: bool) -> tuple[list[Swing], int] | None:
        """The rhythmic run the last half-swings make, and how many of the last half-swings precede it: the last
        ``start_swings`` (``short_swings``), or two more with a partial rep (a small pull and its lowering) in
        the middle (``start_partial``), or the last ``fast_start_swings`` at a fast rhythm; None when they are
        no such run."""
        n = self.rules.short_swings if short else self.rules.start_swings
        if len(self.recent) < n:
            return None
        run = list(self.recent)[-n:]
        if run[0].k0 < self._walk_k:
            return None
        if not (self._short_ok(run) if short else self._consistent(run)):
            # a partial rep inside the starting run (a small pull and its lowering) breaks every window of 4:
            # the run with that pair in the middle, the others rhythmic around it
            r = self.rules
            if short or r.start_partial <= 0 or len(self.recent) < n + 2:
                return None
            cand = list(self.recent)[-(n + 2):]
            core = cand[:2] + cand[4:]
            m = _median([x.amp for x in core])
            mv = {d: _median([y.move_s for y in core if y.direction == d]) for d in (1, -1)
                  if any(y.direction == d for y in core)}
            if cand[0].k0 < self._walk_k or not self._consistent(core) or not all(
                    r.partial_min * m <= x.amp <= r.start_partial * m and r.min_swing_s <= x.duration_s <= r.max_swing_s
                    and x.direction in mv and x.move_s <= r.start_partial_move * mv[x.direction] for x in cand[2:4]):
                return None
            run, n = cand, n + 2
        # a fast rhythm (arm swing while walking is ~1 s per cycle) must last longer to be a set
        if _cycle_s(run) < self.rules.fast_period_s:
            m = self.rules.fast_start_swings
            if len(self.recent) < m or not self._consistent(list(self.recent)[-m:]):
                return None
            run = list(self.recent)[-m:]
        return run, n

    def _walking_into(self, run: list[Swing], n: int) -> bool:
        """``run`` is arm swing while walking (two step impacts per cycle), straddles the end of a short walk, or
        starts within ``walk_holdoff_s`` of one (``n``: half-swings of the run as found, see
        :meth:`_starting_run`); a walk also excludes its half-swings from later runs (``walk_exclude``)."""
        r = self.rules
        if r.step_ratio > 0 and self.step_ratio is not None:
            cycle = _cycle_s(run)
            limit = r.step_ratio
            if r.step_ratio_fast > 0 and cycle < r.step_cycle_s:
                limit = r.step_ratio_fast
            if self.step_ratio(run[0].k0, run[-1].k1, cycle) > limit:
                if r.walk_exclude and cycle < r.step_cycle_s:
                    self._walk_k = run[-1].k1
                return True
            if r.walk_pair and cycle >= r.step_cycle_s:
                # a run straddling the end of a short walk: one cycle at walking cadence, one slower
                for i in range(0, len(run) - 1, 2):
                    c = run[i].duration_s + run[i + 1].duration_s
                    if c < r.step_cycle_s and self._steps(run[i].k0, run[i + 1].k1, c):
                        if r.walk_exclude:
                            self._walk_k = run[i + 1].k1
                        return True
        if r.walk_holdoff_s > 0 and self.step_ratio is not None:
            rr = list(self.recent)[-(n + 6):]
            lim = run[0].t0 - r.walk_holdoff_s
            for a, b in zip(rr, rr[1:]):
                c = b.t1 - a.t0
                if lim <= b.t1 and b.k1 <= run[1].k1 and c < r.step_cycle_s and self._steps(a.k0, b.k1, c):
                    return True
        return False

    def _walk_off(self, run: list[Swing]) -> bool:
        """``run`` starts within ``SetRules.walk_off_s`` of the last set's last rep and carries step impacts far
        above that set's pulls (``walk_off_ratio`` x their median, over ``impact_min_g``): walking away from the
        station, the test ``impact_end`` makes inside a set, for a walk that only starts after the set ended."""
        r = self.rules
        if r.walk_off_s <= 0 or self._last_set is None or not self._impacts_on():
            return False
        level = self._walk_ref(run[0].t0)
        e = max(self.impact(s) for s in run)
        return e > r.impact_min_g and e > r.walk_off_ratio * level

    def _pull(self, s: Swing) -> _Pull:
        """Pull ``s``'s measures for the set's medians (:meth:`_ActiveSet.recent`)."""
        return _Pull(s.move_s, s.duration_s, s.rom_deg, self.axis_share(s) if self.axis_share is not None else math.nan,
                     self.impact(s) if self.impact is not None else math.nan)

    def _impacts_on(self) -> bool:
        """The step-impact rules run (``SetRules.impact_end``; on gyro streams only with ``impact_gyro``)."""
        r = self.rules
        return r.impact_end > 0 and self.impact is not None and (r.impact_gyro or not self.gyro_signal())

    def _walk_ref(self, t0: float) -> float:
        """Step-impact energy of the last set's pulls when a set starting at ``t0`` is within ``walk_off_s`` of
        its last rep, g, else inf."""
        if self._last_set is None or t0 - self._last_set[0] > self.rules.walk_off_s:
            return math.inf
        return self._last_set[1]

    def _busy_before(self, run: list[Swing]) -> bool:
        """The run starts where a long unbroken movement of about its size ends (arm swing while walking, merged
        by the idle hysteresis into one half-swing, running into the set-up): the lifter was not yet set
        (``start_busy_ratio``)."""
        r = self.rules
        if r.start_busy_ratio <= 0 or len(self.recent) <= len(run):
            return False
        prev = self.recent[-len(run) - 1]
        return prev.k1 == run[0].k0 and prev.amp <= r.big_fraction * _median([x.amp for x in run]) and \
            prev.move_s > r.start_busy_ratio * _median([x.move_s for x in run]) and \
            prev.rom_deg <= _median([x.rom_deg for x in run])

    def _pose_wander(self, run: list[Swing]) -> bool:
        """The run's half-swings in one direction end in forearm poses (mean gravity direction over the last
        ``start_pose_s`` of each) over ``start_pose_deg`` apart: reps return to the same turning poses, a lifter
        moving about between sets does not."""
        r = self.rules
        if r.start_pose_deg <= 0 or self.pose_angle is None:
            return False
        n = max(1, round(r.start_pose_s / DT_S))
        for d in (1, -1):
            ends = [s.k1 for s in run if s.direction == d]
            for i, a in enumerate(ends):
                for b in ends[i + 1:]:
                    if self.pose_angle(a - n, a, b - n, b) > r.start_pose_deg:
                        return True
        return False

    def _out_of_start_pose(self, run: list[Swing], conc_dir: int, start_run: list[Swing]) -> list[Swing]:
        """``run`` from its next pull when its first pull, taken back before the starting run, begins in a forearm
        pose (mean gravity direction over its first ``start_pose_s``) over ``take_pose_deg`` from where each of the
        starting run's half-swings in its direction begins, and lasts at most ``take_pose_dur`` x their median: the
        set-up's last movement into the pose, not a rep out of it (gyro signal only)."""
        r = self.rules
        if r.take_pose_deg <= 0 or self.pose_angle is None or not self.gyro_signal() or not run \
                or run[0].k0 >= start_run[0].k0:
            return run
        n = max(1, round(r.start_pose_s / DT_S))
        first = run[0]
        same = [s for s in start_run if s.direction == first.direction]
        if not same or first.duration_s > r.take_pose_dur * _median([s.duration_s for s in same]):
            return run  # long enough to hold the set-up's end and then a rep out of the start pose
        off = min(self.pose_angle(first.k0, first.k0 + n, s.k0, s.k0 + n) for s in same)
        if off > r.take_pose_deg or self._into_pose(first, off, same):
            return self._from_first_pull(run[1:], conc_dir)[0]
        return run

    def _into_pose(self, first: Swing, off: float, same: list[Swing]) -> bool:
        """``first``, beginning ``off`` deg from the start pose of the starting run's half-swings ``same`` (its
        direction), turns the forearm over ``extend_tilt_max`` x as far as they do (their median at least
        ``extend_twin_min_deg``): a set-up movement from another pose into the start pose (``take_pose_tilt_deg``)."""
        r = self.rules
        if r.take_pose_tilt_deg <= 0 or off <= r.take_pose_tilt_deg:
            return False
        mt = _median([s.rom_deg for s in same])
        return mt >= r.extend_twin_min_deg and first.rom_deg > r.extend_tilt_max * mt

    def _walk_cycle(self, prev: Swing, pp: Swing) -> bool:
        """``pp`` then ``prev`` are one arm-swing cycle at walking cadence with two step impacts (a short walk to
        the station, too short for the starting-run test, ending just before the set-up)."""
        cycle = prev.t1 - pp.t0
        return self.rules.walk_exclude and cycle < self.rules.step_cycle_s and self._steps(pp.k0, prev.k1, cycle)

    def _still_hanging(self, start_run: list[Swing]) -> bool:
        """The starting run's half-swings in one direction differ in tilt by more than ``hang_rom_ratio``: the
        set-up's last pull-like jerk, then hanging still while q drifts back; not yet the set's rhythm."""
        r = self.rules
        for d in (1, -1):
            rom = [s.rom_deg for s in start_run if s.direction == d]
            if len(rom) >= 2 and max(rom) >= r.hang_min_deg and max(rom) > r.hang_rom_ratio * max(min(rom), 1e-3):
                return True
        return False

    def _after_hang(self, run: list[Swing], conc_dir: int, start_run: list[Swing]) -> tuple[list[Swing], int]:
        """``run`` cut after the last taken-back half-swing that tilts far less than the starting run's in its
        direction (the hang after the set-up; a partial rep is small in both halves), and its pull direction
        (``hang_take_trim``)."""
        r = self.rules
        ref = {d: _median([s.rom_deg for s in start_run if s.direction == d]) for d in (1, -1)
               if any(s.direction == d for s in start_run)}

        def low(s: Swing) -> bool:
            m = ref.get(s.direction, 0.0)
            return m >= r.hang_min_deg and m > r.hang_rom_ratio * max(s.rom_deg, 1e-3)
        cut = -1
        for j, s in enumerate(run):
            if s.k1 > start_run[0].k0 or j + 1 >= len(run):
                break
            if low(s) and not low(run[j + 1]) and (j == 0 or not low(run[j - 1])):
                cut = j
        return self._from_first_pull(run[cut + 1:]) if cut >= 0 else (run, conc_dir)

    def _from_overhead(self, run: list[Swing], conc_dir: int) -> list[Swing]:
        """``run`` without its first half-swings taken with the arm not yet overhead (reaching up to the bar,
        settling into the hang): their mean gravity direction is over ``hang_pose_deg`` from that of the run's last
        two half-swings; then from the next pull (direction ``conc_dir``)."""
        r = self.rules
        if r.hang_pose_deg <= 0 or self.pose_angle is None or len(run) <= 2:
            return run
        k2, k3 = run[-2].k0, run[-1].k1
        j = 0
        while j < len(run) - 2 and self.pose_angle(run[j].k0, run[j].k1, k2, k3) > r.hang_pose_deg:
            j += 1
        return self._from_first_pull(run[j:], conc_dir)[0] if j else run

    def _open_set(self, run: list[Swing], conc_dir: int, exercise: str, conf: float, t: float,
                  head: tuple[Swing, Swing] | None = None) -> list[EngineEvent]:
        """Open the set on ``run`` (from its first pull, direction ``conc_dir``) at grid time ``t`` and accept its
        half-swings, splitting a partial rep hidden in one of them (``partial_start``); ``head``: a rep cut by
        the stream's start before the run (:meth:`_cut_head`), counted first."""
        self.set_count += 1
        a = _ActiveSet(self.set_count, conc_dir, exercise, conf)
        if run and self.rules.walk_off_s > 0:
            a.walk_ref = self._walk_ref(run[0].t0)
        self.active = a
        self.recent.clear()
        events: list[EngineEvent] = [SetStarted(t=t, set_index=a.index, start=head[0].t0 if head else run[0].move_start,
                                                exercise=exercise)]
        if head is not None and run:
            events += self._accept_cut_head(head[0], head[1], run[0].move_start, t)
        # before the set has periods of its own, the run's rhythm: twice its median half-swing
        run_period = 2.0 * _median([s.duration_s for s in run]) if self.rules.partial_start_run else 0.0
        for s in run:
            # a partial rep before the set was certain hides in a half-swing of the starting run too
            parts = self._partial(s, self._med_amp()) if self.rules.partial_start and (a.periods or run_period) and \
                s.duration_s > self.rules.partial_period * (self._med_period() if a.periods else run_period) else []
            events += self._accept_parts(parts, s, t) if parts else self._accept(s, t)
        return events

    def _from_first_pull(self, run: list[Swing], conc_dir: int | None = None,
                         start_k: int | None = None) -> tuple[list[Swing], int]:
        """``run`` from its first half-swing in the pull direction (``conc_dir``, else :meth:`_direction`; ``start_k``:
        where the starting run begins) on, and that direction."""
        conc_dir = self._direction(run, start_k) if conc_dir is None else conc_dir
        while run and run[0].direction != conc_dir:
            run = run[1:]
        return run, conc_dir

    def _direction(self, run: list[Swing], start_k: int | None = None) -> int:
        """Direction of the pull: with ``direction_rule="fast"`` the clearly faster direction (mean movement
        times differing by more than ``fast_asymmetry`` of their mean: lifters lower under control),
        otherwise the first movement out of the start pose (:meth:`_first_move`)."""
        if self.rules.direction_rule == "fast":
            fast = faster_direction(run, self.rules.fast_asymmetry)
            if fast:
                return fast
            r = self.rules
            if r.fast_peak_ratio > 0:
                fast = faster_direction(run, r.fast_peak_asymmetry)
                pk = {d: [s.peak_speed_dps for s in run if s.direction == d] for d in (1, -1)}
                if fast and pk[1] and pk[-1]:
                    mine, other = float(np.mean(pk[fast])), float(np.mean(pk[-fast]))
                    if mine > r.fast_peak_ratio * other:
                        return fast
        return self._first_move(run, start_k).direction

    def _first_move(self, run: list[Swing], start_k: int | None) -> Swing:
        """The run's first movement out of the start pose (``start_k``: where the starting run begins; accelerometer
        signal only, else its first half-swing): the half-swing after the longest still hold (:func:`_hold_s`)
        between taken-back half-swings when it lasts ``direction_hang_s`` (the start pose held before the set);
        else the first half-swing, past any taken back that are under ``direction_min_amp`` x the run's median
        amplitude and followed by a still hold of ``direction_still_s`` (set-up movements into the start pose,
        which the pull then leaves)."""
        r = self.rules
        if r.direction_min_amp <= 0 or start_k is None or self.gyro_signal() or len(run) < 3:
            return run[0]
        holds = [(_hold_s(a, b), j + 1) for j, (a, b) in enumerate(zip(run, run[1:])) if b.k0 <= start_k]
        if r.direction_hang_s > 0 and holds and max(holds)[0] >= r.direction_hang_s:
            return run[max(holds)[1]]
        med = _median([s.amp for s in run])
        for s, nxt in zip(run, run[1:]):
            if s.k0 >= start_k or s.amp >= r.direction_min_amp * med or _hold_s(s, nxt) < r.direction_still_s:
                return s
        return run[0]

    def _accept_cut_head(self, pull: Swing, low: Swing, next_start: float, t: float) -> list[EngineEvent]:
        """Count the rep cut by the stream's start as the set's rep 1, flagged partial with confidence
        ``edge_confidence``: its pull's start and duration are unknown (NaN), its lowering measured. It does not
        enter the set's pull statistics (its pull is only partly seen)."""
        a = self.active
        assert a is not None
        rep = replace(announced_rep(1, pull, self.rules.edge_confidence), start=pull.t0, concentric_s=math.nan)
        o = _OpenRep(rep, pull, low)
        a.reps.append(o)
        a.cut.append(1)
        events: list[EngineEvent] = [RepAnnounced(t=t, set_index=a.index, rep=rep, exercise=a.exercise)]
        return events + self._complete(o, next_start, t)

    # -- in a set -------------------------------------------------------------------------------------
    def _in_set(self, s: Swing, t: float, gap_s: float = 0.0, ends: bool = False) -> list[EngineEvent]:
        """Half-swing ``s`` of the open set (``ends``: it ends the set, see :meth:`_short_violent`)."""
        a = self.active
        assert a is not None
        r = self.rules
        med = self._med_amp()
        if s.amp < r.noise_fraction * med:
            return []
        a.tail.append(s)
        del a.tail[:-r.start_swings]
        if r.walk_in_set > 0 and self._walking_tail():
            a.pending = None
            events = self._end(t, check_trailing=False)
            self.recent.append(s)
            return events
        if self._impacts(s):
            # step impacts: walking away, not a rep (a held pull before it was the walk's first arm swing)
            a.pending = None
            self._walk_k = s.k1
            return self._end(t, check_trailing=False)
        events: list[EngineEvent] = []
        violent = ends or self._violent(s, med)
        if a.pending is not None:
            p, a.pending = a.pending, None
            p0, k0 = (p.move_start, p.k0 + round((p.move_start - p.t0) / DT_S)) if r.walk_after_pause \
                else (p.t0, p.k0)
            cycle = s.t1 - p0
            if self._walk_cadence(cycle) and self._steps(k0, s.k1, cycle):
                # the held pull and this half-swing are one arm-swing cycle with two step impacts: walking
                # away, not a rep; those half-swings never join a later set either
                self._walk_k = s.k1
                return self._end(t, check_trailing=False)
            if self._quick(p, self._tail_back(3)):
                a.quick_k = p.k1
            elif not self._shake(p, med):  # a held shake is no rep
                events += self._admit(p, t, evidence=False)
        elif s.direction == a.conc_dir and not ends and not self._shake(s, med) and (self._held(s) or (
                r.walk_after_pause and s.amp <= r.big_fraction * med and not violent and self._held(s, True))):
            a.pending = s
            a.last_extreme_t = s.t1
            return []
        slow = max(r.slow_factor * self._med_period() / 2, 8.0)
        if gap_s > 0.0 and (s.amp > r.big_fraction * med or s.duration_s - gap_s > slow):
            # the signal across a dropout is made up (interpolated): never ends the set, never a rep
            a.last_extreme_t = max(a.last_extreme_t, s.t1)
            return events
        slow_pull = self._slow_pull(s)
        if slow_pull and not a.odd:  # two pulls merged (a partial rep hidden in it) are no standing up
            parts = self._partial(s, med)
            if parts:
                return events + self._accept_parts(parts, s, t)
        if s.amp > r.big_fraction * med or s.duration_s > slow or violent or self._put_down(s, med) or slow_pull:
            if r.odd_low_release and s.direction != a.conc_dir and a.odd and a.odd[-1].direction == a.conc_dir \
                    and a.odd[0].direction != a.conc_dir and all(not self._odd(o) for o in a.odd[1:]) \
                    and all(self._in_speed(o) for o in a.odd if o.direction == a.conc_dir):
                events += self._release(t)
            if s.direction != a.conc_dir and a.reps and a.reps[-1].ecc is None:
                # (a held pull out of rhythm: see _admit)
                parts = self._partial(s, med, rom_pulls=r.partial_end_rom) if not a.odd else []
                for p in parts:
                    events += self._accept(p, t)
                ecc = self.final_swing(parts[-1] if parts else a.reps[-1].conc, s)
                if ecc is not None:
                    events += self._accept(ecc, t)
            elif s.direction == a.conc_dir and a.reps and a.reps[-1].ecc is not None and not a.odd \
                    and a.pending is None and not slow_pull:
                # a failed last pull and its lowering merged into the movement that ends the set (letting the
                # pulldown bar up and dropping the arms: partial pull, lowering, drop, one half-swing)
                for p in self._partial(s, med, ending=True):
                    events += self._accept(p, t)
            events += self._end(t, check_trailing=False)
            self.recent.append(s)
            return events
        if not a.odd and s.duration_s > r.partial_period * self._med_period():
            parts = self._partial(s, med)
            if parts:
                return events + self._accept_parts(parts, s, t)
        if self._quick(s, self._tail_back(2)) or (
                s.direction != a.conc_dir and a.quick_k == s.k0):
            a.quick_k = s.k1  # a cycle at step rate, or the return after one: no rep
            return events
        if self._odd_walk(s):
            # a pull out of rhythm (standing up after putting the weight down), then arm swing while
            # walking: the set ended on walking off, the held half-swings are no reps
            self._walk_k = s.k1
            return events + self._end(t, check_trailing=False)
        return events + self._admit(s, t)

    def _accept_parts(self, parts: list[Swing], s: Swing, t: float) -> list[EngineEvent]:
        """Accept the pieces of half-swing ``s`` that hide a partial rep (:meth:`_partial`) and, when ``s`` is a
        lowering, the lowering after its partial pull."""
        a = self.active
        assert a is not None
        events: list[EngineEvent] = []
        for p in parts:
            events += self._accept(p, t)
        ecc = self.final_swing(parts[-1], s) if s.direction != a.conc_dir else None
        return events + (self._accept(ecc, t) if ecc is not None else [])

    def _partial(self, s: Swing, med: float, ending: bool = False, back_min: float = 0.5,
                 h: float = 0.0, rom_pulls: bool = False) -> list[Swing]:
        """The pieces of half-swing ``s`` that hide a partial rep (see ``SetRules.partial_h``), or []: in a
        lowering, [the lowering, the partial pull] (its own lowering is measured after it); in a pull, [the
        partial pull, its lowering, the full pull]; in a pull that ends the set (``ending``), [the partial
        pull, its lowering] (the rest is the movement that ends the set)."""
        a = self.active
        assert a is not None
        r = self.rules
        lowering = s.direction != a.conc_dir
        if r.partial_h <= 0 or self.resplit is None or not (self.gyro_signal() or r.partial_acc) or not a.reps \
                or not a.pulls:
            return []
        last = a.reps[-1]
        # a lowering follows an open pull; a pull follows a lowering, unless it was itself announced early
        if (lowering and last.ecc is not None) or (not lowering and last.ecc is None and last.conc.k0 != s.k0):
            return []
        pieces = self.resplit(s, (h or r.partial_h) * med)
        if len(pieces) < 3 or (not lowering and not ending and len(pieces) > 3):
            return []
        # the full movement in the same half-swing, the partial pull and its own lowering
        if lowering:
            full, pull, back = pieces[0], pieces[1], pieces[2]
        else:
            pull, back, full = pieces[0], pieces[1], pieces[2]
        # at the end of a set the movement after it is no rep: the partial's tilt is held to the set's pulls
        full_ok = r.noise_fraction * med <= full.amp <= r.big_fraction * med
        full_rom = full.rom_deg
        if ending:
            full_ok, full_rom = pull.amp <= med, a.recent("rom_deg")
        elif rom_pulls:
            full_rom = max(full_rom, pull.amp / med * a.recent("rom_deg"))
        elif not lowering and r.partial_mid_rom and len(a.pulls) >= 3:
            # a full pull follows in the same half-swing: the partial may tilt as far as the set's pulls
            full_rom = max(full_rom, a.recent("rom_deg"))
        # a failed pull found after the lowering is held to the set's axis more strictly (``partial_low_axis_share``)
        share = max(r.odd_axis_share, r.partial_low_axis_share) if lowering else None
        if not (full_ok and self._partial_shape(pull, med, full_rom, share) and back.amp >= back_min * pull.amp
                and min(back.duration_s, full.duration_s) >= r.min_swing_s):
            return []
        # the full pull after a partial is the next rep: as long as the set's pulls, tilting no further
        if not lowering and not ending and (full.move_s < r.partial_full_move * a.recent("move_s")
                                            or full.amp < r.partial_full_amp * med or (
                r.partial_full_rom > 0 and full.rom_deg > r.partial_full_rom * a.recent("rom_deg"))):
            return []
        return pieces[:2] if lowering or ending else pieces

    def _trailing_put_down(self, s: Swing) -> list[Swing]:
        """[partial pull, its lowering] at the start of pull ``s`` still open when a rest ends the set, when the rest
        of ``s`` is putting the weight down (``SetRules.partial_put_down_peak``), or []."""
        a = self.active
        assert a is not None
        r = self.rules
        lows = a.peaks[-a.conc_dir][-8:]
        if r.partial_put_down_peak <= 0 or len(lows) < 3:
            return []
        parts = self._partial(s, self._med_amp(), ending=True)
        # the partial's lowering is under control, as fast as the set's lowerings at most
        return parts if parts and parts[1].move_peak <= r.partial_put_down_peak * _median(lows) else []

    def _partial_shape(self, pull: Swing, med: float, rom_deg: float, share: float | None = None) -> bool:
        """Pull ``pull`` is shaped like a partial rep: at least ``partial_min`` x ``med`` (g), as long as a
        half-swing may be, moving ``partial_move`` to ``start_move_ratio`` x as long as the set's pulls, tilting
        the forearm at most ``rom_deg`` + ``partial_rom_tol_deg`` (deg) and not faster than
        ``partial_move_speed`` x the pulls' peak angular speed, its axis share at least ``share`` (default
        ``SetRules.odd_axis_share``) x the pulls'."""
        a = self.active
        assert a is not None
        r = self.rules
        mv = a.recent("move_s")
        return pull.amp >= r.partial_min * med and pull.duration_s >= r.min_swing_s \
            and r.partial_move * mv <= pull.move_s <= r.start_move_ratio * mv \
            and pull.rom_deg <= rom_deg + r.partial_rom_tol_deg \
            and pull.peak_speed_dps <= r.partial_move_speed * _median(a.peaks[a.conc_dir][-8:] or [0.0]) \
            and not self._off_axis(pull, share)

    def _off_axis(self, s: Swing, share: float | None = None) -> bool:
        """Pull ``s`` turns the wrist mostly about other axes than the set's pulls: its axis share under ``share``
        (default ``SetRules.odd_axis_share``) x their median."""
        a = self.active
        assert a is not None
        r = self.rules
        share = r.odd_axis_share if share is None else share
        return r.odd_axis_share > 0 and share > 0 and self.axis_share is not None and self.gyro_signal() and \
            len(a.pulls) >= 3 and self.axis_share(s) < share * a.recent("share")

    def _small_off_axis(self, s: Swing) -> bool:
        """Pull ``s`` is small in ``q`` and turns the wrist partly about other axes than the set's pulls (see
        ``SetRules.odd_small_share``)."""
        r = self.rules
        return r.odd_small_share > 0 and s.amp < r.odd_small_share_amp * self._med_amp() \
            and self._off_axis(s, r.odd_small_share)

    def _partial_pull(self, s: Swing, med: float) -> bool:
        """Pull ``s`` on its own is shaped like a partial rep (the tests of :meth:`_partial`, its tilt held to
        the set's pulls)."""
        a = self.active
        assert a is not None
        r = self.rules
        if r.partial_h <= 0 or not self.gyro_signal() or not a.pulls or s.direction != a.conc_dir:
            return False
        return s.amp <= med and self._partial_shape(s, med, a.recent("rom_deg"))

    def _odd(self, s: Swing) -> bool:
        """A pull out of the set's rhythm that turns the forearm further than its reps (see ``SetRules.odd_move``)."""
        a = self.active
        assert a is not None
        r = self.rules
        if s.direction == a.conc_dir:
            if len(a.pulls) < 3:
                return False
            mv, dur, rom = (a.recent(f) for f in ("move_s", "duration_s", "rom_deg"))
        else:
            if len(a.lows) < 3:
                return False
            mv, dur, rom = (float(x) for x in np.median(np.array(a.lows[-8:]), axis=0))
        odd_rom = r.odd_rom if self.gyro_signal() else r.odd_rom_acc_factor
        if r.odd_rom > 0 and (self.gyro_signal() or r.odd_rom_acc) and \
                s.rom_deg > odd_rom * rom and s.rom_deg > rom + r.odd_rom_min_deg:
            return True
        if r.odd_small_amp > 0 and s.direction == a.conc_dir and self.gyro_signal() and \
                s.amp < r.odd_small_amp * self._med_amp() and s.rom_deg > r.odd_small_rom * rom and \
                s.peak_speed_dps > r.odd_small_peak * _median(a.peaks[a.conc_dir][-8:] or [0.0]):
            return True
        if s.direction == a.conc_dir and (self._off_axis(s) or self._small_off_axis(s)):
            return True
        if r.odd_low_peak > 0 and s.direction != a.conc_dir and self.gyro_signal() and \
                s.duration_s > r.odd_low_dur * dur and len(a.peaks[s.direction]) >= 3 and \
                s.peak_speed_dps > r.odd_low_peak * _median(a.peaks[s.direction][-8:]):
            return True
        slow = (r.odd_move > 0 and s.move_s > r.odd_move * mv) or (r.odd_dur > 0 and s.duration_s > r.odd_dur * dur)
        return slow and s.rom_deg > r.odd_slow_rom * rom

    def _in_speed(self, s: Swing) -> bool:
        """Pull ``s`` peaks at most ``odd_low_release_peak`` x the set's pulls' peak angular speed (median; always
        true without that limit): a rep keeps the set's speed (see ``SetRules.odd_low_release_peak``)."""
        a = self.active
        assert a is not None
        lim = self.rules.odd_low_release_peak
        return lim <= 0 or not a.peaks[a.conc_dir] or \
            s.peak_speed_dps <= lim * _median(a.peaks[a.conc_dir][-8:])

    def _releases(self, s: Swing) -> bool:
        """Pull ``s`` is full enough to show that the set goes on after held half-swings: at least
        ``odd_release_amp`` x the set's median amplitude, moving at least ``odd_release_move`` x as long as its
        pulls (median)."""
        a = self.active
        assert a is not None
        r = self.rules
        return s.amp >= r.odd_release_amp * self._med_amp() and (
            r.odd_release_move <= 0 or not a.pulls or s.move_s >= r.odd_release_move * a.recent("move_s"))

    def _admit(self, s: Swing, t: float, evidence: bool = True) -> list[EngineEvent]:
        """Accept a half-swing in a set. A pull out of rhythm is held back (with the half-swings after it) until
        the next pull: that one shows the set goes on and the held pull counts (see ``SetRules.odd_move``); a pull
        held as a possible arm swing while walking (``evidence`` False) shows nothing and is held with it."""
        a = self.active
        assert a is not None
        events: list[EngineEvent] = []
        odd = self._odd(s)
        if (s.direction == a.conc_dir and evidence and not odd and self._pull_held()
                and (not a.odd or self._releases(s))) or len(a.odd) >= ODD_MAX:
            events += self._release(t)
        # (a pull announced early whose confirmed half-swing is out of rhythm, e.g. the last row merged with
        # putting the weight down, is held too: dropped, its rep keeps the timing it was announced with)
        if a.odd or odd:
            a.odd.append(s)
            a.last_extreme_t = s.t1
            return events
        return events + self._accept(s, t)

    def _tail_back(self, n: int) -> Swing | None:
        """The active set's half-swing ``n`` places from the end of its tail (1: the last), if it holds that many."""
        a = self.active
        assert a is not None
        return a.tail[-n] if len(a.tail) >= n else None

    def _quick(self, s: Swing, prev: Swing | None) -> bool:
        """Pull ``s`` and the half-swing ``prev`` before it make a cycle under ``quick_cycle`` x the set's median
        rep period (accelerometer only): no rep keeps that pace; step impacts while walking off do."""
        a = self.active
        assert a is not None
        r = self.rules
        return r.quick_cycle > 0 and not self.gyro_signal() and prev is not None and s.direction == a.conc_dir \
            and prev.direction != a.conc_dir and len(a.periods) >= 2 \
            and s.t1 - prev.t0 < r.quick_cycle * self._med_period()

    def _odd_walk(self, s: Swing) -> bool:
        """Pull ``s``, while half-swings out of rhythm are held, makes an arm-swing cycle at walking cadence with
        step impacts with the held half-swing before it (see ``SetRules.odd_walk``)."""
        a = self.active
        if not self.rules.odd_walk or a is None or not a.odd or s.direction != a.conc_dir:
            return False
        q = a.odd[-1]
        cycle = s.t1 - q.t0
        return self._walk_cadence(cycle) and self._steps(q.k0, s.k1, cycle)

    def _impacts(self, s: Swing) -> bool:
        """Half-swing ``s`` carries far more step-impact energy than the set's pulls (``SetRules.impact_end``), or
        than the pulls of a set that ended just before this one opened (``SetRules.walk_off_s``): arm swing while
        walking away."""
        a = self.active
        r = self.rules
        if a is None or not self._impacts_on():
            return False
        own = r.impact_end * a.recent("impact") if len(a.pulls) >= 2 else math.inf
        ref = min(own, r.walk_off_ratio * a.walk_ref)
        if not math.isfinite(ref):
            return False
        e = self.impact(s)
        return e > r.impact_min_g and e > ref

    def _pull_held(self) -> bool:
        """Nothing is held, or a pull is: the next pull in rhythm releases it (after a lowering out of rhythm,
        the pull that follows it is held too)."""
        a = self.active
        assert a is not None
        return not a.odd or any(o.direction == a.conc_dir for o in a.odd)

    def _release(self, t: float) -> list[EngineEvent]:
        """Accept the held half-swings out of rhythm (see ``_admit``)."""
        a = self.active
        assert a is not None
        held, a.odd = a.odd, []
        events: list[EngineEvent] = []
        for o in held:
            events += self._accept(o, t)
        return events

    def _violent(self, s: Swing, med: float) -> bool:
        """Racking, letting go, or shaking the arms out: a half-swing much faster than the set's movements in its
        direction and either big or too quick to be a rep (under ``min_swing_s``)."""
        a = self.active
        assert a is not None
        r = self.rules
        pk = a.peaks[s.direction]
        if r.fast_end_factor <= 0 or len(pk) < 2:
            return False
        pmed = _median(pk[-8:])
        if r.release_factor > 0 and s.amp > r.release_amp * med and s.peak_speed_dps > r.release_factor * pmed:
            return True
        return (s.amp > r.fast_end_amp * med or (r.shake_ends and s.duration_s < r.min_swing_s)) and \
            s.peak_speed_dps > r.fast_end_factor * pmed

    def _put_down(self, s: Swing, med: float) -> bool:
        """Putting the weight down after the last rep (see ``SetRules.put_down_factor``)."""
        a = self.active
        assert a is not None
        r = self.rules
        pk = a.peaks[s.direction]
        if r.put_down_factor <= 0 or len(pk) < 3 or s.amp <= r.put_down_amp * med or not self.gyro_signal():
            return False
        pmed = _median(pk[-8:])
        return s.peak_speed_dps > r.put_down_factor * pmed and s.duration_s > r.put_down_dur * self._med_period() / 2

    def _slow_pull(self, s: Swing) -> bool:
        """A slow pull tilting the forearm little: standing up after the set (see ``SetRules.slow_move``)."""
        a = self.active
        assert a is not None
        r = self.rules
        return r.slow_move > 0 and s.direction == a.conc_dir and len(a.pulls) >= 3 \
            and (self.gyro_signal() or r.slow_move_acc) \
            and s.move_s > r.slow_move * a.recent("move_s") \
            and s.duration_s > r.slow_move * a.recent("duration_s") \
            and s.rom_deg < r.slow_move_rom * a.recent("rom_deg")

    def _shake(self, s: Swing, med: float) -> bool:
        """A violent half-swing too quick to be a rep (shaking the arms out), see :meth:`_violent`."""
        return s.duration_s < self.rules.min_swing_s and self._violent(s, med)

    def _walk_cadence(self, cycle: float) -> bool:
        """An arm-swing cycle of ``cycle`` s is at walking cadence and clearly faster than the set's reps."""
        r = self.rules
        return r.walk_in_set > 0 and cycle < r.step_cycle_s and cycle < r.walk_in_set * self._med_period()

    def _held(self, s: Swing, from_move: bool = False) -> bool:
        """A pull at walking cadence (twice its duration, see ``_walk_cadence``) and clearly quicker than the
        set's pulls (movement time under ``held_move_ratio`` of their median) is held back until the next
        half-swing shows whether the cycle carries two step impacts (walking away right after the set: the
        first arm swing would otherwise count before ``walk_in_set`` sees four)."""
        a = self.active
        return self.step_ratio is not None and a is not None and bool(a.periods) and \
            self._walk_cadence(2.0 * (s.t1 - s.move_start if from_move else s.duration_s)) and \
            (s.move_s < self.rules.held_move_ratio * a.recent("move_s") or (
                self.rules.held_after_pause > 0 and a.reps and a.reps[-1].ecc is not None and len(a.lows) >= 3
                and a.reps[-1].ecc.duration_s > self.rules.held_after_pause * _median([x[1] for x in a.lows[-8:]])))

    def _walking_tail(self) -> bool:
        """The set's last half-swings are arm swing while walking (see ``SetRules.walk_in_set``)."""
        a = self.active
        assert a is not None
        r = self.rules
        run = a.tail
        if len(run) < r.start_swings or self.step_ratio is None or not a.periods:
            return False
        cycle = _cycle_s(run)
        return self._walk_cadence(cycle) and self._steps(run[0].k0, run[-1].k1, cycle)

    def _steps(self, k0: int, k1: int, cycle: float) -> bool:
        """Grid samples ``k0..k1`` carry two step impacts per arm-swing ``cycle`` (s): |acc| varies more than
        ``step_ratio_fast`` x at twice the cycle rate than at the cycle rate (walking)."""
        return self.step_ratio is not None and self.step_ratio(k0, k1, cycle) > self.rules.step_ratio_fast

    def _accept(self, s: Swing, t: float) -> list[EngineEvent]:
        a = self.active
        assert a is not None
        a.amps.append(s.amp)
        del a.amps[:-16]
        a.last_extreme_t = s.t1
        pk = a.peaks[s.direction]
        refine = s.direction == a.conc_dir and a.reps and a.reps[-1].conc.k0 == s.k0 and a.reps[-1].ecc is None
        if refine and pk:
            pk[-1] = s.peak_speed_dps
        else:
            pk.append(s.peak_speed_dps)
            del pk[:-8]
        events: list[EngineEvent] = []
        if s.direction == a.conc_dir:
            if refine:
                # announced early (see early_announce): keep the id, refine the timing with the full swing
                o = a.reps[-1]
                o.conc = s
                o.rep = announced_rep(o.rep.index, s, o.rep.confidence)
                a.rep_amps[-1] = s.amp
                a.pulls[-1] = self._pull(s)
                a.h = max(self.rules.min_hysteresis_g, self.rules.hysteresis_fraction * self._med_amp())
                return events
            if a.reps:
                prev = a.reps[-1]
                a.periods.append(s.move_start - prev.rep.start)
                del a.periods[:-16]
                a.rest_s = max(self.rules.min_rest_s, self.rules.rest_periods * self._med_period())
                events += self._complete(prev, s.move_start, t)
            med = _median(a.rep_amps[-8:] or [s.amp])
            rep = announced_rep(len(a.done) + len(a.reps) + 1, s, _confidence(s.amp, med))
            out = a.pending_out is not None and a.pending_out[0] == s.k0
            if out:  # the held pull was announced when walking was ruled out (``pending_ok``): not again
                events = [e for e in events if not isinstance(e, RepCompleted)]
                a.pending_out = None
            a.reps.append(_OpenRep(rep, s))
            a.rep_amps.append(s.amp)
            a.h = max(self.rules.min_hysteresis_g, self.rules.hysteresis_fraction * self._med_amp())
            a.pulls.append(self._pull(s))
            del a.pulls[:-16]
            if not out:
                events.append(RepAnnounced(t=t, set_index=a.index, rep=rep, exercise=a.exercise))
        elif a.reps:
            last = a.reps[-1]
            a.lows.append((s.move_s, s.duration_s, s.rom_deg))
            del a.lows[:-16]
            if last.ecc is None:
                last.ecc = s
            else:  # the lowering went on after a hitch: merge
                e = last.ecc
                last.ecc = Swing(e.k0, s.k1, e.t0, s.t1, e.direction, e.amp + s.amp, e.move_start, s.move_end,
                                 e.rom_deg, e.peak_speed_dps, s.t_confirm)
        return events

    def early_announce(self, s: Swing, t: float, stopped: bool = False, retry: bool = False) -> list[EngineEvent]:
        """A pull in progress has clearly turned (not yet confirmed as a swing): announce its rep now.

        Called by the engine when, in an open set, the motion signal has travelled at least
        ``early_travel`` of the set's pull amplitude and come back by ``early_retreat`` of it."""
        a = self.active
        if a is None or s.direction != a.conc_dir or (a.reps and a.reps[-1].conc.k0 == s.k0):
            return []
        med = self._med_amp()
        if not (self.rules.early_travel * med <= s.amp <= self.rules.early_max * med):
            return []
        if s.duration_s > max(self.rules.slow_factor * self._med_period() / 2, 8.0) or self._held(s) \
                or self._slow_pull(s) \
                or (self.rules.shake_ends and s.duration_s < self.rules.min_swing_s) \
                or a.pending is not None or self._odd(s) or not self._pull_held() or self._odd_walk(s) \
                or self._quick(s, self._tail_back(1)) \
                or (a.odd and not self._releases(s)) or self._impacts(s):
            return []
        if stopped and not (s.amp <= self.rules.stop_max_amp * med and a.pulls
                            and s.move_s <= self.rules.stop_max_move * a.recent("move_s")):
            return []
        if retry and s.duration_s > self.rules.partial_period * self._med_period():
            return []  # (refused when it stopped, now turned: a half-swing that long may hide a partial rep)
        return self._release(t) + self._accept(s, t)  # a pull in rhythm: the held ones count

    def pending_ok(self, t_ext: float, t: float) -> list[EngineEvent]:
        """A pull held as a possible arm swing while walking (``_held``) whose cycle can no longer come out at
        walking cadence: the half-swing in progress will end at grid time ``t_ext`` or later (its extreme so far),
        so neither the held pull's cycle nor the last ``start_swings`` half-swings (``walk_in_set``) can be as
        quick as walking, and the pull is neither a shake nor out of rhythm: it will count when the next
        half-swing arrives (``_in_set``), so its rep (and the previous rep's completion) is announced now, with
        exactly the events the later acceptance would emit (that acceptance then emits them no more)."""
        a = self.active
        if a is None or a.pending is None or a.pending_out is not None or a.odd:
            return []
        p, r = a.pending, self.rules
        p0 = p.move_start if r.walk_after_pause else p.t0
        if self._walk_cadence(t_ext - p0):
            return []
        n = r.start_swings
        if self.step_ratio is not None and a.periods and len(a.tail) >= n - 1 and \
                self._walk_cadence((t_ext - a.tail[-(n - 1)].t0) / (n / 2)):
            return []
        med = self._med_amp()
        if self._shake(p, med) or self._odd(p) or self._quick(p, self._tail_back(2)):
            return []
        events: list[EngineEvent] = []
        if a.reps:
            prev = a.reps[-1]
            events.append(RepCompleted(t=t, set_index=a.index, rep=completed_rep(prev.rep, prev.ecc, p.move_start),
                                       exercise=a.exercise))
        rep = announced_rep(len(a.done) + len(a.reps) + 1, p, _confidence(p.amp, med))
        events.append(RepAnnounced(t=t, set_index=a.index, rep=rep, exercise=a.exercise))
        a.pending_out = (p.k0, rep.index)
        return events

    def early_thresholds(self) -> tuple[int, float, float]:
        """(pull direction, travel, retreat) for :meth:`early_announce`, in units of the motion signal."""
        a = self.active
        if a is None or not a.rep_amps:
            return 0, math.inf, math.inf
        med = a.h / self.rules.hysteresis_fraction
        return a.conc_dir, self.rules.early_travel * med, self.rules.early_retreat * med

    def _complete(self, o: _OpenRep, next_start: float | None, t: float) -> list[EngineEvent]:
        a = self.active
        assert a is not None
        rep = completed_rep(o.rep, o.ecc, next_start)
        a.reps.remove(o)
        a.done.append(rep)
        # range of the rep for partial flags: the larger of pull and lowering (the first pull of a set starts
        # from rest, where the leaky motion signal sits mid-range, so its own amplitude under-reads)
        a.done_amps.append(max(o.conc.amp, o.ecc.amp if o.ecc is not None else 0.0))
        return [RepCompleted(t=t, set_index=a.index, rep=rep, exercise=a.exercise)]

    def _let_go(self, s: Swing) -> bool:
        """Pull ``s``, still unconfirmed when the set ends, turns the forearm over ``trailing_rom`` x as far as the
        set's reps (median; gyro, or accelerometer only with ``odd_rom_acc``): letting the bar up or dropping
        the arms after the last rep, cut off by the rest or the end of the stream, is no rep."""
        a = self.active
        assert a is not None
        r = self.rules
        return r.trailing_rom > 0 and (self.gyro_signal() or r.odd_rom_acc) and len(a.pulls) >= 3 and \
            s.rom_deg > r.trailing_rom * a.recent("rom_deg")

    def _cut_tail(self, s: Swing) -> bool:
        """At the end of the stream, ``s`` is a pull still under way at the last sample that counts as a rep cut by
        the end (``SetRules.edge_tail_amp``)."""
        a = self.active
        assert a is not None
        r = self.rules
        return r.edge_tail_amp > 0 and self._edges_on() and s.direction == a.conc_dir and len(a.pulls) >= 2 \
            and s.amp >= r.edge_tail_amp * self._med_amp() \
            and s.duration_s <= r.edge_head_time * a.recent("duration_s")

    def _edges_on(self) -> bool:
        """The stream-edge rules run on this stream: with a gyro, or without one when ``SetRules.edge_acc``."""
        return self.gyro_signal() or self.rules.edge_acc

    def _accept_cut_tail(self, s: Swing, t: float) -> list[EngineEvent]:
        """Count pull ``s``, cut by the end of the stream, as the set's last rep, flagged partial (confidence at most
        ``edge_confidence``)."""
        a, r = self.active, self.rules
        assert a is not None
        events = self._accept(s, t)
        if a.reps and a.reps[-1].conc is s:
            o = a.reps[-1]
            # its pull's end is not seen: its time is unknown, and so are the phases after it
            o.rep = replace(o.rep, concentric_s=math.nan, confidence=min(o.rep.confidence, r.edge_confidence))
            a.cut.append(o.rep.index)
            events = [replace(e, rep=o.rep) if isinstance(e, RepAnnounced) and e.rep.index == o.rep.index else e
                      for e in events]
        return events

    def _end(self, t: float, check_trailing: bool = True, stream_end: bool = False) -> list[EngineEvent]:
        """Close the open set at grid time ``t`` (``stream_end``: the stream ended or dropped out; ``check_trailing``:
        judge the movement not yet confirmed as a half-swing)."""
        a = self.active
        assert a is not None
        events: list[EngineEvent] = []
        dropped: list[Swing] = []
        rest_rom = self.rules.odd_rest_rom if self.gyro_signal() else self.rules.odd_rest_rom_acc
        if check_trailing and rest_rom > 0 and len(a.pulls) >= 3:
            rom = a.recent("rom_deg")
            if any(o.direction == a.conc_dir and o.rom_deg > rest_rom * rom for o in a.odd):
                # a held pull turning the forearm several times as far as the reps is no rep
                dropped, a.odd = (a.odd if self.rules.odd_rest_partial else []), []
        put_down = False
        if check_trailing and self.rules.odd_rest_share and a.odd:
            # a held small off-axis pull is the put-down's reach: it and what follows are no reps
            i = next((j for j, o in enumerate(a.odd) if o.direction == a.conc_dir and self._small_off_axis(o)), -1)
            if i >= 0:
                tail, a.odd = a.odd[i:], a.odd[:i]
                events += self._release(t)
                dropped, put_down = (tail if self.rules.odd_rest_partial else []), True
        if check_trailing:  # pulls out of rhythm followed by a rest or the end of the stream count
            events += self._release(t)
        held = a.odd or dropped  # (a failed last pull may hide at the start of the one dropped for its tilt)
        if self.rules.odd_partial_end and held and held[0].direction == a.conc_dir and a.reps \
                and a.reps[-1].ecc is not None:
            # a failed last pull and its lowering merged into the held pull out of rhythm (putting the weight
            # down goes on the pull's way): the partial pull counts, the movement after it does not
            parts = self._partial(held[0], self._med_amp(), ending=True)
            if not parts and self.rules.odd_partial_h > 0:
                parts = self._partial(held[0], self._med_amp(), ending=True, h=self.rules.odd_partial_h)
            for p in parts:
                events += self._accept(p, t)
        a.odd = []  # ... not when the set ends on a movement (walking off, standing up, racking)
        if a.pending is not None:  # a held pull not followed by walking (rest, end of stream) counts
            p, a.pending = a.pending, None
            events += self._accept(p, t)
        # the movement since the last turning point is never confirmed when the set stops: a pull that
        # reached the top just before the rest (or the end of the recording) still counts
        trailing = self.trailing() if check_trailing and not put_down else None
        r = self.rules
        if trailing is not None and trailing.direction == a.conc_dir and (not a.reps or a.reps[-1].ecc is not None) \
                and a.pulls:
            if self._let_go(trailing):
                pass  # letting the bar up or dropping the arms at the end: no rep
            elif trailing.amp >= 0.6 * self._med_amp() and \
                    trailing.move_s <= 2.0 * a.recent("move_s"):
                events += self._accept(trailing, t)
            elif stream_end and self.k_now is not None and trailing.k1 >= self.k_now() - 1 and self._cut_tail(trailing):
                # still pulling at the last sample (the running extreme is there): cut by the end
                events += self._accept_cut_tail(trailing, t)
            elif r.partial_trailing and self._partial_pull(trailing, self._med_amp()):
                # a failed last pull (short of 0.6 of the reps) lowered again before the rest
                ecc = self.final_swing(trailing, None)
                if ecc is not None:
                    events += self._accept(trailing, t) + self._accept(ecc, t)
            else:
                # a failed last pull and its lowering, then putting the weight down on the pull's way
                for p in self._trailing_put_down(trailing):
                    events += self._accept(p, t)
        elif trailing is not None and trailing.direction != a.conc_dir and a.reps and a.reps[-1].ecc is None:
            # a failed last pull hidden in the lowering still open at the rest (hanging on after it)
            parts = self._partial(trailing, self._med_amp(), rom_pulls=r.partial_end_rom)
            if not parts and r.partial_rest_back > 0 and self.trailing_now is not None:
                # the failed pull turned back within the hysteresis: it is after the running extreme
                now = self.trailing_now()
                if now is not None:
                    parts = self._partial(now, self._med_amp(), back_min=r.partial_rest_back,
                                          rom_pulls=r.partial_end_rom)
            for p in parts:
                events += self._accept(p, t)
            now = self.since_extreme() if stream_end and not parts and self.since_extreme is not None else None
            if now is not None and self._cut_tail(now):
                # the last lowering ended and the next pull was under way when the stream stopped
                events += self._accept(trailing, t) + self._accept_cut_tail(now, t)
        while a.reps:
            o = a.reps[0]
            if o.ecc is None and o.rep.index not in a.cut:
                o.ecc = self.final_swing(o.conc, None)
            events += self._complete(o, None, t)
            if o.ecc is None and (stream_end or o.rep.index in a.cut):
                # the stream stopped before its lowering: those phases are unknown, not zero
                a.done[-1] = replace(a.done[-1], pause_top_s=math.nan, eccentric_s=math.nan, pause_bottom_s=math.nan)
                events[-1] = replace(events[-1], rep=a.done[-1])
        # (named over the reps seen whole: a rep cut by the stream's start is only partly seen)
        whole = [rep for rep in a.done if rep.index not in a.cut] or a.done
        exercise, conf = self.classify(whole[0].start, whole[-1].end) if whole else (a.exercise, a.exercise_confidence)
        summary = summarize(a.index, exercise, conf, a.done, a.done_amps, a.cut)
        events.append(SetEnded(t=t, summary=summary))
        if a.done and self.impact is not None and len(a.pulls) >= 2:
            self._last_set = (a.done[-1].end, a.recent("impact"))
        self.active = None
        self.recent.clear()
        return events
