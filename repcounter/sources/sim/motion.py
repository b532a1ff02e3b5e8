"""Continuous-time motion of the right wrist: segments (hold, move, reps) plus smooth perturbations.

A :class:`Timeline` maps any time (s) to a wrist position (m) and forearm frame. Segments meet with zero
velocity and acceleration, and perturbations (sway, walking, shaking, irregular set-up motion) are smooth and
tapered, so the IMU signals derived by finite differences have no artificial spikes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from repcounter.sources.sim.kinematics import SetGeometry, pose
from repcounter.sources.sim.rotations import exp_map, log_map

Pose = tuple[np.ndarray, np.ndarray]
"""Wrist position (3,) m and forearm frame (3, 3)."""


def min_jerk(tau: np.ndarray) -> np.ndarray:
    """Minimum-jerk progress 0..1 for normalised time ``tau`` (clipped to 0..1)."""
    x = np.clip(tau, 0.0, 1.0)
    return x**3 * (10.0 - 15.0 * x + 6.0 * x**2)


def taper(t: np.ndarray, t0: float, t1: float, ramp: float) -> np.ndarray:
    """Smooth window: 0 outside [t0, t1], 1 inside except minimum-jerk ramps of ``ramp`` s at both ends."""
    ramp = max(min(ramp, (t1 - t0) / 2.0), 1e-6)
    return min_jerk((t - t0) / ramp) * min_jerk((t1 - t) / ramp)


class Segment:
    """A stretch of base motion on [t0, t1]; evaluated with t clamped into it."""

    t0: float
    t1: float

    def eval(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def end_pose(self) -> Pose:
        p, r = self.eval(np.array([self.t1]))
        return p[0], r[0]

    def start_pose(self) -> Pose:
        p, r = self.eval(np.array([self.t0]))
        return p[0], r[0]


@dataclass
class Hold(Segment):
    """Stay in one pose."""

    t0: float
    t1: float
    pose: Pose

    def eval(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n = len(t)
        return np.tile(self.pose[0], (n, 1)), np.tile(self.pose[1], (n, 1, 1))


AMBIGUOUS_TURN_RAD: float = np.deg2rad(150.0)
"""A turn of the forearm larger than this has two paths of about the same length (the short way and the
other way round the same axis)."""


def _through_front(frame: np.ndarray, rel: np.ndarray) -> np.ndarray:
    """Rotation vector (in the forearm frame ``frame``) of a turn by ``rel``, the way round that keeps the
    forearm in front of the body. Near 180 deg (raising the arm from hanging to overhead: reaching up to
    the pulldown or pull-up bar, letting go of it) the shortest rotation flips between the path through
    the front and the path behind the back with a few degrees of pose variation; a right forearm pointing
    back and to the left at shoulder height is anatomically impossible (4 of 42 pulldown set-ups of the
    demo workouts, seeds 1-12, went that way)."""
    angle = float(np.linalg.norm(rel))
    if angle <= AMBIGUOUS_TURN_RAD:
        return rel
    other = rel * (1.0 - 2.0 * np.pi / angle)
    fwd = [float((frame @ exp_map(0.5 * r))[0, 0]) for r in (rel, other)]  # x of the forearm direction mid-way
    return other if fwd[1] > fwd[0] else rel


@dataclass
class Move(Segment):
    """Minimum-jerk moves through waypoints (position and orientation), stopping at each."""

    times: list[float]
    poses: list[Pose]

    def __post_init__(self) -> None:
        self.t0 = self.times[0]
        self.t1 = self.times[-1]
        self._rel = [_through_front(a[1], log_map(a[1].T @ b[1])) for a, b in zip(self.poses[:-1], self.poses[1:])]

    def eval(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        t = np.clip(t, self.t0, self.t1)
        k = np.clip(np.searchsorted(self.times, t, side="right") - 1, 0, len(self.poses) - 2)
        p = np.empty((len(t), 3))
        r = np.empty((len(t), 3, 3))
        for i in np.unique(k):
            m = k == i
            a, b = self.poses[i], self.poses[i + 1]
            s = min_jerk((t[m] - self.times[i]) / (self.times[i + 1] - self.times[i]))
            p[m] = a[0] + (b[0] - a[0]) * s[:, None]
            r[m] = a[1] @ exp_map(s[:, None] * self._rel[i])
        return p, r


@dataclass
class RepSchedule:
    """Phase boundaries of the reps of one set (s) and their amplitudes (progress ``e`` at the top)."""

    start: np.ndarray
    concentric_end: np.ndarray
    top_end: np.ndarray
    eccentric_end: np.ndarray
    end: np.ndarray
    amplitude: np.ndarray
    sticking: np.ndarray | None = None  # 0..0.6: how much the pull slows in mid-range (fatigue)

    def progress(self, t: np.ndarray) -> np.ndarray:
        """Rep progress ``e(t)``: 0 at the bottom, the rep's amplitude at the top."""
        e = np.zeros(len(t))
        k = np.searchsorted(self.start, t, side="right") - 1
        ok = (k >= 0) & (t < self.end[np.clip(k, 0, None)])
        k = np.clip(k, 0, None)
        a = self.amplitude[k]
        c0, c1, c2, c3 = self.start[k], self.concentric_end[k], self.top_end[k], self.eccentric_end[k]
        tau = np.clip((t - c0) / np.maximum(c1 - c0, 1e-9), 0.0, 1.0)
        if self.sticking is not None:  # time warp: slower through the middle of the pull, same end points
            tau = tau + self.sticking[k] * np.sin(2 * np.pi * tau) / (2 * np.pi)
        up = min_jerk(tau)
        down = 1.0 - min_jerk((t - c2) / np.maximum(c3 - c2, 1e-9))
        val = np.where(t < c1, up, np.where(t < c2, 1.0, np.where(t < c3, down, 0.0))) * a
        e[ok] = val[ok]
        return e


@dataclass
class Reps(Segment):
    """An exercise set: the forearm follows the exercise kinematics along the rep schedule."""

    t0: float
    t1: float
    geometry: SetGeometry
    schedule: RepSchedule

    def eval(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        t = np.clip(t, self.t0, self.t1)
        sway = None
        if self.geometry.exercise in ("pullup", "chinup"):  # the hanging body swings like a pendulum
            sway = np.deg2rad(1.5) * np.sin(2 * np.pi * 0.45 * (t - self.t0)) * taper(t, self.t0, self.t1, 1.5)
        return pose(self.geometry, self.schedule.progress(t), sway)


class Perturbation:
    """Smooth additive motion on top of the base segments: position offset (m), world rotation (rad)."""

    t0: float
    t1: float

    def eval(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError


@dataclass
class Wobble(Perturbation):
    """Sum of random sinusoids in position and orientation, tapered: sway, tremor, irregular motion."""

    t0: float
    t1: float
    pos_amp: float  # m, per component
    rot_amp: float  # rad, per component
    freqs: np.ndarray  # (k,) Hz
    pos_phase: np.ndarray  # (k, 3)
    rot_phase: np.ndarray  # (k, 3)
    weights: np.ndarray  # (k,)
    ramp: float = 0.5

    @staticmethod
    def random(rng: np.random.Generator, t0: float, t1: float, pos_amp: float, rot_amp: float,
               f_lo: float, f_hi: float, k: int = 5, ramp: float = 0.5, slope: float = 0.0) -> "Wobble":
        """``slope``: component amplitudes fall as (f_lo / f) ** slope (1: about equal angular speed per
        component, as in voluntary movement; 0: equal angle, tremor-like at the high end)."""
        freqs = np.exp(rng.uniform(np.log(f_lo), np.log(f_hi), k))
        w = rng.uniform(0.3, 1.0, k) * (f_lo / freqs) ** slope
        w /= np.sqrt(np.sum(w**2) / 2.0)  # unit RMS per component
        return Wobble(t0, t1, pos_amp, rot_amp, freqs, rng.uniform(0, 2 * np.pi, (k, 3)),
                      rng.uniform(0, 2 * np.pi, (k, 3)), w, ramp)

    def eval(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        win = taper(t, self.t0, self.t1, self.ramp)[:, None]
        arg = 2 * np.pi * self.freqs[None, :, None] * t[:, None, None]
        wts = self.weights[None, :, None]
        dp = np.sum(wts * np.sin(arg + self.pos_phase[None]), axis=1) * self.pos_amp * win
        dr = np.sum(wts * np.sin(arg + self.rot_phase[None]), axis=1) * self.rot_amp * win
        return dp, dr


@dataclass
class Walk(Perturbation):
    """Walking with the arm hanging: vertical bob with heel-strike impacts at the step rate, arm swing."""

    t0: float
    t1: float
    step_hz: float = 1.8
    bob_m: float = 0.02
    impact_m: float = 0.006
    swing_rad: float = 0.25
    arm_m: float = 0.6  # shoulder to wrist, m
    phase: float = 0.0

    def eval(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        win = taper(t, self.t0, self.t1, 0.8)
        dp = np.zeros((len(t), 3))
        dr = np.zeros((len(t), 3))
        w = 2 * np.pi * self.step_hz
        dp[:, 2] = self.bob_m * np.cos(w * (t - self.t0) + self.phase) * win
        # heel strikes: narrow dips in height (peak deceleration about impact_m / 0.045^2 m/s^2)
        first = self.t0 + ((np.pi - self.phase) / w) % (2 * np.pi / w)
        strikes = np.arange(first, self.t1, 1.0 / self.step_hz)
        if len(strikes) and len(t):
            near = np.abs(t[:, None] - strikes[None, :]) < 0.25
            g = np.exp(-0.5 * ((t[:, None] - strikes[None, :]) / 0.045) ** 2) * near
            dp[:, 2] -= self.impact_m * g.sum(axis=1) * win
        swing = self.swing_rad * np.sin(w / 2.0 * (t - self.t0) + self.phase / 2.0) * win
        dp[:, 0] += self.arm_m * np.sin(swing)
        dp[:, 2] += self.arm_m * (1.0 - np.cos(swing))
        dr[:, 1] = -swing  # positive swing brings the hand forward: rotation about -y
        return dp, dr


@dataclass
class Shake(Perturbation):
    """Shaking the arms out after a set: fast side-to-side and twisting oscillation."""

    t0: float
    t1: float
    freq_hz: float = 4.5
    pos_m: float = 0.02
    rot_rad: float = 0.25

    def eval(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        win = taper(t, self.t0, self.t1, 0.3)
        s = np.sin(2 * np.pi * self.freq_hz * (t - self.t0))
        c = np.sin(2 * np.pi * self.freq_hz * (t - self.t0) + 0.7)
        dp = np.stack([0.3 * s, s, 0.2 * c], -1) * self.pos_m * win[:, None]
        dr = np.stack([c, 0.3 * s, 0.2 * s], -1) * self.rot_rad * win[:, None]
        return dp, dr


@dataclass
class Impact(Perturbation):
    """A short jolt (landing from the bar, putting a weight down): a quick dip of ``depth_m``."""

    t0: float
    t1: float
    at: float = 0.0
    depth_m: float = 0.015
    width_s: float = 0.035
    direction: tuple[float, float, float] = (0.0, 0.0, -1.0)

    def eval(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        g = np.exp(-0.5 * ((t - self.at) / self.width_s) ** 2) * self.depth_m
        return g[:, None] * np.asarray(self.direction)[None, :], np.zeros((len(t), 3))


@dataclass
class Bump(Perturbation):
    """A brief excursion and back (re-gripping the bar, shifting the hand): offset ``dp`` m and rotation
    ``rotvec`` rad at the middle, smooth (C2) at both ends."""

    t0: float
    t1: float
    dp: np.ndarray
    rotvec: np.ndarray

    def eval(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        tau = np.clip((t - self.t0) / (self.t1 - self.t0), 0.0, 1.0)
        shape = (64.0 * tau**3 * (1.0 - tau) ** 3)[:, None]
        return shape * np.asarray(self.dp)[None, :], shape * np.asarray(self.rotvec)[None, :]


@dataclass
class Timeline:
    """Segments in time order plus perturbations; evaluates the right-wrist pose at any time."""

    segments: list[Segment] = field(default_factory=list)
    perturbations: list[Perturbation] = field(default_factory=list)

    @property
    def end(self) -> float:
        return self.segments[-1].t1 if self.segments else 0.0

    def add(self, segment: Segment) -> Segment:
        self.segments.append(segment)
        return segment

    def last_pose(self) -> Pose:
        return self.segments[-1].end_pose()

    def eval(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Wrist position (n, 3) m and forearm frame (n, 3, 3) at times ``t`` (n,) s."""
        t = np.asarray(t, dtype=float)
        starts = np.array([s.t0 for s in self.segments])
        k = np.clip(np.searchsorted(starts, t, side="right") - 1, 0, len(self.segments) - 1)
        p = np.empty((len(t), 3))
        r = np.empty((len(t), 3, 3))
        for i in np.unique(k):
            m = k == i
            p[m], r[m] = self.segments[i].eval(t[m])
        for pert in self.perturbations:
            m = (t > pert.t0) & (t < pert.t1)
            if not np.any(m):
                continue
            dp, dr = pert.eval(t[m])
            p[m] += dp
            r[m] = exp_map(dr) @ r[m]
        return p, r
