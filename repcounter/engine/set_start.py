"""Which half-swings a starting set takes back: the rules that run once a rhythmic run has been found.

A set becomes certain on a run of rhythmic half-swings (:meth:`SetTracker._try_start`). The reps before the run
that fit it are taken back in, set-up movements (sitting down, reaching up, picking the weight up after a walk)
are not, and the first reps hidden by a set-up movement's rotation axis are looked for again on the run's own
axis. :class:`StartRun` holds one such attempt; amplitudes are in units of the motion signal (rad or g), times
in s, tilts in deg, angular speeds in deg/s. Every threshold is a :class:`~repcounter.engine.set_rules.SetRules`
field, documented there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from repcounter.engine.conditioning import DT_S
from repcounter.engine.reps import Swing
from repcounter.engine.swing_stats import alike, median, wobble

if TYPE_CHECKING:
    from repcounter.engine.sets import SetTracker

TailSwing = Callable[[Swing], Swing | None]
"""A half-swing's last movement after a plateau, as a half-swing of its own (None when it has none)."""


class StartRun:
    """One attempt to start a set on ``run``, the rhythmic run just found, with ``before``, the half-swings seen
    before it (``short``: a short set's run, one lowering between two pulls, tried at a rest)."""

    def __init__(self, tracker: SetTracker, run: list[Swing], before: list[Swing], short: bool) -> None:
        self.tracker = tracker
        self.rules = tracker.rules
        self.short = short
        self.start_run = run  # the run as found (the hang rules judge it)
        self.run = run  # the run, its first half-swing possibly split (:meth:`resplit_hidden`)
        self.before = list(before)
        self.med = median([s.amp for s in run])
        self.med_d = median([s.move_s for s in run])
        # a short set's run of 3 (pull, return, pull) has the pulls' movement time as its median: hold a
        # lowering taken back to the run's lowering instead (lifters lower slowly, 2-3x as long as they pull)
        self.med_dir = {d: median([s.move_s for s in run if s.direction == d]) for d in (1, -1)
                        if (short or self._own_direction_move()) and any(s.direction == d for s in run)}

    def _own_direction_move(self) -> bool:
        """A half-swing taken back may move as long as ``extend_max`` x the run's median movement time in its own
        direction, not only of all its half-swings (``SetRules.extend_move_own``: accelerometer only)."""
        return self.rules.extend_move_own and not self.tracker.gyro_signal()

    # -- does an earlier half-swing belong to the set? ------------------------------------------------
    def run_tilt(self, prev: Swing, run: list[Swing]) -> float:
        """Median forearm tilt of the run's half-swings in ``prev``'s direction, deg (0 when none); in a short
        set's run (one lowering between two pulls) of all of them: a lowering undoes its pull's tilt, and one
        lowering alone is a noisy measure of the set's range."""
        tilts = [s.rom_deg for s in run if self.short or s.direction == prev.direction]
        return median(tilts) if tilts else 0.0

    def _size_ok(self, prev: Swing, run: list[Swing]) -> bool:
        """``prev`` is the size of the set's half-swings: in the motion signal, else in forearm tilt, else as the
        twin of the run's half-swings in its direction (tilt, movement time, peak angular speed)."""
        r, med = self.rules, self.med
        gyro = self.tracker.gyro_signal()
        if r.extend_fraction * med <= prev.amp <= r.extend_max * med:
            return True
        if r.extend_rom_fraction > 0 and gyro and prev.amp <= r.extend_max * med:
            mt = self.run_tilt(prev, run)
            if mt >= r.extend_rom_min_deg and r.extend_rom_fraction * mt <= prev.rom_deg <= mt / r.extend_rom_fraction:
                return True
        if r.extend_twin_ratio > 0 and gyro and prev.amp <= r.extend_max * med:
            same = [s for s in run if s.direction == prev.direction]
            if same:
                mt = median([s.rom_deg for s in same])
                mm = median([s.move_s for s in same])
                mp = median([s.peak_speed_dps for s in same])
                pairs = ((mt, prev.rom_deg), (mm, prev.move_s), (mp, prev.peak_speed_dps))
                if mt >= r.extend_twin_min_deg and all(alike(p, r.extend_twin_ratio) for p in pairs):
                    return True
                if r.extend_low_fraction > 0 and mt < r.extend_twin_min_deg and prev.amp >= r.extend_low_fraction * med:
                    return all(alike(p, r.extend_low_ratio) for p in pairs[1:])
        return False

    def _set_up_jerk(self, prev: Swing, run: list[Swing], tail: bool) -> bool:
        """``prev`` is a set-up movement although its size fits: it tilts the forearm much further or much less
        than the reps (grabbing the bar; ``tail``: the end of reaching up to it), is a quick jerk, or moves far
        faster or at another pace than the set's half-swings in its direction."""
        r = self.rules
        gyro = self.tracker.gyro_signal()
        if r.extend_tilt_max > 0 and gyro and not tail:  # grabbing the bar: turns further
            mt = self.run_tilt(prev, run)
            if mt >= r.extend_twin_min_deg and prev.rom_deg > r.extend_tilt_max * mt \
                    and prev.amp >= r.extend_tilt_amp * self.med:
                return True
            if mt >= r.extend_twin_min_deg and prev.rom_deg < r.extend_tilt_min * mt \
                    and prev.amp >= r.extend_tilt_min_amp * self.med:
                return True
            if r.extend_quick_move > 0 and mt >= r.extend_twin_min_deg and prev.rom_deg > r.extend_tilt_max * mt \
                    and prev.move_s < r.extend_quick_move * median(
                        [s.move_s for s in run if s.direction == prev.direction]):
                return True  # a quick set-up jerk, small in q
        if r.extend_tilt_min_acc and not gyro and r.extend_tilt_min > 0 \
                and (tail or prev.duration_s > self._settle_s()):
            mt = self.run_tilt(prev, run)  # q moved by the mean settling after the set-up, the forearm hardly tilted
            if mt >= r.extend_twin_min_deg and prev.rom_deg < r.extend_tilt_min * mt \
                    and prev.amp >= r.extend_tilt_min_amp * self.med and self._slow_tilt(prev, run, mt):
                return True
        if r.extend_tail_tilt_max > 0 and gyro and tail:  # the end of reaching up to the bar
            mt = self.run_tilt(prev, run)
            if mt >= r.extend_twin_min_deg and prev.rom_deg > r.extend_tail_tilt_max * mt:
                return True
        if r.extend_peak_ratio > 0:  # the set-up's last jerk (grabbing the bar, the hang): much faster
            pks = [s.move_peak for s in run if s.direction == prev.direction]
            if pks and prev.move_peak > r.extend_peak_ratio * median(pks):
                return True
        if r.start_move_ratio > 0:  # set-up jerks / slow grip changes: not the set's movement
            same = [s.move_s for s in run if s.direction == prev.direction]
            md = median(same) if same else prev.move_s
            if not (md <= r.start_move_ratio * prev.move_s and prev.move_s <= r.start_move_ratio * md):
                return True
        return False

    def _slow_tilt(self, prev: Swing, run: list[Swing], mt: float) -> bool:
        """``prev`` tilts the forearm slower than ``extend_tilt_rate_acc`` x the run's half-swings in its direction
        (tilt over movement time, ``mt``: their median tilt, deg): it moved ``q`` without the reps' forearm motion.
        A rep's pull cut short by the set-up half-swing it started in tilts less only because less of it is
        seen, at the reps' rate (True when the test is off or the run has none in ``prev``'s direction)."""
        r = self.rules
        same = [s.move_s for s in run if s.direction == prev.direction]
        if r.extend_tilt_rate_acc <= 0 or not same or prev.move_s <= 0:
            return True
        return prev.rom_deg / prev.move_s < r.extend_tilt_rate_acc * mt / max(median(same), DT_S)

    def fits(self, prev: Swing, run: list[Swing], tail: bool = False) -> bool:
        """An earlier half-swing belongs to the starting set (amplitude and movement time like those of ``run``,
        the set's half-swings so far; amplitude against the starting run's median)."""
        r = self.rules
        if not (self._size_ok(prev, run)
                and prev.move_s <= r.extend_max * max(self.med_d, self.med_dir.get(prev.direction, 0.0))
                and prev.duration_s >= r.min_swing_s):
            return False
        return not self._set_up_jerk(prev, run, tail)

    def axis_tail(self, tail: Swing | None, run: list[Swing]) -> Swing | None:
        """A set-up half-swing's last movement after a plateau that does not fit ``run`` in the motion signal,
        measured again on the run's own rotation axis when it fits there (else None)."""
        tr = self.tracker
        if tail is None or not self.rules.tail_axis or tr.axis_swing is None or not tr.gyro_signal():
            return None
        x = tr.axis_swing(run, tail)
        return x if x is not None and self.fits(x, run, True) else None

    def _wobble(self, before: list[Swing]) -> bool:
        """The last two of ``before`` are a wobble inside a pause (``SetRules.take_wobble``): both under the set's
        turning-point hysteresis (``hysteresis_fraction`` of the run's median amplitude, so no turning points in a
        set) with a half-swing before them to take back."""
        r = self.rules
        return r.take_wobble and self.short and len(before) >= 3 and self.tracker.gyro_signal() and \
            wobble(before[-2:], self.med, self.med_d, r.hysteresis_fraction, r.wobble_move)

    def take_back(self, run: list[Swing], before: list[Swing], tail_swing: TailSwing | None) -> list[Swing]:
        """``run`` with the half-swings just before it that fit taken back in (``tail_swing``: on the signal the
        half-swings were found in)."""
        tr, r = self.tracker, self.rules
        own = tail_swing is tr.tail_swing  # the half-swings are on the motion signal (not re-derived)
        before = list(before)
        stretched = False
        while before and before[-1].k0 >= tr._walk_k:
            prev = before[-1]  # (a swing out of a long rest starts at a stale extreme: compare movement time)
            if len(before) >= 2 and tr._walk_cycle(prev, before[-2]):
                break
            if self._wobble(before):
                del before[-2:]  # inside the pause between two of the set's half-swings
                continue
            if not self.fits(prev, run):
                # the first pull may have followed the set-up movement in the same direction after a pause
                # (sitting down, then pulling): no turning point separates them; take its last movement
                tail = tail_swing(prev) if tail_swing is not None else None
                if tail is not None and self.fits(tail, run, True):
                    run = [tail] + run
                elif own and (x := self.axis_tail(tail, run)) is not None:
                    run = [x] + run
                elif own and tail is None and r.still_axis > 0 and len(before) >= 2 \
                        and before[-2].amp < r.still_axis * self.med and before[-2].duration_s >= r.still_axis_s \
                        and (x := self.axis_tail(prev, run)) is not None:
                    run = [x] + run  # the whole half-swing out of a still pose
                break
            run = [before.pop()] + run
            if stretched:
                break  # rep 1's pull before its stretched lowering: the set-up lies before it
            stretched = self._stretched(prev)
        return run

    def _stretched(self, prev: Swing) -> bool:
        """``prev`` (taken back) moved longer than ``extend_max`` x the run's median movement time over both
        directions, let in only by ``extend_move_own``: rep 1's lowering stretched by the mean settling right after
        the set-up movement, so only its pull may come before it (``SetRules.extend_own_stop``)."""
        r = self.rules
        return r.extend_own_stop and not self.short and self._own_direction_move() \
            and prev.move_s > r.extend_max * self.med_d

    def without_off_axis(self, taken: list[Swing]) -> list[Swing]:
        """``taken`` (the set's half-swings, about to open it) from after the last half-swing taken back before the
        run that is off the run's rotation axis (:meth:`_off_run_axis`; only those found on the motion signal):
        set-up, no rep, nor anything before it. Applied once the set is certain to start, so that the start
        and its recognition are judged on the same half-swings as before."""
        k_run = self.run[0].k0
        for i in range(len(taken) - 1, -1, -1):
            s = taken[i]
            if s.k0 < k_run and any(s is b for b in self.before) and self._off_run_axis(s, self.run):
                return taken[i + 1:]
        return taken

    def _off_run_axis(self, prev: Swing, run: list[Swing]) -> bool:
        """``prev`` fits ``run`` in the motion signal but, before a low-tilt run, moves under ``extend_axis_min`` of
        the run's median amplitude on the run's own rotation axis, and less than in the motion signal: a set-up
        movement (standing up, hinging forward) about another axis, no rep (see ``SetRules.extend_axis_min``)."""
        tr, r = self.tracker, self.rules
        if r.extend_axis_min <= 0 or tr.axis_swing is None or not tr.gyro_signal() \
                or self.run_tilt(prev, run) >= r.extend_twin_min_deg:
            return False
        x = tr.axis_swing(run, prev)
        return x is not None and x.amp < r.extend_axis_min * self.med and x.amp < r.extend_axis_drop * prev.amp

    # -- the steps of a start -------------------------------------------------------------------------
    def resplit_hidden(self) -> None:
        """Half-swings found with an idle hysteresis larger than the set's (two big set-up movements in the
        window) may hide the first rep: split the last few before the run, and the run's own first one, with the
        set's hysteresis."""
        tr, r = self.tracker, self.rules
        if r.resplit_n <= 0 or tr.resplit is None:
            return
        med = self.med
        h = r.resplit_fraction * med

        def hidden(s: Swing) -> bool:
            return s.amp < r.big_fraction * med and \
                tr._swing_h.get(s.k1, 0.0) > r.resplit_h_ratio * r.hysteresis_fraction * med
        parts: list[Swing] = []
        for s in self.before[-r.resplit_n:]:
            parts += tr.resplit(s, h) if hidden(s) else [s]
        self.before = self.before[:-r.resplit_n] + parts
        if hidden(self.run[0]):
            pieces = tr.resplit(self.run[0], h)
            self.before += pieces[:-1]
            self.run = [pieces[-1]] + self.run[1:]

    def _set_up_before(self, taken: list[Swing], mt_run: float) -> list[Swing]:
        """The set-up movements in the ``reproject_s`` before the run and what was taken back: big in q, or (q on
        the set-up's own axis may not show it) in forearm tilt (``mt_run``: the run's median tilt, deg); failing
        those, on an accelerometer-only stream, the half-swings long enough to be the mean settling after a
        set-up movement (``reproject_settle_setup``)."""
        r, run = self.rules, self.run
        window_k = min(run[0].k0, taken[0].k0) - round(r.reproject_s / DT_S)
        near = [s for s in self.before if s.k1 > window_k]
        big = [s for s in near if s.amp >= r.big_fraction * self.med or (
            (mt_run >= r.extend_rom_min_deg or (r.reproject_reach_deg > 0 and s.rom_deg >= r.reproject_reach_deg
                                                and mt_run >= r.extend_twin_min_deg))
            and s.rom_deg >= r.big_fraction * mt_run)]
        if big or self.tracker.gyro_signal():
            return big
        # accelerometer only: a smaller set-up step of gravity, else the mean settling after one (a long half-swing)
        if r.reproject_acc_big > 0:
            big = [s for s in near if s.amp >= r.reproject_acc_big * self.med]
        if big or not r.reproject_settle_setup or r.reproject_acc_settle <= 0:
            return big
        settle = self._settle_s()
        return [s for s in near if s.duration_s > settle]

    def _slow_set_up(self, taken: list[Swing]) -> Swing | None:
        """Gyro only: the half-swing before what was taken back (or whose tail was) when it lasts over
        ``reproject_slow`` x the run's median half-swing and moves ``q`` at least ``reproject_slow_amp`` x its median
        amplitude (a slow set-up, sitting down and settling, with rep 1 hidden in it on the set-up's rotation axis),
        else None."""
        r, tr = self.rules, self.tracker
        if r.reproject_slow <= 0 or not tr.gyro_signal():
            return None
        prev = [s for s in self.before if s.k0 < taken[0].k0]  # (its tail may have been taken)
        if not prev or prev[-1].duration_s <= r.reproject_slow * median([s.duration_s for s in self.run]) \
                or prev[-1].amp < r.reproject_slow_amp * self.med:
            return None
        return prev[-1]

    def _settle_s(self) -> float:
        """Accelerometer only: a half-swing before the run longer than this, s, is the slow mean settling after a
        set-up movement (``reproject_acc_settle`` x the run's median half-swing duration)."""
        return self.rules.reproject_acc_settle * median([s.duration_s for s in self.run])

    def reprojected(self, taken: list[Swing], mt_run: float) -> list[Swing]:
        """``taken``, or more reps found again on the run's own axis right after a big set-up movement (sitting
        down, reaching up), whose rotation axis may have hidden the first reps in q."""
        tr, r, run = self.tracker, self.rules, self.run
        setup = self._set_up_before(taken, mt_run)
        if not setup and self._fresh_axis():
            return self._reprojected_from(taken, 0)
        slow = not setup and self._slow_set_up(taken)
        if slow:
            setup = [slow]
        if not setup or tr.reproject is None or r.reproject_s <= 0:
            return taken
        d0 = tr._direction(taken)
        no_rep = not any(s.direction == d0 for s in taken[:len(taken) - len(run)])
        # Also when reps were taken back: taking back stops at the first rep distorted on the set-up's axis (a
        # lowering 0.36x the median in q), and the reps before it are lost; up to ``reproject_max`` more
        # half-swings. A set-up movement ending where the run starts (sitting down and the first pull one
        # movement on its axis) leaves too little after its end (the re-derivation needs 10 samples before the
        # run): look from its start, without measuring tails (its own tail is no rep)
        adj = run[0].k0 - setup[-1].k1 < 10 or bool(slow)
        gyro = tr.gyro_signal()
        settle = False
        if not gyro and r.reproject_acc_settle > 0 and \
                setup[-1].duration_s > self._settle_s():
            adj = settle = True  # accelerometer only: the reps rode on the slow mean settling after the set-up's step
        again = tr.reproject(run, max(tr._walk_k, setup[-1].k0 if adj else setup[-1].k1)) \
            if adj or not r.reproject_lead else tr.reproject(run, max(tr._walk_k, setup[-1].k1), tr._direction(run))
        m = len(run)
        if len(again) > m and tr._consistent(again[-m:]):
            keep = (m if no_rep else len(taken)) + (r.reproject_max if gyro else r.reproject_max_acc)
            alt = self.take_back(again[-m:], again[:-m], None if adj and not (settle and r.reproject_settle_tail) else tr.reproject_tail)[-keep:]
            if len(alt) > len(taken) and tr._direction(alt) == tr._direction(run):  # adds reps, never turns the set
                return alt
        return taken

    def _fresh_axis(self) -> bool:
        """The run begins within ``reproject_fresh_s`` of the stream's first sample, before the streaming rotation
        axis has settled (accelerometer only: ``reproject_fresh_acc_s``, before the signal's mean has settled)."""
        r, tr = self.rules, self.tracker
        limit = r.reproject_fresh_s if tr.gyro_signal() else r.reproject_fresh_acc_s
        return limit > 0 and tr.reproject is not None and self.run[0].k0 * DT_S < limit

    def _reprojected_from(self, taken: list[Swing], k_from: int) -> list[Swing]:
        """``taken``, or more reps found again from grid index ``k_from`` on the run's own rotation axis (at most
        ``reproject_max`` half-swings more; only adding reps, never turning the set)."""
        tr, r, run = self.tracker, self.rules, self.run
        again = tr.reproject(run, max(tr._walk_k, k_from), tr._direction(run))
        # a movement under way when the stream began is not seen whole: nothing starting in its first
        # ``min_swing_s`` is taken back
        again = [s for s in again if s.k0 * DT_S >= r.min_swing_s]
        m = len(run)
        if len(again) > m and tr._consistent(again[-m:]):
            alt = self.take_back(again[-m:], again[:-m], tr.reproject_tail)[-(len(taken) + r.reproject_max):]
            if len(alt) > len(taken) and tr._direction(alt) == tr._direction(run):
                return alt
        return taken

    def _after_walk(self, taken: list[Swing], mt_run: float) -> list[Swing] | None:
        """``taken`` without the set-up after a walk: every taken half-swing up to the first pull after the walk
        and the return after it (the walk's last arm swing may itself have been taken back, and the set-up:
        bending to the floor, standing up with the weight, hinging, is several half-swings); None when nothing
        but set-up is left."""
        tr, r, run = self.tracker, self.rules, self.run
        seq = self.before + run
        i = next((j for j, x in enumerate(seq) if x.k0 == taken[0].k0), -1)

        def walked(j: int) -> bool:  # seq[j] ends a walk: two arm-swing cycles with step impacts
            return j >= 2 and tr._walk_cycle(seq[j], seq[j - 1]) and tr._walk_cycle(seq[j - 1], seq[j - 2])
        n = 0
        while n < len(taken) - 1 and i + n < len(seq) and seq[i + n].k0 == taken[n].k0 and walked(i + n):
            n += 1
        t_walk = taken[n - 1].t1 if n > 0 else taken[0].t0 if taken[0].k0 == tr._walk_k else next(
            (seq[i - a].t1 for a in range(1, r.walk_setup_pull + 1) if walked(i - a)), None)
        if t_walk is None:
            return taken[1:] if i >= 2 and tr._walk_cycle(seq[i - 1], seq[i - 2]) else taken  # one walking cycle
        d = tr._direction(taken)
        k = next((j for j in range(n, len(taken)) if taken[j].direction == d), len(taken))
        big = k < len(taken) and any(
            x.t1 > t_walk and x.t0 < taken[k].t0 and (x.amp >= r.big_fraction * self.med or (
                mt_run >= r.extend_rom_min_deg and x.rom_deg >= r.big_fraction * mt_run)) for x in seq)
        tail = None
        if k < len(taken) and taken[k].t0 - t_walk <= r.walk_setup_s and not big:
            if r.walk_setup_tail > 0 and tr.tail_swing is not None:
                tail = tr.tail_swing(taken[k], max_frac=r.walk_setup_tail)
                if tail is not None and tail.move_start - t_walk > r.walk_setup_s and not self.fits(tail, run, True):
                    tail = self.axis_tail(tail, run)
                if tail is not None and (tail.move_start - t_walk <= r.walk_setup_s or not self.fits(tail, run, True)):
                    tail = None
            if tail is not None:  # the set-up's last movement is rep 1: keep it and its return
                k -= 1
            else:
                while k + 1 < len(taken) and taken[k + 1].direction != d:  # and the set-up's return
                    k += 1
        else:  # a pull long after the walk: the set-up was one half-swing before it
            k = n if n > 0 or taken[0].k0 == tr._walk_k or (
                i >= 2 and tr._walk_cycle(seq[i - 1], seq[i - 2])) else n - 1
        if k + 1 >= len(taken) - 1:  # nothing left but set-up: not a set yet
            return None
        taken = taken[k + 1:]
        return [tail] + taken[1:] if tail is not None else taken

    def without_walk_set_up(self, taken: list[Swing], mt_run: float) -> list[Swing] | None:
        """``taken`` without the first movement after a walk, the set-up (picking the weight up, bending over),
        no rep; None when nothing but set-up is left (``walk_setup``, ``walk_setup_pull``)."""
        tr, r = self.tracker, self.rules
        if not r.walk_setup or len(taken) <= 1:
            return taken
        seq = self.before + self.run
        i = next((j for j, x in enumerate(seq) if x.k0 == taken[0].k0), -1)
        if r.walk_setup_pull > 0 and i >= 0:
            return self._after_walk(taken, mt_run)
        if i >= 0 and (taken[0].k0 == tr._walk_k or (i >= 2 and tr._walk_cycle(seq[i - 1], seq[i - 2]))):
            return taken[1:]
        return taken

    def taken(self) -> list[Swing] | None:
        """The set's half-swings: the run with what fits before it taken back, re-derived after a set-up movement,
        the set-up after a walk dropped; None when nothing but set-up is left."""
        self.resplit_hidden()
        taken = self.take_back(self.run, self.before, self.tracker.tail_swing)
        mt_run = median([s.rom_deg for s in self.run]) if self.rules.extend_rom_fraction > 0 else 0.0
        taken = self.reprojected(taken, mt_run)
        return self.without_walk_set_up(taken, mt_run)
