"""Set segmentation and rep bookkeeping: from half-swings to sets, reps and events.

A set becomes certain once ``start_swings`` consecutive half-swings are rhythmically consistent (similar
amplitude and period, large enough). Set-up motion before the first rep (reaching for the bar, sitting
down) rarely matches the rhythm that follows, so it is not counted. A set ends after a rest of a few rep
periods or at a swing far larger/slower than the set's own (racking, walking away).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from repcounter.engine.conditioning import DT_S
from repcounter.engine.events import EngineEvent, Rep, RepAnnounced, RepCompleted, SetEnded, SetStarted
from repcounter.engine.phases import PULL_ASYMMETRY, faster_direction
from repcounter.engine.reps import Swing
from repcounter.engine.tempo import announced_rep, completed_rep, summarize


def _median(xs: Sequence[float]) -> float:
    """``float(np.median(xs))`` of a short sequence of numbers, bit for bit (the middle value, or the mean
    ``(a + b) / 2`` of the two middle ones, NaN when empty or any value is NaN), without numpy's ~15 us call
    overhead: the set tracker takes medians of a handful of values several times per half-swing."""
    v = sorted(xs)
    n = len(v)
    if n == 0 or any(x != x for x in v):
        return math.nan
    h = n // 2
    return float(v[h]) if n % 2 else (float(v[h - 1]) + float(v[h])) / 2.0


def _confidence(amp: float, med: float) -> float:
    """A rep's confidence from its amplitude against the median of the set's pulls (both in units of the motion
    signal): 1 at the median, falling with the log ratio, floor 0.3, rounded to 3 digits."""
    return round(float(max(0.3, min(1.0, 1.0 - abs(math.log(max(amp, 1e-6) / med))))), 3)


@dataclass(frozen=True)
class SetRules:
    """Thresholds of the set/rep state machine (amplitudes in g of the motion signal, times in s)."""

    min_amp_g: float = 0.1
    start_swings: int = 4
    start_amp_ratio: float = 1.6
    start_period_ratio: float = 1.8
    min_swing_s: float = 0.3
    max_swing_s: float = 10.0
    noise_fraction: float = 0.5
    big_fraction: float = 2.6
    slow_factor: float = 3.5
    slow_move: float = 3.0
    slow_move_rom: float = 0.5
    """A pull in a set whose movement time and half-swing duration are both over ``slow_move`` x the medians of
    the set's pulls while it tilts the forearm (``Swing.rom_deg``) under ``slow_move_rom`` x their median tilt
    ends the set and is no rep, unless it splits into a partial rep and a full pull (``partial_h``); gyro
    signal only, 0 disables. Standing up after putting a bent-over row's weight down (arm hanging, wrist
    wobbling, shaking out) moved `q` 0.6-0.75x as far as the rows over 4-5x their movement time with 0.35-0.46x
    their tilt and was counted as one more row (and the walking off after it as more). Real slow pulls that
    far over the set's movement time (a kaggle lat pulldown, 5.2x) tilt 0.64-0.69x as far as the set's pulls;
    2.5-4x and 0.5-0.6x give the same figures."""
    rest_periods: float = 2.5
    min_rest_s: float = 4.0
    hysteresis_fraction: float = 0.5
    min_hysteresis_g: float = 0.03
    idle_window_s: float = 8.0
    idle_min_swings: int = 2
    """Outside a set, with fewer swings than this in the last ``idle_window_s`` the hysteresis is
    ``min_hysteresis_g`` (one set-up movement alone must not hide the smaller movements that follow it)."""
    direction_rule: str = "fast"
    fast_asymmetry: float = PULL_ASYMMETRY
    """Pull = the faster direction when mean movement times differ by more than this fraction of their mean."""
    fast_peak_ratio: float = 1.5
    fast_peak_asymmetry: float = 0.15
    """When movement times alone are not clear: pull = the direction whose mean peak angular speed is over
    ``fast_peak_ratio`` times the other's and whose mean movement time is shorter by over
    ``fast_peak_asymmetry`` of their mean (0 disables)."""
    extend_fraction: float = 0.4
    extend_max: float = 2.0
    extend_peak_ratio: float = 2.5
    """An earlier half-swing is taken back into a starting set only when its peak angular speed is at most this
    many times the median of the run's half-swings in its direction: the set-up's last movement (grabbing the
    bar, dropping into the hang, a grip change) is a quick jerk of about the reps' size and was counted as rep 1
    (simulated sets exact 54 -> 64 %, 100 sets 45 -> 51 %; real and demo counts unchanged; 2.0 lost a demo
    seated row's first rep, 3.0 gives 62 %; 0 disables)."""
    fast_period_s: float = 0.0
    fast_start_swings: int = 8
    min_period_s: float = 0.0
    idle_fraction: float = 0.5
    min_move_s: float = 0.0
    step_ratio: float = 8.0
    """A starting run whose |acc| varies more at twice the cycle rate than at the cycle rate by this factor
    is arm swing while walking (two steps per arm cycle), not reps; 0 disables."""
    step_ratio_fast: float = 5.0
    """The same limit for runs faster than ``step_cycle_s`` per cycle (walking cadence); 0: ``step_ratio``."""
    step_cycle_s: float = 1.3
    """Arm swing while walking is faster than this per cycle, s: a run that fast rejected by its step
    impacts is walking, and its half-swings never join a set (nor a run that includes them)."""
    walk_exclude: bool = True
    walk_pair: bool = True
    """A starting run slower than ``step_cycle_s`` per cycle whose first or second cycle (two half-swings) is at
    walking cadence with step impacts (over ``step_ratio_fast`` x on that cycle alone) is a short walk to the
    station running into the set-up (two quick arm swings, then one slow set-up movement): the whole run's
    cycle and step ratio looked like slow reps and started a 2-5 rep set before the real one (simulated
    sets, 200: exact 58.5 -> 60.5 %, within one 83 -> 85 %; demo reps outside true sets, seeds 7-12,
    23 -> 16; real counts unchanged; False disables)."""
    start_move_ratio: float = 3.0
    """Movement times of same-direction half-swings of a starting run within this factor, and an earlier
    half-swing taken back in within this factor of the run's median in its direction (0 disables)."""
    start_peak_ratio: float = 3.0
    """Peak angular speeds of same-direction half-swings of a starting run within this factor: grabbing the
    bar and dropping into the hang (150 deg/s) matched the size and rhythm of the slow reps that followed
    (40 deg/s) and started the set early, counting them (simulated sets, 100: exact 51 -> 53 %; demo
    held-out seeds summary view 74.2 -> 75.8 %; real counts unchanged; 2.5 lost a demo bent-over row's rep,
    4 keeps half the gain; 0 disables)."""
    walk_setup: bool = True
    """The half-swing right after arm swing while walking (a walking cycle with step impacts, or the end of a
    walking run) is never taken back into a starting set: it is the set-up movement (picking the weight up,
    bending over), and was counted as rep 1 of bent-over rows; False disables."""
    walk_setup_pull: int = 4
    """With ``walk_setup``: the taken-back half-swings that are still the walk's arm swing, and then all up to
    and including the first pull after the walk, are set-up (bending to the floor, standing up with the
    weight and hinging forward are several half-swings), when the walk ended at most this many half-swings
    before the first one taken back (0: only the first half-swing right after the walk is dropped)."""
    odd_walk: bool = True
    """A pull while a pull out of rhythm is held (``odd_move``) that makes an arm-swing cycle at walking cadence
    with step impacts (as ``held_move_ratio``) with the half-swing before it ends the set without the held
    half-swings: standing up after putting the weight down, then walking off (False: it releases them)."""
    walk_setup_s: float = 3.0
    """With ``walk_setup_pull``: only a first pull starting within this time of the walk's end is set-up (a
    set-up done in one half-swing, then the first rep, leaves more time)."""
    walk_setup_tail: float = 0.8
    """With ``walk_setup_pull``: a set-up pull (within ``walk_setup_s`` of the walk) whose last movement began
    after a pause inside it and fits the set, at most this share of its amplitude, keeps that movement as rep 1
    (bending over, a pause, then the first row: the small return between them hid by the idle hysteresis;
    0 disables)."""
    walk_holdoff_s: float = 2.0
    """A starting run is no set when an arm-swing cycle at walking cadence with step impacts (over
    ``step_ratio_fast`` x on that cycle alone, as ``walk_pair``, whatever the run's own cycle) is its first cycle,
    straddles its first half-swing or ends less than this long before it, s: the short walk to the next
    station runs into the set-up (bending for the dumbbell, sitting down, reaching for the handle), whose
    set-up wobble continued the arm swing's rhythm and started 1-4 rep sets where the lifter did none (demo
    seeds 13-50: 3 of 5 such sets gone, the 2 left show no step impacts in their 2 s walk; demo 1-6 reps
    outside true sets 2 -> 1, summary 64 -> 65 of 67;
    simulated sets within one 92 -> 94 %, 100 sets 91 -> 92 %; real counts, demo 7-12 totals, 13-30 and
    31-50 counts unchanged). The run is only refused, no half-swing is excluded: a set started right after a
    walk starts a half-swing later and takes the earlier ones back as before. Walking cycles later in the run
    are not looked at: a real fast seated row's cycle has step-like |acc| peaks (ratio 12.5) and lost 2 reps
    (1-3 s give the same figures; 0 disables)."""
    start_busy_ratio: float = 6.5
    """A starting run is no set when the half-swing right before it, no bigger than a set-ending movement
    (``big_fraction``) and tilting the forearm no further than the run's median half-swing, moved for over this
    many times the run's median movement time: aimless motion, not a set-up. A short walk whose arm swing the
    idle hysteresis merged into one long half-swing (tilts 4-12 deg, moving 7.5-12x as long as the run),
    running into picking a dumbbell up, left no walking-cadence pair for ``walk_holdoff_s`` and started 2-3 rep
    sets where the lifter did none (demo seeds 13 and 45). A set-up merged the same way (picking the weight up,
    standing, hinging: 6.7x, demo seed 48) tilts the forearm far more than the rows (2.8x their median); the
    largest ratio of a low-tilt half-swing before a true set's start is 5.4 (demo), 5.0 (real). 0 disables."""
    start_partial: float = 0.75
    start_partial_move: float = 1.5
    """A partial rep inside the starting run (a small pull and its lowering, each ``partial_min`` to
    ``start_partial`` of the others' median amplitude, moving at most ``start_partial_move`` x as long as the
    others in its direction) breaks every window of 4 half-swings by amplitude: the last 6 start the set when the
    4 around that pair are rhythmic (``_consistent``), the pair's pull counted as a rep. A bent-over row with a
    partial third rep was never found (demo seed 15: 0 -> 5 of 5; seeds 13-30 summary 196 -> 197 of 200, named
    199 -> 200). Without the movement-time limit the walk's end and picking the weight up (moving 1.9x as long)
    passed for a partial (demo seed 39 5 -> 7 of 5) and a kaggle lat pulldown gained a 6-rep set. 0 disables."""
    walk_after_pause: bool = True
    """The walking-cadence test of a held pull (``held_move_ratio``) times it from its movement's start, not from
    the turning point before it: walking off after a pause at the end of the set started with an arm swing
    whose half-swing included the pause, and counted as a rep (a big or violent one still ends the set; False:
    from the turning point)."""
    walk_in_set: float = 0.7
    """In a set, 4 half-swings at walking cadence (and faster than this fraction of the set's rep period)
    whose |acc| varies more than ``step_ratio_fast`` x at twice the cycle rate end the set (walking
    away); 0 disables."""
    held_move_ratio: float = 0.6
    """In a set, a pull at walking cadence whose movement time is under this fraction of the set's median
    pull is announced only once the next half-swing shows it is no arm swing while walking (0 disables)."""
    held_after_pause: float = 2.0
    """A pull at walking cadence is held the same way (whatever its movement time) when the lowering before it
    lasted over this many times the median duration of the set's lowerings: a long pause after the last
    lowering (putting the weight down, standing up) and then the first arm swing of walking off, which moved
    0.71x as long as a fast bent-over row set's pulls and was counted (demo seeds 31-50 summary 204 -> 205
    of 217; every other figure unchanged; 1.5-3x give the same; 0 disables)."""
    fast_end_factor: float = 2.5
    fast_end_amp: float = 1.5
    """In a set, a half-swing over ``fast_end_amp`` times the median pull amplitude whose peak angular speed
    exceeds ``fast_end_factor`` times the median of the set's half-swings in the same direction (racking,
    letting go of the handle) ends the set like an oversized one (0 disables)."""
    put_down_factor: float = 2.5
    put_down_amp: float = 0.5
    put_down_dur: float = 1.5
    """... and so does any half-swing over ``put_down_amp`` times the median pull amplitude whose peak angular
    speed exceeds ``put_down_factor`` times that median while it lasts over ``put_down_dur`` times half the set's
    rep period (gyro signal only, after 3 half-swings in that direction): a quick jerk inside a slow movement is
    putting the dumbbell down, standing up or shaking the arms out after the last rep (3-6x the reps' peak speed,
    2-2.5x as long as a half rep), not a rep; the pulls held out of rhythm before it are dropped with it. Only a
    long half-swing counts: quick ones that fast occur mid-set in real pull-ups and machine rows (kaggle APULL,
    muvr leverage row split at 2.5-3x), and the acc-only peak speed (tilt rate) spikes mid-set (muvr pebble,
    simulated acc-only lat pulldown lost a rep). Demo 13-30 summary 178 -> 180/200 (seeds 19, 29), demo 1-6 reps
    outside sets 6 -> 3; real, simulated, held-out demo figures unchanged (2.5-2.7 x, 1.2-1.5 give the same;
    0 disables)."""
    release_amp: float = 1.25
    release_factor: float = 4.0
    """... and so does one over ``release_amp`` times the median pull amplitude whose peak angular speed exceeds
    ``release_factor`` times that median: letting go of the assisted pull-up handles after the last rep turned
    the forearm 108 deg at 360 deg/s (the set's reps: 20 deg, 60 deg/s) but moved the motion signal only 1.47x
    as far as the reps, and was counted as a rep (real exact 42.9 -> 43.9 %, a kaggle cable row one rep nearer
    too; simulated and demo counts unchanged; 1.1-1.25 x with 3.5-5 x give the same; 0 disables)."""
    extend_rom_fraction: float = 0.7
    extend_rom_min_deg: float = 35.0
    """An earlier half-swing too small in the motion signal is still taken back into a starting set when its
    forearm tilt (``Swing.rom_deg``, from gravity: axis-free) is within this fraction (and its inverse) of
    the median tilt of the run's half-swings in its direction, and that median is at least
    ``extend_rom_min_deg``: the first rep after a set-up movement is projected on the set-up's rotation
    axis and looks small in the motion signal, but the forearm turns as far as in the next reps (0 disables).
    Gyro signal only: without a gyro the motion signal is itself the tilt, and the rule only took set-up
    movements back (simulated acc-only sets: pull and lowering swapped in 13 % of reps instead of 2 %)."""
    extend_twin_ratio: float = 1.4
    extend_twin_min_deg: float = 15.0
    """... or when its tilt, movement time and peak angular speed are all within this factor of the medians of
    the run's half-swings in its direction, that median tilt at least ``extend_twin_min_deg`` (gyro only)."""
    extend_low_fraction: float = 0.3
    extend_low_ratio: float = 1.4
    """... or, when that median tilt is under ``extend_twin_min_deg`` (small tilts are noisy: bent-over rows
    turn the forearm 4-14 deg), when it is at least ``extend_low_fraction`` of the run's median amplitude and
    its movement time and peak angular speed are within ``extend_low_ratio`` of the medians of the run's
    half-swings in its direction (gyro only; 0 disables): a bent-over row's rep 1 right after picking the
    weight up moved ``q`` 0.36-0.39x the median on the set-up's axis at the reps' movement time and peak speed
    (demo seeds 13-30 summary 195 -> 196/200, 31-50 209 -> 210/217; real, quicksim, demo 1-6, 7-12 unchanged)."""
    extend_tilt_max: float = 1.4
    extend_tilt_amp: float = 0.55
    """An earlier half-swing at least ``extend_tilt_amp`` of the run's median amplitude that turns the forearm
    more than ``extend_tilt_max`` times the median tilt of the run's half-swings in its direction (that median
    at least ``extend_twin_min_deg``) is not taken back: the set-up's last movement (grabbing the bar), not a
    rep (gyro only, whole half-swings only; 0 disables). A smaller one may be rep 1 on the set-up's axis."""
    extend_tilt_min: float = 0.6
    extend_tilt_min_amp: float = 0.75
    """Nor one at least ``extend_tilt_min_amp`` of the median amplitude that tilts the forearm less than
    ``extend_tilt_min`` times as far: as big as the reps in the motion signal but about another axis
    (twisting while settling into the hang; partial reps are smaller in both)."""
    extend_quick_move: float = 0.5
    """Nor one, whatever its amplitude, that turns the forearm more than ``extend_tilt_max`` times as far as
    the run's half-swings in its direction (median at least ``extend_twin_min_deg``) in under this fraction of
    their median movement time: a quick jerk of the set-up (after reaching up to the pull-up bar: 0.41x the
    reps' amplitude, 1.6x their tilt in 0.37x their movement time, counted as rep 1; 0 disables)."""
    extend_tail_tilt_max: float = 2.5
    """The last movement of a set-up half-swing after a plateau (its tail, taken back as the first pull when
    no turning point separates them) is not taken back when it turns the forearm more than this many times as
    far as the run's half-swings in its direction (median at least ``extend_twin_min_deg``; gyro only): the
    end of reaching up to the pull-up bar (2.9x and 4.6x the reps' tilt) was counted as rep 1; a bent-over row's
    rep 1 after picking the weight up is a tail tilting 2.0x (at 2.0 it was lost: demo seeds 31-50 202 -> 201).
    ``extend_quick_move`` 0.5-0.6 give the same figures (0 disables)."""
    reproject_s: float = 10.0
    reproject_max: int = 2
    """When no earlier half-swing in the pull direction fits a starting set (at most its first lowering) and a
    set-up movement (over ``big_fraction`` of the run's median in the motion signal or in forearm tilt, the
    latter when the run's median tilt is at least ``extend_rom_min_deg``) ended less than ``reproject_s``
    before the run, the motion signal from the end of that movement is derived again from the angular rate
    projected on the run's own rotation axis (leaking toward its own resting level), and its half-swings (at
    most ``reproject_max``) are offered for taking back: the streaming signal's axis is still the set-up's
    and the first rep looks too small in it; 0 disables. The first sample of the re-derived signal is no
    turning point, a half-swing's tail after a plateau is measured on that signal, and the result may only
    add reps, never change the pull direction. Demo workouts (seeds 1-6) exact 79.1 -> 83.6 %,
    held-out seeds 7-12 65.2 -> 69.7 %; simulated sets 52/78 % unchanged; real 43.9/84.7 -> 42.9/84.7 %
    (one kaggle cable row takes back a handle adjustment after sitting down: 14 -> 15). Up to 4 half-swings:
    demo 85.1 %, held-out the same, real within one 83.7 %. The re-derived signal first leaked toward the
    streaming signal's resting level (another axis: its half-swings were up to 2x off in size, and it
    rarely fitted): with its own level, demo 85.1 -> 91.0 % (lat pulldowns 72.7 -> 90.9 %), held-out
    77.3 -> 83.3 %, simulated sets 54/78 -> 56/78 %, real unchanged; set-ups big in tilt only: demo 92.5 %."""
    reproject_lead: bool = True
    reproject_lead_min: float = 0.75
    """Also offer the re-derived signal's movement into its first turning point (from the lowest / highest
    point before it; when taking back only its tail after a plateau may fit) when it goes in the run's pull
    direction: rep 1 right out of a still pose after reaching up to the bar rose 0.74 on the run's axis from a
    flat start and was lost (demo seed 62), as big as the run's median (1.09x); it must be at least
    ``reproject_lead_min`` x that median: a 0.54x set-up residue out of the still start counted as rep 1 of a
    simulated seated row with a symmetric tempo (11 -> 12)."""
    reproject_reach_deg: float = 120.0
    """A half-swing turning the forearm at least this far (deg: raising the arm overhead, reaching up to the bar)
    and over ``big_fraction`` x the run's median tilt is a set-up movement for ``reproject_s`` also when that
    median is under ``extend_rom_min_deg`` (at least ``extend_twin_min_deg``): reaching up to a lat-pulldown bar
    (147.5 deg, 2.31 rad in ``q``: just under 2.6x the reps' 0.90) before reps tilting 33-35 deg was no set-up
    by either test, and rep 1, hidden on the set-up's axis, was lost (demo seeds 31-50 summary 211 -> 212 of
    217; real data, quicksim 50 and 100, demo 1-6, 7-12 totals and 13-30 unchanged; 100-140 deg give the same
    figures; at 90 deg a seated row's sit-down (90.4 deg) became the set-up and the re-derivation started
    after rep 1's start, 12 -> 11 of 12; with no floor a kaggle assisted pull-up took its set-up back as a
    rep, 5 -> 6 of 5; 0 disables)."""
    shake_ends: bool = True
    """In a set, a half-swing quicker than ``min_swing_s`` whose peak angular speed exceeds ``fast_end_factor``
    times the set's median (shaking the arms out, 4 Hz at 200 deg/s) ends the set like a violent release, and
    no pull that quick is announced early: it was counted as 4-6 reps after bent-over rows (demo workouts:
    reps outside true sets 23 -> 18, held-out seeds 35 -> 31; real and simulated counts unchanged)."""
    resplit_n: int = 1
    resplit_fraction: float = 0.35
    resplit_h_ratio: float = 1.25
    """The last ``resplit_n`` half-swings before a starting run (unless big set-up movements) are split at the
    turning points found with ``resplit_fraction`` of the run's median amplitude as hysteresis before they are
    taken back, when the idle hysteresis in force while they were found exceeded ``resplit_h_ratio`` times the
    run's (``hysteresis_fraction`` of its median): two big set-up movements in the idle window (reaching up to
    the pulldown bar, the leak drifting back) make it large enough to swallow the first pull (0 disables)."""
    early_travel: float = 0.6
    stop_max_amp: float = 1.4
    stop_max_move: float = 1.5
    """A pull announced because it stopped at the top (``engine.STOP_S``) rather than turned back is announced
    only when its amplitude is at most ``stop_max_amp`` x and its movement time at most ``stop_max_move`` x
    the set's median pull: a last, bigger or slower pull (letting go of the bar, standing up) waits until it
    turns back (``early_retreat``; real data: 1.2 x / 1.2 x keep more reps waiting for the same counts). Any pull
    refused when it stopped is judged again then, unless its half-swing already lasts over ``partial_period``
    rep periods (it may hide a partial rep: judged at its turning point)."""
    partial_start: bool = True
    """Look for partial reps (below) in the starting run's half-swings too, once it has two reps."""
    partial_start_run: bool = True
    """Before the starting set has periods of its own (its first pulls), ``partial_start`` compares half-swings
    with the run's rhythm, twice its median half-swing duration: demo seed 59's partial rep 2 hid in the run's
    second pull (3.7 s against 1.0 s half-swings) and was lost."""
    partial_h: float = 0.3
    partial_min: float = 0.35
    partial_period: float = 1.2
    partial_move: float = 0.6
    partial_move_speed: float = 1.5
    """In a set, a lowering that lasts over ``partial_period`` of the set's rep period (or ends the set) is split
    at the turning points found with ``partial_h`` of the median pull as hysteresis; a pull inside it of at
    least ``partial_min`` of the median pull, moving ``partial_move`` to ``start_move_ratio`` times as long as
    the set's pulls at a peak speed at most ``partial_move_speed`` times theirs (the bump when letting go of a
    handle is quick, 0.47x; a range cut short takes less time than a full pull, 0.67x in a simulated row),
    tilting the forearm no more than the full movement beside it and followed by its own lowering, is a
    partial rep (the set's hysteresis, half the median pull, hid it).
    Gyro signal only; 0 disables. Demo workouts exact 85.1 -> 86.6 %, held-out seeds 77.3 -> 83.3 %; real
    43.9 -> 44.9 %; simulated sets unchanged."""
    partial_full_move: float = 0.75
    """A pull split into [partial pull, its lowering, full pull] needs the full pull to move at least this many
    times as long as the set's pulls (median): it is the next rep. Putting a bent-over row's weight down
    after the last rep starts with a quick jerk in the pull's direction (0.6x the rows' movement time) that
    was taken as the full pull after a "partial" (the last row and its lowering); 0 disables."""
    partial_full_amp: float = 0.7
    """... and to move ``q`` at least this many times the set's median amplitude (a full range): after a bent-over
    row set's failed last pull and its lowering, the first jerk of putting the weight down (0.64x the median,
    0.79x the movement time, 1.65x the tilt) passed the two tests above and was counted as one more rep (demo
    seed 42 row 11 -> 10 of 9); true full pulls after partials on the demo seeds are over 0.8x (0.9 lost two;
    0.7-0.8 give the same figures); 0 disables."""
    partial_full_rom: float = 1.8
    """... and to tilt the forearm at most this many times as far as the set's pulls (median ``rom_deg``): after a
    bent-over row set's failed last pull and its lowering, putting the weight down / standing up (twice the
    rows' tilt) was taken as a full pull and counted as an extra rep; 0 disables."""
    partial_trailing: bool = True
    """A pull still open when a rest ends the set, short of the 0.6 of the median pull a trailing pull needs,
    counts as a partial rep when shaped like one (the tests of ``_partial``, its tilt held to the set's pulls)
    and lowered again at least half way before the rest (a failed last row: demo seeds 31-50 193 -> 194/217)."""
    partial_rest_back: float = 0.3
    """When a rest ends the set in a lowering after the last pull and no partial rep hides in it, the movement
    on to the rest (the running extreme is the lowering's end; a failed pull after it turned back within the
    hysteresis) is split the same way; its partial pull needs to come back only this fraction of itself (the
    gyro angle's leak toward the resting level shrinks the return; 0 disables)."""
    partial_end_rom: bool = True
    """When the lowering that ends the set (a big, slow or violent movement, or the rest timer) is split for a
    failed last pull, that pull's tilt is held to the larger of the lowering's tilt and the set's pulls'
    median tilt scaled by its amplitude (a partial range tilts the forearm that share of a full pull), plus
    ``partial_rom_tol_deg``. Bent-over rows' pulls tilt 2-5x their lowerings, so a failed last row (0.49x
    the median, 14.4 deg against 26.7 for the pulls and 5.7 for the lowering) was refused; putting the weight
    down moves the forearm's tilt far more than ``q`` (a jerk 0.46x the median tilting 1.07x the pulls),
    and the unscaled pulls' tilt counted it (demo seeds 13-30 196 -> 195, 31-50 211 -> 212 of 217)."""
    odd_partial_end: bool = True
    """When the set ends on a movement with a pull out of rhythm held (its half-swings dropped), a failed last
    pull and its lowering at the start of that held pull count (split and tested like a pull that ends the
    set, ``_partial(ending=True)``): the failed row goes up and back under control, putting the weight down
    then goes on the pull's way and does not come back."""
    odd_partial_h: float = 0.175
    """... and when ``partial_h`` splits nothing there, it is split again with this fraction of the median pull
    as hysteresis: the smallest partial pull the tests admit (``partial_min``) coming back half way returns
    0.175 of the median, under ``partial_h`` (a bent-over row's failed last pull, 0.54x the median, came back
    0.14 where the hysteresis was 0.15; 0 disables)."""
    odd_rest_partial: bool = True
    """A held pull dropped for its tilt (``odd_rest_rom``) before a rest is searched for a failed last pull at
    its start like one held when the set ends on a movement (``odd_partial_end``): letting the pulldown bar up
    after a failed last pull (0.37x the median, back 0.28x) tilted the forearm 148 deg, and the partial was lost."""
    partial_rom_tol_deg: float = 4.0
    """Slack on the partial pull's tilt against the full movement beside it: rows tilt the forearm only
    3-15 deg, where an exact comparison rejected real partials (demo seeds 13-30 summary 183 -> 185/200)."""
    odd_move: float = 2.0
    odd_dur: float = 2.0
    odd_slow_rom: float = 1.2
    odd_rom: float = 2.0
    odd_rom_min_deg: float = 8.0
    odd_rom_acc: bool = False
    """In a set, a pull out of the set's rhythm that turns the forearm further than its reps is held back, with
    the half-swings after it, until the next pull shows that the set goes on: slower (movement time over
    ``odd_move`` x or duration over ``odd_dur`` x the median of the set's pulls) with a forearm tilt
    (``Swing.rom_deg``) over ``odd_slow_rom`` x their median, or a tilt over ``odd_rom`` x the median and
    ``odd_rom_min_deg`` more (gyro signal only unless ``odd_rom_acc``). When the set ends on a movement
    instead (walking off, a big or violent half-swing) the held pull is no rep; after a rest or at the end of
    the stream it counts. A lowering out of the rhythm of the set's lowerings (same tests) is held with the
    pull after it, until the next pull. Putting the weight down after bent-over rows (and standing up) goes the way of the
    pull, slower and tilting the forearm 10-25 deg where the rows tilt it 5-10 deg; a slow last rep that
    tilts the forearm less than the others (grinding, failing at the top) still counts (0 disables each
    test)."""
    odd_release_amp: float = 0.7
    """The pull that shows the set goes on after a pull (or lowering) held out of rhythm must move ``q`` at least
    this fraction of the set's median amplitude; a smaller one is held with them (it counts with them after a
    rest or when a full pull follows). Standing up and shaking out after putting a bent-over row's weight down
    (0.58x the rows' amplitude, 1.45x their movement time, in their tilt) released the held put-down and
    counted 2 more rows (demo seeds 31-50 summary 203 -> 204 of 217; every other figure unchanged; 0.6-0.8x
    give the same; 0 disables)."""
    odd_low_release: bool = True
    """When the set ends on a movement the lowering's way (big, very slow, violent: putting the weight down)
    while a lowering out of rhythm is held with the pull in rhythm after it (and nothing else is held), the
    held half-swings count: the put-down is the movement that ends the set, so the odd lowering before the
    last pull was no put-down and that pull was a rep (a bent-over row's last lowering tilting 12.8 deg where
    the set's lowerings tilt 2-7 deg held its last row, dropped when the dumbbell went down). Demo seeds 13-30
    summary 193 -> 195 of 200, quicksim (100) exact 72 -> 73 %; real, demo 1-6, 7-12 and 31-50 unchanged."""
    odd_axis_share: float = 0.65
    """A pull whose rotation is largely about other axes than the set's is out of rhythm too (held like
    ``odd_move``, gyro signal only, 0 disables): its axis share (``RepEngine._axis_share``: how much of the
    wrist's rotation during the movement ``q`` measures) under this fraction of the median of the set's
    pulls. A rep, full or partial, turns the forearm about the set's own axis; putting a bent-over row's
    weight down and standing up move ``q`` like a row while the wrist wobbles about the other two axes, and
    were counted as one more row (the set then ends on walking off, so the held put-down is dropped; a rest
    after it still counts it). A piece split off as a partial rep is held to the same test (a put-down
    split into a "failed last row" and the rest). Demo seeds 13-70, every rep of every exercise: share at
    least 0.80x the set's median; the put-downs counted as rows 0.53-0.59x (seeds 20, 29, 50, 58, 59, 68; 0.73-0.93x
    still counted: 51, 58, 60, 70). Real pulls go down to 0.56x (assisted pull-ups, slow lat pulldowns)."""
    odd_low_peak: float = 1.3
    odd_low_dur: float = 1.5
    """A lowering longer (duration over ``odd_low_dur`` x the set's lowerings, median) and faster (peak angular
    speed over ``odd_low_peak`` x theirs) is out of rhythm too (held like ``odd_move`` with the pull after it;
    gyro signal only, 0 disables): putting a bent-over row's weight down on the floor after the last row
    (hand 0.45 m lower than the rows' bottom, then standing up: a pull in the set's rhythm and axis, announced
    early and counted as one more row). Demo seeds 13-70: every lowering so long and fast (16) began at a
    bent-over row set's last top (or outside a true set)."""
    odd_small_amp: float = 0.7
    odd_small_rom: float = 1.3
    odd_small_peak: float = 0.6
    """A pull small in ``q`` (under ``odd_small_amp`` x the set's median amplitude) that tilts the forearm further
    (``Swing.rom_deg`` over ``odd_small_rom`` x the pulls' median) at a peak angular speed of at least
    ``odd_small_peak`` x theirs is out of rhythm too (held like ``odd_move``; gyro signal only, 0 disables):
    the wrist turns as fast as in a rep, mostly about another axis. Standing up after putting a bent-over
    row's weight down measured 0.64 x the amplitude, 1.44 x the tilt, 0.86 x the peak speed and was counted
    as one more row; a true last row small in ``q`` with as much extra tilt (0.61 x, 1.43 x) turned at
    0.47 x the peak speed (a tired, slow pull). Demo 13-30 summary 187 -> 188/200, demo 1-6 reps outside
    true sets 3 -> 2; real, quicksim and held-out totals unchanged (0.65-0.75 x, 1.2-1.4 x and 0.6-0.75 x
    give the same; 0.9 x misses the stand-up). At 0.7 x a stand-up at 0.68 x was counted once rep 1 was taken
    back by ``extend_low_fraction`` (its peak speed raised the set's median): 0.6 x, alone changing no figure."""
    odd_rest_rom: float = 3.0
    """A pull held out of rhythm that turns the forearm over this many times as far as the set's reps (median,
    gyro signal only) is no rep even when a rest or the end of the stream follows: letting the lat-pulldown bar
    up after the last rep (2.5x the reps in ``q``, 3.8-4.5x their tilt, just under ``big_fraction``) was held
    and counted at the rest. Demo 13-30 summary 180 -> 182/200 (seeds 21, 29); real, quicksim 50, demo 1-6 and
    held-out demo unchanged; quicksim 100 71 -> 70 %: a simulated lat pulldown that missed an earlier rep had
    the same release counted in its place (2.5-3x give the same; 0 disables)."""
    short_swings: int = 3
    short_rest_s: float = 4.0
    short_ratio: float = 1.4
    short_min_deg: float = 15.0
    short_peak_ratio: float = 1.6
    """A run too short to start a set (a heavy or failing set of 2-4 reps, a partial rep breaking the rhythm) is
    accepted as a set at its end, with its reps announced late: when a rest follows the last ``short_swings``
    half-swings (no half-swing ending for ``rest_periods`` of their cycle, at least ``short_rest_s`` s) or a
    half-swing over ``big_fraction`` of their median amplitude or very slow (``slow_factor``, as in a set:
    letting go of the bar), those half-swings (pull, return, pull) are rhythmic like a starting run and
    their same-direction pair are twins (forearm tilt, movement time, peak angular speed within
    ``short_ratio`` x, each tilting at least ``short_min_deg`` deg); earlier compatible half-swings are then
    taken back as for any start. The set must have two reps, not be walking (the starting run's step test)
    and be recognised as a back exercise over its reps (``posture``: also when the exercise is given; without
    it, demo workouts analysed as seated rows, seeds 1-6 and 13-30, gained 12 false 2-3 rep sets in the rests,
    with it none). Demo seeds 13-30 summary 178 -> 179 of
    200 (a 4-rep pull-up set with a partial rep: 0 -> 4), no extra set or rep outside true sets; simulated sets
    of 2-4 reps (50) exact 48 -> 56 %, within one 56 -> 66 % (2 reps: 6 -> 25 %); real data (back and
    non-back), quicksim and demo seeds 1-6 / 7-12 unchanged. At 1.8 x a kaggle cable row's set-up became a
    2-rep set, at 8 deg a demo bent-over row gained a 3-rep set (1.6 x: as 1.4 x). A 4 s rest instead of
    ``rest_periods`` cycles cut slow lat pulldowns' starting runs (pauses of 4 s between turning points) and
    lost their rep 1 (0 disables)."""
    """``short_peak_ratio`` (0: ``short_ratio``) holds the twins' peak angular speed instead: the least steady of
    the three measures, a tired last pull turns slower. Adjacent pulls of sets counted exactly differ in peak
    speed by over 1.4x in 15 % of real pairs (17 % of last pairs), over 1.6x in 8 % (10 %); simulated 3 % / 1 %.
    A 4-rep pull-up set with a partial rep (1.48x) was not found (demo seeds 31-50 202 -> 203 of 217, with the
    two changes to taking back below); real data (every set), quicksim, demo 1-6, 7-12 and 13-30 unchanged
    (1.5-1.8 give the same figures).
    Taking half-swings back into a short set's run (pull, return, pull: one lowering) holds a lowering's
    movement time to the run's lowering (the run's median is a pull's: a slow lowering 2.5x its pull was
    refused) and compares tilts with all of the run's half-swings (a lowering undoes its pull's tilt; the one
    lowering alone is a noisy measure: the partial rep's lowering, 0.56x it, 0.63x the run, was refused)."""
    short_split: bool = True
    """When the last ``short_swings`` half-swings fail the short-set test because the first, a pull, moves over
    ``start_move_ratio`` x as long as the last (a partial rep, its lowering and the next full pull in one
    half-swing: a 5-rep pull-up set was not found), it is split as in a set (``partial_h``) and the test tried
    again with its full pull (pieces: partial pull ``partial_min`` to 1 x the median amplitude of the other two,
    its lowering at least half of it). Demo seeds 31-50 203 -> 204 of 217 (named 214 -> 215); real data (every
    set), quicksim (50, 100), simulated sets of 2-5 reps, demo 1-6, 7-12 and 13-30 unchanged (False disables)."""
    short_skip_amp: float = 0.5
    """When the last ``short_swings`` half-swings fail that test and the last one is a pull (the run's
    direction) under ``short_skip_amp`` of their median amplitude (a failed last pull breaks the twins: a 3-rep
    pull-up set ending in a partial rep was not found), the half-swings before it are tried; the small pull
    then joins the set, counted as a partial rep when shaped like one (the tests of ``_partial_pull``; the
    set's noise test would drop it). A small lowering is not skipped (a kaggle cable row's set-up became a
    3-rep set). Demo seed 224982 pull-up set 4: 0 -> 3 of 3 (1 partial); demo seeds 1-6, 7-12, 13-30, 31-50,
    real data and quicksim (50) unchanged, quicksim SEEDS=4 exact 70 -> 71 % (0 disables)."""
    hang_min_deg: float = 12.0
    hang_exercises: tuple[str, ...] = ("pullup", "chinup")
    """A starting run of a hanging pull (given or recognised as one of ``hang_exercises``) whose half-swings
    tilt the forearm less than ``hang_min_deg`` deg (median, gyro signal only) does not start a set: pulling the
    body up bends the elbow and tilts the forearm 15-25 deg per half-swing (real assisted pull-ups' starting
    runs 15.5 deg and up, simulated 19.5, demo 20.4; 10-14 deg give the same figures), while adjusting the grip
    and the knee pad of an assisted pull-up machine before the set moved `q` 0.4-0.5x as far as the reps but
    tilted the forearm only 4-10 deg (median 7.2), and started a 6-rep set before the 5 real reps. Real exact
    48.0 -> 49.0 %, within one 84.7 -> 85.7 % (a kaggle assisted pull-up 11 -> 5 of 5); demo seeds 13-30 summary
    192 -> 193 of 200 (a bent-over row's set-up, recognised as a pull-up over its start: 10 -> 9 of 9);
    quicksim, demo 1-6 unchanged. Rows tilt the forearm only 3-15 deg per rep and are not concerned."""
    hang_rom_ratio: float = 1.6
    """A starting run of a hanging pull (as ``hang_min_deg``, gyro signal only) does not start a set yet when two of
    its half-swings in the same direction differ in forearm tilt by over this factor (the larger at least
    ``hang_min_deg``): the run waits for the next half-swing, and the one it drops is judged by the tests of
    taking back. Every half-swing of a pull-up bends the elbow and tilts the forearm about as far; a simulated
    pull-up's set-up ended with a pull-like jerk (24-42 deg) and then 3 s of hanging still while `q` drifted
    back (0.6x-1.1x the reps' amplitude, 6-8 deg of tilt against the lowerings' 22-28), which passed as the
    lowering of rep 1 and started the set one rep early (demo seeds 13-30 summary 196 -> 197 of 200; with the
    exercise given, demo pull-up sets of seeds 13-50 2 more exact; real data, quicksim 50 and 100, demo 1-6,
    7-12 and 31-50 unchanged; on the real pull-ups it never fires, even at 1.6; 0 disables). Not for rows:
    real fast rows measure tilts of 0.6-6 deg beside 20-26 deg in regular reps (the arm's own acceleration
    swamps the gravity estimate): the same test on every exercise lost reps on 2 real row sets (real exact
    49.0 -> 48.0 %), and holding the run's first half-swing to the tilt tests of taking back on 7. At 2.5 a
    pull-up's drop into the hang (34.5 deg, 1.3x the pulls) and the 3 s of hanging after it (12.5 deg of tilt,
    2.0x under the lowerings' 25) still made rep 1: at 1.6 demo seeds 51-70 summary 205 -> 206 of 225
    (and that set named right), everything else unchanged (real, quicksim 50/100, demo 1-6, 7-12 totals,
    13-30, 31-50, latency); 2.0 gives the same figures; at 1.3 demo 31-50 loses a set (212 -> 211) while
    real data gains one (49.0 -> 50.0 %)."""
    hang_rom_other: bool = True
    """``hang_rom_ratio`` also holds a starting run recognised as ``other`` (gyro signal only): the recognition
    at the start sees the set-up taken back (reaching up to the bar, 150-180 deg of tilt) and says ``other``
    for a pull-up, so its set-up's last jerk and the hang after it (1.5-3 deg of tilt against the reps'
    24-26) started the set one rep early. Demo seeds 51-70 summary 203 -> 205 of 225 (two pull-up sets
    9 -> 8 of 8, and two phantom sets gone), held-out 7-12 reps outside true sets 2 -> 0; real data (exercise
    given), quicksim 50/100, demo 1-6, 13-30, 31-50 and latency unchanged. The tilt floor ``hang_min_deg``
    stays for pull-ups and chin-ups only (a row recognised as ``other`` tilts 3-15 deg). Only after the arm went
    overhead (a half-swing before the run tilting ``reproject_reach_deg`` or more): on every run named ``other``
    it cost real sets in ``auto`` (SPAR seated row 19 -> 17 of 20; real auto exact 49.0 -> 46.9 %, recognised
    91.8 -> 90.8 %), with the condition those are back and demo 51-70 keeps 214 of 225 (one phantom set back)."""
    hang_take_trim: bool = True
    """When ``hang_rom_ratio`` holds (pull-up, chin-up or ``other``, gyro signal), the half-swings taken back before
    the starting run are cut after the last one tilting the forearm under 1/``hang_rom_ratio`` of the starting
    run's median in its direction (that median at least ``hang_min_deg``) whose neighbours tilt normally, and the
    pull direction is found again on what is left: hanging after the drop into the hang (16.7 deg against
    28), or the tail of a set-up movement (4.2 deg against 26), passed the tests of taking back (their
    amplitude in ``q`` was ordinary) and made rep 1, or set the pull direction the wrong way (a pull-up whose
    tops were counted at the ends of the lowerings). A partial rep is small in both halves and is kept.
    Demo seeds 51-70 summary 206 -> 208 of 225, held-out 7-12 totals 92.4 -> 93.9 % (summary 61 -> 62 of 66),
    quicksim 100 sets 73 -> 75 % (50 sets 80 -> 78 %: a chin-up whose set-up drift was rep 1 with the
    direction reversed, 6 of 6 by two errors, now has the right direction and loses the rep hidden in a
    data gap, 5 of 6); real data, demo 1-6, 13-30, 31-50 and latency unchanged. Without the neighbour
    condition two demo pull-up sets with a partial rep lost the reps before it."""
    tail_axis: bool = True
    """A set-up half-swing's last movement after a plateau (its tail, see ``extend_tail_tilt_max`` and
    ``walk_setup_tail``) that does not fit the starting run in the motion signal is measured again on the run's
    own rotation axis (gyro only) and taken back when it fits there: a bent-over row's set-up (picking the
    weight up, standing, hinging) ends in the still start pose, and rep 1 out of it was projected on the
    set-up's axis (0.1-0.2 of the run's amplitude in ``q``; False disables)."""
    still_axis: float = 0.15
    still_axis_s: float = 0.8
    """With ``tail_axis``: a half-swing before a starting run that fits neither in ``q`` nor by its tail, right
    after a still stretch (a half-swing under ``still_axis`` of the run's median amplitude lasting at least
    ``still_axis_s`` s: the still start pose), is measured again on the run's axis as a whole and taken back
    when it fits there: a bent-over row's rep 1 out of the hinged pose moved ``q`` 0.11 against the reps' 0.52
    (demo seed 57 8 -> 9 of 9; every other figure unchanged). Without the still stretch a real lat pulldown
    went 9 -> 19 of 10 (0 disables)."""
    early_retreat: float = 0.08
    early_max: float = 1.5
    """A pull is announced before its turning point is confirmed only while its travel is at most this many
    times the set's median pull: a larger one may be the release (letting the bar up and bringing the
    hands to the knees after a pulldown goes the way of the pull, pausing at the knees) and is judged
    when confirmed (over ``big_fraction``: the set ends, no rep)."""


@dataclass
class _OpenRep:
    rep: Rep
    conc: Swing
    ecc: Swing | None = None


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
    reps_move: list[float] = field(default_factory=list)  # recent pull durations, s
    periods: list[float] = field(default_factory=list)
    last_extreme_t: float = 0.0
    rest_s: float = 10.0  # rest that ends the set, s (updated with each rep)
    h: float = 0.0  # turning-point hysteresis in the set (updated with each rep)
    tail: list[Swing] = field(default_factory=list)  # the last half-swings above the wobble threshold
    peaks: dict[int, list[float]] = field(default_factory=lambda: {1: [], -1: []})  # recent peak speeds, deg/s
    pending: Swing | None = None  # a pull at walking cadence held back until the next half-swing (see _held)
    pending_out: tuple[int, int] | None = None  # (k0, rep index) of the held pull once announced (``pending_ok``)
    odd: list[Swing] = field(default_factory=list)  # a pull out of rhythm and the half-swings after it (_odd)
    reps_dur: list[float] = field(default_factory=list)  # recent pull half-swing durations, s
    reps_rom: list[float] = field(default_factory=list)  # recent pull forearm tilts, deg
    reps_share: list[float] = field(default_factory=list)  # recent pulls' axis shares (``odd_axis_share``)
    lows: list[tuple[float, float, float]] = field(default_factory=list)  # recent lowerings: move s, duration s, tilt deg


ODD_MAX = 8
"""Most half-swings held after a pull out of rhythm (``SetRules.odd_move``): more show that the set goes on."""


def _alike(values: Sequence[float], ratio: float) -> bool:
    """Twins: all values positive and the largest at most ``ratio`` times the smallest (tilts in deg, times in
    s, angular speeds in deg/s)."""
    return min(values) > 0 and max(values) <= ratio * min(values)


def _cycle_s(run: list[Swing]) -> float:
    """Mean cycle (two half-swings) of a run of consecutive half-swings, s."""
    return (run[-1].t1 - run[0].t0) / (len(run) / 2)


Classifier = Callable[[float, float], tuple[str, float]]
"""(start, end) signal times -> (exercise, confidence)."""

FinalSwing = Callable[[Swing, Swing | None], Swing | None]
"""Given a pull (and the oversized swing that followed it, if any), measure its lowering."""


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
                if s.amp > r.big_fraction * med or s.duration_s > max(r.slow_factor * _cycle_s(last) / 2, 8.0):
                    events = self._try_short(t)
                    if self.active is not None:
                        return events + self._in_set(s, t, gap_s)
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
        return events + (self._end(t) if self.active is not None else [])

    # -- idle: look for a rhythmic run ----------------------------------------------------------------
    def _consistent(self, run: list[Swing]) -> bool:
        r = self.rules
        amps = [s.amp for s in run]
        if min(amps) < r.min_amp_g or max(amps) > r.start_amp_ratio * min(amps):
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
        if not self._consistent(run):
            return False
        for d in (1, -1):
            same = [s for s in run if s.direction == d]
            if len(same) < 2:
                continue
            for v in ([s.rom_deg for s in same], [s.move_s for s in same]):
                if not _alike(v, r.short_ratio):
                    return False
            if not _alike([s.peak_speed_dps for s in same], r.short_peak_ratio or r.short_ratio):
                return False
            if min(s.rom_deg for s in same) < r.short_min_deg:
                return False
        return True

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
        n = self.rules.short_swings if short else self.rules.start_swings
        if len(self.recent) < n:
            return []
        run = list(self.recent)[-n:]
        if run[0].k0 < self._walk_k:
            return []
        if not (self._short_ok(run) if short else self._consistent(run)):
            # a partial rep inside the starting run (a small pull and its lowering) breaks every window of 4:
            # the run with that pair in the middle, the others rhythmic around it
            r = self.rules
            if short or r.start_partial <= 0 or len(self.recent) < n + 2:
                return []
            cand = list(self.recent)[-(n + 2):]
            core = cand[:2] + cand[4:]
            m = _median([x.amp for x in core])
            mv = {d: _median([y.move_s for y in core if y.direction == d]) for d in (1, -1)
                  if any(y.direction == d for y in core)}
            if cand[0].k0 < self._walk_k or not self._consistent(core) or not all(
                    r.partial_min * m <= x.amp <= r.start_partial * m and r.min_swing_s <= x.duration_s <= r.max_swing_s
                    and x.direction in mv and x.move_s <= r.start_partial_move * mv[x.direction] for x in cand[2:4]):
                return []
            run, n = cand, n + 2
        # a fast rhythm (arm swing while walking is ~1 s per cycle) must last longer to be a set
        period = _cycle_s(run)
        if period < self.rules.fast_period_s:
            m = self.rules.fast_start_swings
            if len(self.recent) < m or not self._consistent(list(self.recent)[-m:]):
                return []
            run = list(self.recent)[-m:]
        if self.rules.step_ratio > 0 and self.step_ratio is not None:
            cycle = _cycle_s(run)
            limit = self.rules.step_ratio
            if self.rules.step_ratio_fast > 0 and cycle < self.rules.step_cycle_s:
                limit = self.rules.step_ratio_fast
            if self.step_ratio(run[0].k0, run[-1].k1, cycle) > limit:
                if self.rules.walk_exclude and cycle < self.rules.step_cycle_s:
                    self._walk_k = run[-1].k1
                return []
            if self.rules.walk_pair and cycle >= self.rules.step_cycle_s:
                # a run straddling the end of a short walk: one cycle at walking cadence, one slower
                for i in range(0, len(run) - 1, 2):
                    c = run[i].duration_s + run[i + 1].duration_s
                    if c < self.rules.step_cycle_s and self._steps(run[i].k0, run[i + 1].k1, c):
                        if self.rules.walk_exclude:
                            self._walk_k = run[i + 1].k1
                        return []
        if self.rules.walk_holdoff_s > 0 and self.step_ratio is not None:
            rr = list(self.recent)[-(n + 6):]
            lim = run[0].t0 - self.rules.walk_holdoff_s
            for a, b in zip(rr, rr[1:]):
                c = b.t1 - a.t0
                if lim <= b.t1 and b.k1 <= run[1].k1 and c < self.rules.step_cycle_s and self._steps(a.k0, b.k1, c):
                    return []
        if self.rules.start_busy_ratio > 0 and len(self.recent) > len(run):
            # the run starts where a long unbroken movement of about its size ends (arm swing while walking, merged
            # by the idle hysteresis into one half-swing, running into the set-up): the lifter was not yet set
            prev = self.recent[-len(run) - 1]
            if prev.k1 == run[0].k0 and prev.amp <= self.rules.big_fraction * _median([x.amp for x in run]) and \
                    prev.move_s > self.rules.start_busy_ratio * _median([x.move_s for x in run]) and \
                    prev.rom_deg <= _median([x.rom_deg for x in run]):
                return []
        start_run = run
        before = list(self.recent)[:-n]
        med = _median([s.amp for s in run])
        med_d = _median([s.move_s for s in run])
        # a short set's run of 3 (pull, return, pull) has the pulls' movement time as its median: hold a
        # lowering taken back to the run's lowering instead (lifters lower slowly, 2-3x as long as they pull)
        med_dir = {d: _median([s.move_s for s in run if s.direction == d]) for d in (1, -1)
                   if short and any(s.direction == d for s in run)}
        def run_tilt(prev: Swing, run: list[Swing]) -> float:
            """Median forearm tilt of the run's half-swings in ``prev``'s direction, deg (0 when none); in a short
            set's run (one lowering between two pulls) of all of them: a lowering undoes its pull's tilt, and
            one lowering alone is a noisy measure of the set's range."""
            tilts = [s.rom_deg for s in run if short or s.direction == prev.direction]
            return _median(tilts) if tilts else 0.0

        def fits(prev: Swing, run: list[Swing], tail: bool = False) -> bool:
            """An earlier half-swing belongs to the starting set (amplitude and movement time like those of
            ``run``, the set's half-swings so far; amplitude against the starting run's median)."""
            r = self.rules
            size_ok = r.extend_fraction * med <= prev.amp <= r.extend_max * med
            if not size_ok and r.extend_rom_fraction > 0 and self.gyro_signal() and prev.amp <= r.extend_max * med:
                mt = run_tilt(prev, run)
                size_ok = mt >= r.extend_rom_min_deg and \
                    r.extend_rom_fraction * mt <= prev.rom_deg <= mt / r.extend_rom_fraction
            if not size_ok and r.extend_twin_ratio > 0 and self.gyro_signal() and prev.amp <= r.extend_max * med:
                same = [s for s in run if s.direction == prev.direction]
                if same:
                    mt = _median([s.rom_deg for s in same])
                    mm = _median([s.move_s for s in same])
                    mp = _median([s.peak_speed_dps for s in same])
                    pairs = ((mt, prev.rom_deg), (mm, prev.move_s), (mp, prev.peak_speed_dps))
                    size_ok = mt >= r.extend_twin_min_deg and all(_alike(p, r.extend_twin_ratio) for p in pairs)
                    if not size_ok and r.extend_low_fraction > 0 and mt < r.extend_twin_min_deg \
                            and prev.amp >= r.extend_low_fraction * med:
                        size_ok = all(_alike(p, r.extend_low_ratio) for p in pairs[1:])
            if not (size_ok and prev.move_s <= r.extend_max * max(med_d, med_dir.get(prev.direction, 0.0))
                    and prev.duration_s >= r.min_swing_s):
                return False
            if r.extend_tilt_max > 0 and self.gyro_signal() and not tail:  # grabbing the bar: turns further
                mt = run_tilt(prev, run)
                if mt >= r.extend_twin_min_deg and prev.rom_deg > r.extend_tilt_max * mt \
                        and prev.amp >= r.extend_tilt_amp * med:
                    return False
                if mt >= r.extend_twin_min_deg and prev.rom_deg < r.extend_tilt_min * mt \
                        and prev.amp >= r.extend_tilt_min_amp * med:
                    return False
                if r.extend_quick_move > 0 and mt >= r.extend_twin_min_deg and prev.rom_deg > r.extend_tilt_max * mt \
                        and prev.move_s < r.extend_quick_move * _median(
                            [s.move_s for s in run if s.direction == prev.direction]):
                    return False  # a quick set-up jerk, small in q
            if r.extend_tail_tilt_max > 0 and self.gyro_signal() and tail:  # the end of reaching up to the bar
                mt = run_tilt(prev, run)
                if mt >= r.extend_twin_min_deg and prev.rom_deg > r.extend_tail_tilt_max * mt:
                    return False
            if r.extend_peak_ratio > 0:  # the set-up's last jerk (grabbing the bar, the hang): much faster
                pks = [s.peak_speed_dps for s in run if s.direction == prev.direction]
                if pks and prev.peak_speed_dps > r.extend_peak_ratio * _median(pks):
                    return False
            if self.rules.start_move_ratio > 0:  # set-up jerks / slow grip changes: not the set's movement
                same = [s.move_s for s in run if s.direction == prev.direction]
                md = _median(same) if same else prev.move_s
                if not (md <= self.rules.start_move_ratio * prev.move_s
                        and prev.move_s <= self.rules.start_move_ratio * md):
                    return False
            return True

        def walking(prev: Swing, pp: Swing) -> bool:
            """``pp`` then ``prev`` are one arm-swing cycle at walking cadence with two step impacts (a short
            walk to the station, too short for the starting-run test, ending just before the set-up)."""
            cycle = prev.t1 - pp.t0
            return self.rules.walk_exclude and cycle < self.rules.step_cycle_s and self._steps(pp.k0, prev.k1, cycle)

        def axis_tail(tail: Swing | None, run: list[Swing]) -> Swing | None:
            """A set-up half-swing's last movement after a plateau that does not fit ``run`` in the motion signal,
            measured again on the run's own rotation axis when it fits there (else None)."""
            if tail is None or not r.tail_axis or self.axis_swing is None or not self.gyro_signal():
                return None
            x = self.axis_swing(run, tail)
            return x if x is not None and fits(x, run, True) else None

        def take_back(run: list[Swing], before: list[Swing], tail_swing=self.tail_swing) -> list[Swing]:
            """``run`` with the half-swings just before it that fit taken back in (``tail_swing``: on the
            signal the half-swings were found in)."""
            before = list(before)
            while before and before[-1].k0 >= self._walk_k:
                prev = before[-1]  # (a swing out of a long rest starts at a stale extreme: compare movement time)
                if len(before) >= 2 and walking(prev, before[-2]):
                    break
                if not fits(prev, run):
                    # the first pull may have followed the set-up movement in the same direction after a pause
                    # (sitting down, then pulling): no turning point separates them; take its last movement
                    tail = tail_swing(prev) if tail_swing is not None else None
                    if tail is not None and fits(tail, run, True):
                        run = [tail] + run
                    elif tail_swing is self.tail_swing and (x := axis_tail(tail, run)) is not None:
                        run = [x] + run
                    elif tail_swing is self.tail_swing and tail is None and r.still_axis > 0 and len(before) >= 2 \
                            and before[-2].amp < r.still_axis * med and before[-2].duration_s >= r.still_axis_s \
                            and (x := axis_tail(prev, run)) is not None:
                        run = [x] + run  # the whole half-swing out of a still pose
                    break
                run = [before.pop()] + run
            return run

        r = self.rules
        if r.resplit_n > 0 and self.resplit is not None:
            # half-swings found with an idle hysteresis larger than the set's (two big set-up movements in
            # the window) may hide the first rep: split the last few with the set's hysteresis
            h = r.resplit_fraction * med
            parts: list[Swing] = []
            def hidden(s: Swing) -> bool:
                return s.amp < r.big_fraction * med and \
                    self._swing_h.get(s.k1, 0.0) > r.resplit_h_ratio * r.hysteresis_fraction * med
            for s in before[-r.resplit_n:]:
                parts += self.resplit(s, h) if hidden(s) else [s]
            before = before[:-r.resplit_n] + parts
            if hidden(run[0]):  # the run's own first half-swing may hide it too
                pieces = self.resplit(run[0], h)
                before += pieces[:-1]
                run = [pieces[-1]] + run[1:]
        taken = take_back(run, before)
        window_k = min(run[0].k0, taken[0].k0) - round(r.reproject_s / DT_S)
        # a set-up movement: big in q, or (q on the set-up's own axis may not show it) in forearm tilt
        mt_run = _median([s.rom_deg for s in run]) if r.extend_rom_fraction > 0 else 0.0
        setup = [s for s in before if s.k1 > window_k and (s.amp >= r.big_fraction * med or (
            (mt_run >= r.extend_rom_min_deg or (r.reproject_reach_deg > 0 and s.rom_deg >= r.reproject_reach_deg
                                                 and mt_run >= r.extend_twin_min_deg))
            and s.rom_deg >= r.big_fraction * mt_run))]
        d0 = self._direction(taken)
        no_rep = not any(s.direction == d0 for s in taken[:len(taken) - len(run)])
        if setup and self.reproject is not None and r.reproject_s > 0:
            # right after a big set-up movement (sitting down, reaching up) its rotation axis may have hidden
            # the first reps in q: look again on the run's own axis, from the set-up's end. Also when reps were
            # taken back: taking back stops at the first rep distorted on the set-up's axis (a lowering 0.36x
            # the median in q), and the reps before it are lost; up to ``reproject_max`` more half-swings.
            # A set-up movement ending where the run starts (sitting down and the first pull one movement on
            # its axis) leaves too little after its end (the re-derivation needs 10 samples before the run):
            # look from its start, without measuring tails (its own tail is no rep)
            adj = run[0].k0 - setup[-1].k1 < 10
            again = self.reproject(run, max(self._walk_k, setup[-1].k0 if adj else setup[-1].k1)) \
                if adj or not r.reproject_lead else self.reproject(run, max(self._walk_k, setup[-1].k1), self._direction(run))
            m = len(run)
            if len(again) > m and self._consistent(again[-m:]):
                keep = (m if no_rep else len(taken)) + r.reproject_max
                alt = take_back(again[-m:], again[:-m], None if adj else self.reproject_tail)[-keep:]
                if len(alt) > len(taken) and self._direction(alt) == self._direction(run):  # adds reps, never turns the set
                    taken = alt
        if r.walk_setup and len(taken) > 1:
            # the first movement after a walk is the set-up (picking the weight up, bending over), no rep
            seq = before + run
            i = next((j for j, x in enumerate(seq) if x.k0 == taken[0].k0), -1)
            if r.walk_setup_pull > 0 and i >= 0:
                # the walk's last arm swing may itself have been taken back, and the set-up (bending to the
                # floor, standing up with the weight, hinging) is several half-swings: drop every taken
                # half-swing up to the first pull after the walk and the return after it
                def walked(j: int) -> bool:  # seq[j] ends a walk: two arm-swing cycles with step impacts
                    return j >= 2 and walking(seq[j], seq[j - 1]) and walking(seq[j - 1], seq[j - 2])
                n = 0
                while n < len(taken) - 1 and i + n < len(seq) and seq[i + n].k0 == taken[n].k0 and walked(i + n):
                    n += 1
                t_walk = taken[n - 1].t1 if n > 0 else taken[0].t0 if taken[0].k0 == self._walk_k else next(
                    (seq[i - a].t1 for a in range(1, r.walk_setup_pull + 1) if walked(i - a)), None)
                if t_walk is not None:
                    d = self._direction(taken)
                    k = next((j for j in range(n, len(taken)) if taken[j].direction == d), len(taken))
                    big = k < len(taken) and any(
                        x.t1 > t_walk and x.t0 < taken[k].t0 and (x.amp >= r.big_fraction * med or (
                            mt_run >= r.extend_rom_min_deg and x.rom_deg >= r.big_fraction * mt_run)) for x in seq)
                    tail = None
                    if k < len(taken) and taken[k].t0 - t_walk <= r.walk_setup_s and not big:
                        if r.walk_setup_tail > 0 and self.tail_swing is not None:
                            tail = self.tail_swing(taken[k], max_frac=r.walk_setup_tail)
                            if tail is not None and tail.move_start - t_walk > r.walk_setup_s \
                                    and not fits(tail, run, True):
                                tail = axis_tail(tail, run)
                            if tail is not None and (tail.move_start - t_walk <= r.walk_setup_s
                                                     or not fits(tail, run, True)):
                                tail = None
                        if tail is not None:  # the set-up's last movement is rep 1: keep it and its return
                            k -= 1
                        else:
                            while k + 1 < len(taken) and taken[k + 1].direction != d:  # and the set-up's return
                                k += 1
                    else:  # a pull long after the walk: the set-up was one half-swing before it
                        k = n if n > 0 or taken[0].k0 == self._walk_k or (
                            i >= 2 and walking(seq[i - 1], seq[i - 2])) else n - 1
                    if k + 1 >= len(taken) - 1:  # nothing left but set-up: not a set yet
                        return []
                    taken = taken[k + 1:]
                    if tail is not None:
                        taken = [tail] + taken[1:]
                elif i >= 2 and walking(seq[i - 1], seq[i - 2]):  # one walking cycle: as below
                    taken = taken[1:]
            elif i >= 0 and (taken[0].k0 == self._walk_k or (i >= 2 and walking(seq[i - 1], seq[i - 2]))):
                taken = taken[1:]
        run, conc_dir = self._from_first_pull(taken)
        # (a short set is found after its end: the movement that ended it is not the exercise's)
        exercise, conf = self.classify(run[0].move_start, run[-1].t1 if short and run else t)
        if short and (sum(1 for s in run if s.direction == conc_dir) < 2 or exercise == "other" or (
                self.posture is not None and self.posture(run[0].move_start, run[-1].t1) == "other")):
            return []
        if exercise in self.rules.hang_exercises and self.gyro_signal() and \
                _median([s.rom_deg for s in start_run]) < self.rules.hang_min_deg:
            return []
        # a set named ``other`` at its start is held like a hanging pull after the arm went overhead (a reach up
        # to the bar, tilting the forearm ``reproject_reach_deg`` or more, just before the run)
        reached = exercise == "other" and self.rules.hang_rom_other and self.rules.reproject_reach_deg > 0 and \
            any(s.rom_deg >= self.rules.reproject_reach_deg for s in before)
        if (exercise in self.rules.hang_exercises or reached) and self.rules.hang_rom_ratio > 0 and self.gyro_signal():
            # the set-up's last pull-like jerk, then hanging still while q drifts back: not yet the set's rhythm
            for d in (1, -1):
                rom = [s.rom_deg for s in start_run if s.direction == d]
                if len(rom) >= 2 and max(rom) >= self.rules.hang_min_deg and \
                        max(rom) > self.rules.hang_rom_ratio * max(min(rom), 1e-3):
                    return []
            if self.rules.hang_take_trim:
                ref = {d: _median([s.rom_deg for s in start_run if s.direction == d]) for d in (1, -1)
                       if any(s.direction == d for s in start_run)}
                def low(s: Swing) -> bool:
                    m = ref.get(s.direction, 0.0)
                    return m >= self.rules.hang_min_deg and m > self.rules.hang_rom_ratio * max(s.rom_deg, 1e-3)
                cut = -1
                for j, s in enumerate(run):
                    if s.k1 > start_run[0].k0 or j + 1 >= len(run):
                        break
                    # a partial rep is small in both halves; the hang after the set-up in one
                    if low(s) and not low(run[j + 1]) and (j == 0 or not low(run[j - 1])):
                        cut = j
                if cut >= 0:
                    run, conc_dir = self._from_first_pull(run[cut + 1:])
        self.set_count += 1
        a = _ActiveSet(self.set_count, conc_dir, exercise, conf)
        self.active = a
        self.recent.clear()
        events: list[EngineEvent] = [SetStarted(t=t, set_index=a.index, start=run[0].move_start, exercise=exercise)]
        # before the set has periods of its own, the run's rhythm: twice its median half-swing
        run_period = 2.0 * _median([s.duration_s for s in run]) if self.rules.partial_start_run else 0.0
        for s in run:
            # a partial rep before the set was certain hides in a half-swing of the starting run too
            parts = self._partial(s, self._med_amp()) if self.rules.partial_start and (a.periods or run_period) and \
                s.duration_s > self.rules.partial_period * (self._med_period() if a.periods else run_period) else []
            events += self._accept_parts(parts, s, t) if parts else self._accept(s, t)
        return events

    def _from_first_pull(self, run: list[Swing]) -> tuple[list[Swing], int]:
        """``run`` from its first half-swing in the pull direction (:meth:`_direction`) on, and that direction."""
        conc_dir = self._direction(run)
        while run and run[0].direction != conc_dir:
            run = run[1:]
        return run, conc_dir

    def _direction(self, run: list[Swing]) -> int:
        """Direction of the pull: with ``direction_rule="fast"`` the clearly faster direction (mean movement
        times differing by more than ``fast_asymmetry`` of their mean: lifters lower under control),
        otherwise the first movement out of the start pose."""
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
        return run[0].direction

    # -- in a set -------------------------------------------------------------------------------------
    def _in_set(self, s: Swing, t: float, gap_s: float = 0.0) -> list[EngineEvent]:
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
        events: list[EngineEvent] = []
        violent = self._violent(s, med)
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
            if not self._shake(p, med):  # a held shake is no rep
                events += self._admit(p, t, evidence=False)
        elif s.direction == a.conc_dir and not self._shake(s, med) and (self._held(s) or (
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
                    and all(o.direction != a.conc_dir for o in a.odd[:-1]) and not self._odd(a.odd[-1]):
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
        if r.partial_h <= 0 or self.resplit is None or not self.gyro_signal() or not a.reps or not a.reps_move:
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
            full_ok, full_rom = pull.amp <= med, _median(a.reps_rom[-8:])
        elif rom_pulls:
            full_rom = max(full_rom, pull.amp / med * _median(a.reps_rom[-8:]))
        if not (full_ok and self._partial_shape(pull, med, full_rom) and back.amp >= back_min * pull.amp
                and min(back.duration_s, full.duration_s) >= r.min_swing_s):
            return []
        # the full pull after a partial is the next rep: as long as the set's pulls, tilting no further
        if not lowering and not ending and (full.move_s < r.partial_full_move * _median(a.reps_move[-8:])
                                            or full.amp < r.partial_full_amp * med or (
                r.partial_full_rom > 0 and full.rom_deg > r.partial_full_rom * _median(a.reps_rom[-8:]))):
            return []
        return pieces[:2] if lowering or ending else pieces

    def _partial_shape(self, pull: Swing, med: float, rom_deg: float) -> bool:
        """Pull ``pull`` is shaped like a partial rep: at least ``partial_min`` x ``med`` (g), as long as a
        half-swing may be, moving ``partial_move`` to ``start_move_ratio`` x as long as the set's pulls, tilting
        the forearm at most ``rom_deg`` + ``partial_rom_tol_deg`` (deg) and not faster than
        ``partial_move_speed`` x the pulls' peak angular speed."""
        a = self.active
        assert a is not None
        r = self.rules
        mv = _median(a.reps_move[-8:])
        return pull.amp >= r.partial_min * med and pull.duration_s >= r.min_swing_s \
            and r.partial_move * mv <= pull.move_s <= r.start_move_ratio * mv \
            and pull.rom_deg <= rom_deg + r.partial_rom_tol_deg \
            and pull.peak_speed_dps <= r.partial_move_speed * _median(a.peaks[a.conc_dir][-8:] or [0.0]) \
            and not self._off_axis(pull)

    def _off_axis(self, s: Swing) -> bool:
        """Pull ``s`` turns the wrist mostly about other axes than the set's pulls (``SetRules.odd_axis_share``)."""
        a = self.active
        assert a is not None
        r = self.rules
        return r.odd_axis_share > 0 and self.axis_share is not None and self.gyro_signal() and \
            len(a.reps_share) >= 3 and self.axis_share(s) < r.odd_axis_share * _median(a.reps_share[-8:])

    def _partial_pull(self, s: Swing, med: float) -> bool:
        """Pull ``s`` on its own is shaped like a partial rep (the tests of :meth:`_partial`, its tilt held to
        the set's pulls)."""
        a = self.active
        assert a is not None
        r = self.rules
        if r.partial_h <= 0 or not self.gyro_signal() or not a.reps_move or s.direction != a.conc_dir:
            return False
        return s.amp <= med and self._partial_shape(s, med, _median(a.reps_rom[-8:]))

    def _odd(self, s: Swing) -> bool:
        """A pull out of the set's rhythm that turns the forearm further than its reps (see ``SetRules.odd_move``)."""
        a = self.active
        assert a is not None
        r = self.rules
        if s.direction == a.conc_dir:
            if len(a.reps_move) < 3:
                return False
            mv, dur, rom = (_median(v[-8:]) for v in (a.reps_move, a.reps_dur, a.reps_rom))
        else:
            if len(a.lows) < 3:
                return False
            mv, dur, rom = (float(x) for x in np.median(np.array(a.lows[-8:]), axis=0))
        if r.odd_rom > 0 and (self.gyro_signal() or r.odd_rom_acc) and \
                s.rom_deg > r.odd_rom * rom and s.rom_deg > rom + r.odd_rom_min_deg:
            return True
        if r.odd_small_amp > 0 and s.direction == a.conc_dir and self.gyro_signal() and \
                s.amp < r.odd_small_amp * self._med_amp() and s.rom_deg > r.odd_small_rom * rom and \
                s.peak_speed_dps > r.odd_small_peak * _median(a.peaks[a.conc_dir][-8:] or [0.0]):
            return True
        if s.direction == a.conc_dir and self._off_axis(s):
            return True
        if r.odd_low_peak > 0 and s.direction != a.conc_dir and self.gyro_signal() and \
                s.duration_s > r.odd_low_dur * dur and len(a.peaks[s.direction]) >= 3 and \
                s.peak_speed_dps > r.odd_low_peak * _median(a.peaks[s.direction][-8:]):
            return True
        slow = (r.odd_move > 0 and s.move_s > r.odd_move * mv) or (r.odd_dur > 0 and s.duration_s > r.odd_dur * dur)
        return slow and s.rom_deg > r.odd_slow_rom * rom

    def _admit(self, s: Swing, t: float, evidence: bool = True) -> list[EngineEvent]:
        """Accept a half-swing in a set. A pull out of rhythm is held back (with the half-swings after it) until
        the next pull: that one shows the set goes on and the held pull counts (see ``SetRules.odd_move``); a pull
        held as a possible arm swing while walking (``evidence`` False) shows nothing and is held with it."""
        a = self.active
        assert a is not None
        events: list[EngineEvent] = []
        odd = self._odd(s)
        if (s.direction == a.conc_dir and evidence and not odd and self._pull_held()
                and (not a.odd or s.amp >= self.rules.odd_release_amp * self._med_amp())) or len(a.odd) >= ODD_MAX:
            events += self._release(t)
        # (a pull announced early whose confirmed half-swing is out of rhythm, e.g. the last row merged with
        # putting the weight down, is held too: dropped, its rep keeps the timing it was announced with)
        if a.odd or odd:
            a.odd.append(s)
            a.last_extreme_t = s.t1
            return events
        return events + self._accept(s, t)

    def _odd_walk(self, s: Swing) -> bool:
        """Pull ``s``, while half-swings out of rhythm are held, makes an arm-swing cycle at walking cadence with
        step impacts with the held half-swing before it (see ``SetRules.odd_walk``)."""
        a = self.active
        if not self.rules.odd_walk or a is None or not a.odd or s.direction != a.conc_dir:
            return False
        q = a.odd[-1]
        cycle = s.t1 - q.t0
        return self._walk_cadence(cycle) and self._steps(q.k0, s.k1, cycle)

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
        return r.slow_move > 0 and s.direction == a.conc_dir and len(a.reps_move) >= 3 and self.gyro_signal() \
            and s.move_s > r.slow_move * _median(a.reps_move[-8:]) \
            and s.duration_s > r.slow_move * _median(a.reps_dur[-8:]) \
            and s.rom_deg < r.slow_move_rom * _median(a.reps_rom[-8:])

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
            (s.move_s < self.rules.held_move_ratio * _median(a.reps_move[-8:]) or (
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
                a.reps_move[-1] = s.move_s
                a.reps_dur[-1] = s.duration_s
                a.reps_rom[-1] = s.rom_deg
                if a.reps_share and self.axis_share is not None:
                    a.reps_share[-1] = self.axis_share(s)
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
            a.reps_move.append(s.move_s)
            del a.reps_move[:-16]
            a.reps_dur.append(s.duration_s)
            del a.reps_dur[:-16]
            a.reps_rom.append(s.rom_deg)
            del a.reps_rom[:-16]
            if self.axis_share is not None:
                a.reps_share.append(self.axis_share(s))
                del a.reps_share[:-16]
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
                or (a.odd and s.amp < self.rules.odd_release_amp * med):
            return []
        if stopped and not (s.amp <= self.rules.stop_max_amp * med and a.reps_move
                            and s.move_s <= self.rules.stop_max_move * _median(a.reps_move[-8:])):
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
        if self._shake(p, med) or self._odd(p):
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

    def _end(self, t: float, check_trailing: bool = True) -> list[EngineEvent]:
        a = self.active
        assert a is not None
        events: list[EngineEvent] = []
        dropped: list[Swing] = []
        if check_trailing and self.rules.odd_rest_rom > 0 and self.gyro_signal() and len(a.reps_rom) >= 3:
            rom = _median(a.reps_rom[-8:])
            if any(o.direction == a.conc_dir and o.rom_deg > self.rules.odd_rest_rom * rom for o in a.odd):
                # a held pull turning the forearm several times as far as the reps is no rep
                dropped, a.odd = (a.odd if self.rules.odd_rest_partial else []), []
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
        trailing = self.trailing() if check_trailing else None
        r = self.rules
        if trailing is not None and trailing.direction == a.conc_dir and (not a.reps or a.reps[-1].ecc is not None) \
                and a.reps_move:
            if trailing.amp >= 0.6 * self._med_amp() and \
                    trailing.move_s <= 2.0 * _median(a.reps_move[-8:]):
                events += self._accept(trailing, t)
            elif r.partial_trailing and self._partial_pull(trailing, self._med_amp()):
                # a failed last pull (short of 0.6 of the reps) lowered again before the rest
                ecc = self.final_swing(trailing, None)
                if ecc is not None:
                    events += self._accept(trailing, t) + self._accept(ecc, t)
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
        while a.reps:
            o = a.reps[0]
            if o.ecc is None:
                o.ecc = self.final_swing(o.conc, None)
            events += self._complete(o, None, t)
        exercise, conf = self.classify(a.done[0].start, a.done[-1].end) if a.done else (a.exercise, a.exercise_confidence)
        summary = summarize(a.index, exercise, conf, a.done, a.done_amps)
        events.append(SetEnded(t=t, summary=summary))
        self.active = None
        self.recent.clear()
        return events
