"""Session simulator: realistic wrist-IMU recordings of back workouts with exact ground truth.

Pure generation (numpy, a seeded ``np.random.Generator``, no I/O). The physics: per exercise, the wrist
position and forearm orientation follow the kinematics of :mod:`repcounter.sources.sim.kinematics` along
minimum-jerk rep phases; set-up, walk-away and rest add irregular motion; :mod:`repcounter.sources.sim.sensor`
derives accelerometer (g) and gyroscope (deg/s) samples with a random mounting, wrist, sign convention,
noise, bias, rate, jitter and dropped packets. See docs/simulator.md.

Main entry points: :func:`simulate_session`, :func:`simulate_set`, :func:`back_workout_plan`,
:class:`SimulatorSource`.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, AsyncIterator

import numpy as np

from repcounter.sources.base import SampleBatch, SensorStatus, SourceItem
from repcounter.sources.replay import ArraySource
from repcounter.sources.sim.kinematics import (
    EXERCISE_NAMES, FIDGET_POSES, Body, SetGeometry, canonical_exercise, fidget_pose, hanging_pose, pose,
)
from repcounter.sources.sim.motion import (
    Bump, Hold, Impact, Move, RepSchedule, Reps, Shake, Timeline, Walk, Wobble,
)
from repcounter.sources.sim.plan import SetPlan, Tempo, back_workout_plan, format_tempo, parse_tempo
from repcounter.sources.sim.rotations import exp_map
from repcounter.sources.sim.sensor import SensorModel, drop_packets, sample_imu

__all__ = [
    "EXERCISE_NAMES", "SetPlan", "SimulatedSession", "SimulatorSource", "back_workout_plan",
    "canonical_exercise", "format_tempo", "parse_tempo", "simulate_session", "simulate_set", "truth_path",
]

MIN_RATE_HZ = 5.0
MAX_RATE_HZ = 1000.0


@dataclass
class SimulatedSession:
    """A generated recording and its exact ground truth.

    Attributes:
        samples: (n, 7) ``t, ax, ay, az, gx, gy, gz`` (s, g, deg/s; NaN gyro with ``acc_only``).
        truth: JSON-ready dict; see docs/simulator.md. Times in s on the samples' ``t`` axis.
    """

    samples: np.ndarray
    truth: dict[str, Any]

    @property
    def total_reps(self) -> int:
        return sum(len(s["reps"]) for s in self.truth["sets"])

    def truth_json(self) -> str:
        return json.dumps(self.truth, indent=1)


def truth_path(recording_path: str | Path) -> Path:
    """Where ``repcounter simulate -o FILE`` writes the truth: ``FILE.truth.json`` (FILE kept whole)."""
    p = Path(recording_path)
    return p.with_name(p.name + ".truth.json")


def _jit(rng: np.random.Generator, sd: float = 0.05, limit: float = 0.10) -> float:
    """A multiplicative variation around 1 (normal, clipped to +-limit)."""
    return float(np.clip(1.0 + rng.normal(0.0, sd), 1.0 - limit, 1.0 + limit))


def _rep_schedule(plan: SetPlan, t_first: float, rng: np.random.Generator) -> RepSchedule:
    ecc, bottom, conc, top = plan.tempo
    n = plan.reps
    cols: dict[str, list[float]] = {k: [] for k in ("start", "c1", "c2", "c3", "end", "amp", "stick")}
    t = t_first
    for j in range(n):
        frac = j / (n - 1) if n > 1 else 0.0
        partial = (j + 1) in plan.partial_reps
        c = conc * (1.0 + plan.fatigue * frac**1.5) * _jit(rng)
        if partial:
            amp = float(rng.uniform(0.4, 0.6))
            c *= 0.8
        else:
            amp = _jit(rng, 0.04, 0.08) * (1.0 - 0.05 * plan.fatigue * frac)
        p_top = top * _jit(rng) if top > 0 else float(rng.uniform(0.0, 0.12))
        e = ecc * _jit(rng)
        p_bot = bottom * _jit(rng) if bottom > 0 else float(rng.uniform(0.0, 0.12))
        cols["start"].append(t)
        cols["c1"].append(t + c)
        cols["c2"].append(t + c + p_top)
        cols["c3"].append(t + c + p_top + e)
        t = t + c + p_top + e + p_bot
        cols["end"].append(t)
        cols["amp"].append(amp)
        cols["stick"].append(min(0.6, 0.8 * plan.fatigue * frac**2))  # grinding through the sticking point
    a = {k: np.array(v) for k, v in cols.items()}
    return RepSchedule(a["start"], a["c1"], a["c2"], a["c3"], a["end"], a["amp"], a["stick"])


def _perturb_pose(p: tuple[np.ndarray, np.ndarray], rng: np.random.Generator, pos_m: float, rot_rad: float,
                  ) -> tuple[np.ndarray, np.ndarray]:
    """The pose moved by random offsets (normal, ``pos_m`` m and ``rot_rad`` rad per axis)."""
    return p[0] + rng.normal(0.0, pos_m, 3), exp_map(rng.normal(0.0, rot_rad, 3)) @ p[1]


LOADED_WOBBLE: float = 0.3
"""Size of the irregular set-up motion while a free weight hangs from the hand, relative to the free hand's."""


class _Builder:
    """Lays out the whole session on a :class:`Timeline` (right arm, world frame of the lifter)."""

    def __init__(self, rng: np.random.Generator, body: Body, fidgets: bool) -> None:
        self.rng = rng
        self.body = body
        self.fidgets = fidgets
        self.tl = Timeline()
        self.hang = hanging_pose(body)
        self.tl.add(Hold(0.0, 0.0, self.hang))

    @property
    def now(self) -> float:
        return self.tl.end

    def hold(self, seconds: float, pose_: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        """Stay still for ``seconds`` in ``pose_`` (default: where the last segment ended)."""
        pose_ = pose_ if pose_ is not None else self.tl.last_pose()
        self.tl.add(Hold(self.now, self.now + seconds, pose_))

    def move(self, durations: list[float], poses: list[tuple[np.ndarray, np.ndarray]], wobble: float = 0.0) -> None:
        """Move through ``poses`` (one duration in s each); ``wobble`` adds irregular motion (1 = set-up)."""
        times = [self.now]
        for d in durations:
            times.append(times[-1] + d)
        start = self.tl.last_pose()
        self.tl.add(Move(times, [start] + poses))
        if wobble > 0 and times[-1] - times[0] > 1.0:
            self.tl.perturbations.append(Wobble.random(self.rng, times[0], times[-1], 0.03 * wobble, 0.15 * wobble,
                                                       0.3, 2.0, k=6, ramp=0.5, slope=0.5))

    def _loaded(self, t_switch: float, after: bool) -> None:
        """The last move's set-up wobble is a free hand's only on one side of ``t_switch`` (s): with ``after``
        the hand grabs a free weight (dumbbell, barbell) then, else it puts the weight down then. While the
        weight hangs from the arm its inertia keeps it from wobbling at 1-2 Hz by several deg and cm: the free
        wobble fades out (in) within its ramp of the switch, and the same wobble at ``LOADED_WOBBLE`` of the size
        runs while the weight is held (no extra random draws)."""
        w = self.tl.perturbations[-1]
        if not isinstance(w, Wobble) or not w.t0 < t_switch < w.t1:
            return
        free = replace(w, t1=min(t_switch + w.ramp, w.t1)) if after else replace(w, t0=max(t_switch - w.ramp, w.t0))
        held = replace(w, t0=t_switch) if after else replace(w, t1=t_switch)
        self.tl.perturbations[-1] = free
        self.tl.perturbations.append(replace(held, pos_amp=LOADED_WOBBLE * w.pos_amp, rot_amp=LOADED_WOBBLE * w.rot_amp))

    def walk(self, seconds: float) -> None:
        """Walk for ``seconds`` (arm hanging: steps and arm swing on top of the current pose)."""
        t0 = self.now
        self.hold(seconds)
        self.tl.perturbations.append(Walk(t0, t0 + seconds, step_hz=float(self.rng.uniform(1.6, 2.0)),
                                          bob_m=float(self.rng.uniform(0.015, 0.03)),
                                          impact_m=float(self.rng.uniform(0.003, 0.008)),
                                          swing_rad=float(self.rng.uniform(0.15, 0.35)),
                                          phase=float(self.rng.uniform(0, 2 * np.pi))))

    def idle(self, seconds: float) -> None:
        """Rest: stand, fidget (look at the watch, drink, hands on hips...), walk around a little."""
        end = self.now + seconds
        rng = self.rng
        while end - self.now > 0.05:
            left = end - self.now
            if not self.fidgets or left < 6.0 or rng.random() < 0.35:
                self.hold(min(left, float(rng.uniform(3.0, 12.0))) if left >= 6.0 else left)
                continue
            if rng.random() < 0.25:
                self.walk(min(left, float(rng.uniform(3.0, 8.0))))
                continue
            name = list(FIDGET_POSES)[int(rng.integers(0, len(FIDGET_POSES)))]
            target = _perturb_pose(fidget_pose(name), rng, 0.03, 0.12)
            there, back = float(rng.uniform(0.8, 1.5)), float(rng.uniform(0.8, 1.5))
            stay = min(float(rng.uniform(1.5, 8.0)), max(left - there - back, 0.2))
            self.move([there], [target], wobble=0.3)
            self.hold(stay)
            self.move([back], [self.hang], wobble=0.3)

    def set_up(self, exercise: str, start: tuple[np.ndarray, np.ndarray], seconds: float) -> None:
        """From standing to the exercise's start pose in ``seconds``: reach, sit, grab, adjust the grip."""
        rng = self.rng
        near = _perturb_pose(start, rng, 0.06, 0.25)
        if exercise == "lat_pulldown":  # stand, grab the bar overhead, sit down under the pads with it
            high = _perturb_pose((start[0] + np.array([0.0, 0.0, rng.uniform(0.3, 0.4)]), start[1]), rng, 0.03, 0.1)
            legs = np.array([0.45, 0.2, 0.35]) * seconds
            self.move([legs[0]], [high], wobble=1.0)
            self.hold(legs[1])
            self.tl.perturbations.append(Wobble.random(rng, self.now - legs[1], self.now, 0.01, 0.05, 0.5, 2.5))
            self.move([legs[2]], [start], wobble=0.3)
        elif exercise == "seated_row":  # sit down, reach forward for the handle, push back with the legs
            knee = _perturb_pose(fidget_pose("hands_on_knees"), rng, 0.03, 0.15)
            far = _perturb_pose((start[0] + np.array([rng.uniform(0.25, 0.35), 0.0, -0.05]), start[1]), rng, 0.02, 0.1)
            legs = np.array([0.35, 0.3, 0.35]) * seconds
            self.move([legs[0], legs[1]], [knee, far], wobble=1.0)
            self.move([legs[2]], [start], wobble=0.3)
        elif exercise == "bent_over_row":  # pick the weight up from the floor, stand, hinge forward
            floor = _perturb_pose((self.hang[0] + np.array([0.35, 0.0, -0.45]), self.hang[1]), rng, 0.03, 0.1)
            legs = np.array([0.3, 0.3, 0.4]) * seconds
            self.move([legs[0], legs[1], legs[2]], [floor, _perturb_pose(self.hang, rng, 0.02, 0.05), start],
                      wobble=0.7)
            self._loaded(self.now - legs[1] - legs[2], after=True)
        elif exercise in ("pullup", "chinup"):
            up = (start[0] + np.array([0.0, 0.0, -0.15]), start[1])
            legs = np.array([0.5, 0.3, 0.2]) * seconds
            self.move([legs[0], legs[1]], [near, up], wobble=1.0)
            t_hang = self.now + 0.25 * legs[2]
            self.move([legs[2]], [start])
            self.tl.perturbations.append(Impact(t_hang - 0.3, t_hang + 0.3, t_hang, 0.01, 0.04, (0.0, 0.0, -1.0)))
        else:
            legs = np.array([0.55, 0.45]) * seconds
            self.move(list(legs), [near, start], wobble=1.0)

    def walk_away(self, exercise: str, seconds: float) -> None:
        """Release the bar/handle, maybe shake the arms out, walk off; ends standing, arm hanging."""
        rng = self.rng
        release = 0.3 * seconds
        if exercise in ("pullup", "chinup"):
            t_land = self.now + 0.45 * release
            self.move([release], [self.hang], wobble=0.5)
            self.tl.perturbations.append(Impact(t_land - 0.3, t_land + 0.3, t_land, 0.03, 0.04, (0.0, 0.0, -1.0)))
        elif exercise == "bent_over_row":
            floor = _perturb_pose((self.hang[0] + np.array([0.35, 0.0, -0.45]), self.hang[1]), rng, 0.03, 0.1)
            self.move([0.5 * release, 0.5 * release], [floor, self.hang], wobble=0.5)
            self._loaded(self.now - 0.5 * release, after=False)
        elif exercise in ("lat_pulldown", "seated_row"):
            knee = _perturb_pose(fidget_pose("hands_on_knees"), rng, 0.03, 0.15)
            self.move([0.5 * release, 0.5 * release], [knee, self.hang], wobble=0.5)
        else:
            self.move([release], [self.hang], wobble=0.5)
        rest = seconds - release
        if rng.random() < 0.6:
            shake = 0.3 * rest
            t0 = self.now
            self.hold(shake, self.hang)
            self.tl.perturbations.append(Shake(t0, t0 + shake, float(rng.uniform(3.5, 5.5)),
                                               float(rng.uniform(0.01, 0.025)), float(rng.uniform(0.1, 0.25))))
            rest -= shake
        self.walk(rest)

    def exercise_set(self, plan: SetPlan, geom: SetGeometry, lead_s: float, regrip_prob: float = 0.0,
                     ) -> tuple[RepSchedule, list[list[float]]]:
        """Hold the start pose ``lead_s`` s, then the reps. In bottom pauses of 0.8 s or more the lifter
        re-grips with probability ``regrip_prob`` (a 0.4-0.6 s, 8-15 deg hand shift and back).
        Returns the rep schedule and the re-grip intervals [from, to] s."""
        rng = self.rng
        t0 = self.now
        sched = _rep_schedule(plan, t0 + lead_s, rng)
        t1 = float(sched.end[-1])
        self.tl.add(Reps(t0, t1, geom, sched))
        self.tl.perturbations.append(Wobble.random(rng, t0, t1, 0.004, 0.008, 0.2, 1.2, ramp=0.8))
        regrips: list[list[float]] = []
        for k in range(len(sched.start) - 1):
            pause = float(sched.end[k] - sched.eccentric_end[k])
            if pause >= 0.8 and rng.random() < regrip_prob:
                dur = min(float(rng.uniform(0.4, 0.6)), pause - 0.3)
                mid = float(sched.eccentric_end[k]) + pause / 2.0
                axis = rng.normal(size=3)
                rotvec = axis / np.linalg.norm(axis) * np.deg2rad(rng.uniform(8.0, 15.0))
                self.tl.perturbations.append(Bump(mid - dur / 2, mid + dur / 2, rng.normal(0, 0.01, 3), rotvec))
                regrips.append([round(mid - dur / 2, 4), round(mid + dur / 2, 4)])
        return sched, regrips


def simulate_session(plan: list[SetPlan], rate_hz: float = 50.0, seed: int = 0, wrist: str = "random",
                     acc_only: bool = False, jitter: bool = True, drops: bool = False, *,
                     gravity_sign: int | None = None, mounting: np.ndarray | None = None, noise: bool = True,
                     fidgets: bool = True, t0: float = 0.0, regrip_prob: float = 0.1) -> SimulatedSession:
    """Simulate a workout of one or more sets, with set-up, walk-away and rest between sets.

    Args:
        plan: the sets, in order (each set's ``rest_after_s`` separates it from the next one).
        rate_hz: sensor output rate, Hz (5-1000; 12.5-200 is typical).
        seed: random seed: same seed and arguments give the same samples and truth.
        wrist: ``left``, ``right`` or ``random``.
        acc_only: no gyroscope (NaN gyro columns).
        jitter: timestamp jitter (up to +-35 % of a sample period).
        drops: drop random BLE packets and a few longer outages (gaps in ``t``).
        gravity_sign: +1 / -1 convention (random if None).
        mounting: (3, 3) sensor-in-forearm rotation (random if None).
        noise: sensor noise, bias and scale errors (off gives an ideal IMU).
        fidgets: irregular rest motion (off: stand still between sets).
        t0: time of the first sample, s (recordings may start at any origin; the truth uses the same axis).
        regrip_prob: chance that the lifter re-grips in a bottom pause of 0.8 s or more (not a rep).
    """
    if not plan:
        raise ValueError("plan has no sets")
    if not (MIN_RATE_HZ <= float(rate_hz) <= MAX_RATE_HZ):
        raise ValueError(f"rate must be {MIN_RATE_HZ:g}-{MAX_RATE_HZ:g} Hz, got {rate_hz!r}")
    if wrist not in ("left", "right", "random"):
        raise ValueError(f"wrist must be left, right or random, got {wrist!r}")
    if gravity_sign not in (None, 1, -1):
        raise ValueError("gravity_sign must be +1, -1 or None")
    if not (np.isfinite(t0) and abs(t0) < 1e10):
        raise ValueError("t0 must be a finite time in s")
    if not 0.0 <= regrip_prob <= 1.0:
        raise ValueError("regrip_prob must be 0-1")
    root = np.random.default_rng(seed)
    rng_motion, rng_sensor, rng_noise = root.spawn(3)
    sensor = SensorModel.random(rng_sensor, rate_hz, wrist, acc_only, gravity_sign, mounting, noise)
    body = Body.random(rng_motion)
    b = _Builder(rng_motion, body, fidgets)
    rng = rng_motion

    geoms = [SetGeometry.random(p.exercise, body, rng) for p in plan]
    pre = [float(rng.uniform(3.5, 7.0)) for _ in plan]  # set-up motion, s
    walk_in = [float(rng.uniform(2.0, 5.0)) for _ in plan]
    lead = [float(rng.uniform(0.6, 2.0)) for _ in plan]  # still in the start pose before rep 1
    post = [float(rng.uniform(5.0, 9.0)) for _ in plan]  # release, shake, walk away

    b.idle(float(rng.uniform(3.0, 6.0)))
    sets_truth: list[dict[str, Any]] = []
    scale_in = 1.0
    for i, (p, geom) in enumerate(zip(plan, geoms)):
        setup_start = b.now
        b.walk(walk_in[i] * scale_in)
        wrist0, frame0 = pose(geom, np.zeros(1))
        b.set_up(p.exercise, (wrist0[0], frame0[0]), pre[i] * scale_in)
        sched, regrips = b.exercise_set(p, geom, lead[i] * scale_in, regrip_prob)
        set_end = float(sched.end[-1])
        # lay out the rest until the next set's first rep
        if i + 1 < len(plan):
            need = post[i] + walk_in[i + 1] + pre[i + 1] + lead[i + 1]
            budget = max(p.rest_after_s, 2.0)
            scale = max(0.3, min(1.0, 0.85 * budget / need))  # very short rests get lengthened
            b.walk_away(p.exercise, post[i] * scale)
            scale_in = scale
            idle = budget - need * scale
            b.idle(max(idle, 0.05))
        else:
            b.walk_away(p.exercise, post[i])
            b.idle(float(rng.uniform(2.0, 5.0)))
        sets_truth.append({
            "exercise": p.exercise,
            "start": round(float(sched.start[0]), 4),
            "end": round(set_end, 4),
            "load_kg": p.load_kg,
            "tempo": format_tempo(p.tempo),
            "fatigue": p.fatigue,
            "grip": geom.grip,
            "setup_start": round(setup_start, 4),
            "regrips": regrips,
            "reps": [
                {
                    "index": k + 1,
                    "start": round(float(sched.start[k]), 4),
                    "concentric_end": round(float(sched.concentric_end[k]), 4),
                    "top_end": round(float(sched.top_end[k]), 4),
                    "eccentric_end": round(float(sched.eccentric_end[k]), 4),
                    "end": round(float(sched.end[k]), 4),
                    "partial": (k + 1) in p.partial_reps,
                    "amplitude": round(float(sched.amplitude[k]), 3),
                }
                for k in range(p.reps)
            ],
        })
    for i, s in enumerate(sets_truth):  # walk-away ends where the next set-up starts (or the recording ends)
        s["walkaway_end"] = sets_truth[i + 1]["setup_start"] if i + 1 < len(sets_truth) else round(b.now, 4)
    # slow whole-session sway of the arm (posture, breathing)
    b.tl.perturbations.append(Wobble.random(rng, -1.0, b.now + 1.0, 0.002, 0.008, 0.08, 0.6, ramp=0.5))

    dt = 1.0 / float(rate_hz)
    t_true = np.arange(0.0, b.now, dt)
    samples = sample_imu(b.tl.eval, sensor, t_true, rng_noise, jitter)
    if t0:
        samples[:, 0] += float(t0)
        for st in sets_truth:
            for key in ("start", "end", "setup_start", "walkaway_end"):
                st[key] = round(st[key] + float(t0), 4)
            st["regrips"] = [[round(a + float(t0), 4), round(b_ + float(t0), 4)] for a, b_ in st["regrips"]]
            for rep in st["reps"]:
                for key in ("start", "concentric_end", "top_end", "eccentric_end", "end"):
                    rep[key] = round(rep[key] + float(t0), 4)
    gaps: list[list[float]] = []
    if drops:
        samples, gaps = drop_packets(samples, float(rate_hz), rng_noise)
    truth: dict[str, Any] = {
        "generator": "repcounter simulator",
        "seed": seed,
        "rate_hz": float(rate_hz),
        "wrist": sensor.wrist,
        "mounting": [[round(float(x), 6) for x in row] for row in sensor.mounting],
        "gravity_sign": sensor.gravity_sign,
        "acc_only": acc_only,
        "duration_s": round(float(b.now), 4),
        "gaps": gaps,
        "sensor": {"acc_noise_g": round(sensor.acc_noise_g, 4), "gyro_noise_dps": round(sensor.gyro_noise_dps, 3),
                   "acc_bias_g": [round(float(x), 4) for x in sensor.acc_bias_g],
                   "gyro_bias_dps": [round(float(x), 3) for x in sensor.gyro_bias_dps]},
        "sets": sets_truth,
    }
    return SimulatedSession(samples, truth)


def simulate_set(exercise: str, reps: int, tempo: Tempo = (2.0, 1.0, 1.0, 0.0), rate_hz: float = 50.0,
                 seed: int = 0, **kw: Any) -> SimulatedSession:
    """One set with set-up and walk-away motion around it.

    Keyword arguments go to :class:`SetPlan` (``fatigue``, ``partial_reps``, ``load_kg``) or to
    :func:`simulate_session` (``wrist``, ``acc_only``, ``jitter``, ``drops``, ``gravity_sign``, ...).
    """
    plan_keys = {"fatigue", "partial_reps", "load_kg", "rest_after_s"}
    plan_kw = {k: kw.pop(k) for k in list(kw) if k in plan_keys}
    return simulate_session([SetPlan(exercise, reps, tempo, **plan_kw)], rate_hz=rate_hz, seed=seed, **kw)


class SimulatorSource(ArraySource):
    """A live-like source streaming a simulated session (in real time, faster, or as fast as possible).

    Args:
        plan: the sets (default: :func:`back_workout_plan` with ``seed``).
        sensor_id: id the batches carry.
        speed: 1 = real time, 10 = ten times faster, 0 = as fast as possible.
        packet_s: signal per batch, s.
        rate_hz, seed, **kw: passed to :func:`simulate_session`.
        session: stream this pre-generated session instead.
    """

    def __init__(self, plan: list[SetPlan] | None = None, sensor_id: str = "sim-wrist", speed: float = 1.0,
                 packet_s: float = 0.05, rate_hz: float = 50.0, seed: int = 0,
                 session: SimulatedSession | None = None, **kw: Any) -> None:
        if session is None:
            session = simulate_session(plan if plan is not None else back_workout_plan(seed), rate_hz, seed, **kw)
        self.session = session
        self.truth = session.truth
        super().__init__(session.samples, sensor_id, speed, packet_s, description="simulated workout")

    async def stream(self) -> AsyncIterator[SourceItem]:
        wrist = self.truth.get("wrist", "")
        battery = 87
        last_t: float | None = None
        async for item in super().stream():
            if isinstance(item, SensorStatus):
                if item.state == "online":
                    item = SensorStatus(self.sensor_id, "online", f"Simulated sensor on your {wrist} wrist",
                                        item.at, battery_pct=battery)
                yield item
                continue
            assert isinstance(item, SampleBatch)
            first = float(item.samples[0, 0])
            if last_t is not None and first - last_t > 1.0:  # an outage in the simulated radio link
                yield SensorStatus(self.sensor_id, "dropout", f"Lost the sensor on your {wrist} wrist - reconnecting...",
                                   time.time(), battery_pct=battery)
                yield SensorStatus(self.sensor_id, "online", f"Sensor on your {wrist} wrist is back",
                                   time.time(), battery_pct=battery)
            last_t = float(item.samples[-1, 0])
            yield item
