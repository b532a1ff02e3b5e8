"""Forearm kinematics per exercise: wrist position (m) and forearm orientation from a progress value.

World frame of the lifter: x forward (the way the lifter faces), y to the lifter's left, z up; metres.
Everything is modelled for the RIGHT arm; :mod:`repcounter.sources.sim.sensor` mirrors it for the left wrist.

Forearm frame (columns of the orientation matrix): ``u`` along the forearm from elbow to wrist, ``v`` the
normal of the back of the wrist (where a watch sits), ``w = u x v``.

``e`` is the progress of a rep: 0 at the stretched start position (dead hang, arms up on the pulldown, arms
forward on the row, arm hanging on the bent-over row), 1 at a typical full contraction. Partial reps use
``e`` around 0.4-0.6, strong reps up to about 1.08.

Arms are two rigid links (shoulder-elbow, elbow-grip); for exercises where the hand or the shoulder is
guided (bar, handle) the elbow follows from two-link inverse kinematics with a preferred elbow direction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from repcounter.engine.events import exercise_key
from repcounter.sources.sim.rotations import frame_from

EXERCISE_NAMES: tuple[str, ...] = (
    "pullup", "chinup", "lat_pulldown", "seated_row", "bent_over_row", "curl", "press",
)
"""Exercises the simulator can generate (``curl`` and ``press`` are non-back negatives)."""

ALIASES: dict[str, str] = {
    "biceps_curl": "curl", "bicep_curl": "curl", "shoulder_press": "press", "overhead_press": "press",
}
"""Other spellings of the simulator's non-back exercises (back ones: ``engine.events.EXERCISE_ALIASES``)."""


def canonical_exercise(name: str) -> str:
    """Normalise an exercise name (``pull-up`` -> ``pullup``); raise ValueError if unknown."""
    key = exercise_key(name)
    key = ALIASES.get(key, key)
    if key not in EXERCISE_NAMES:
        raise ValueError(f"unknown exercise {name!r}; choose one of: {', '.join(EXERCISE_NAMES)}")
    return key


@dataclass(frozen=True)
class Body:
    """Arm dimensions of the simulated lifter, m."""

    upper_arm: float = 0.30
    forearm: float = 0.27
    hand: float = 0.08  # wrist to the middle of the grip
    shoulder_half_width: float = 0.19

    @staticmethod
    def random(rng: np.random.Generator) -> "Body":
        """A lifter of random size (about 160-195 cm tall)."""
        k = rng.uniform(0.9, 1.1)
        return Body(0.30 * k, 0.27 * k, 0.08 * k, 0.19 * k * rng.uniform(0.95, 1.05))

    @property
    def grip_to_elbow(self) -> float:
        return self.forearm + self.hand

    @property
    def reach(self) -> float:
        """Shoulder to grip with a straight arm."""
        return self.upper_arm + self.grip_to_elbow


def _unit(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=float)
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def _soft_clip(x: np.ndarray, lo: float, hi: float, k: float) -> np.ndarray:
    """Smooth clip of ``x`` into [lo, hi] (softplus corners of width ``k``): no kinks in the motion."""
    x = hi - k * np.logaddexp(0.0, (hi - x) / k)
    return lo + k * np.logaddexp(0.0, (x - lo) / k)


def two_link(grip: np.ndarray, shoulder: np.ndarray, body: Body, elbow_pref: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Elbow position and forearm direction ``u`` (elbow -> grip) for grip and shoulder positions (n, 3)."""
    l1, l2 = body.grip_to_elbow, body.upper_arm
    d_vec = shoulder - grip
    dist = np.linalg.norm(d_vec, axis=-1, keepdims=True)
    e_hs = d_vec / dist
    dist = _soft_clip(dist, abs(l1 - l2) + 0.03, l1 + l2 - 0.01, 0.01)
    a = (l1**2 - l2**2 + dist**2) / (2.0 * dist)
    h = np.sqrt(np.maximum(l1**2 - a**2, 0.0))
    pref = np.broadcast_to(np.asarray(elbow_pref, dtype=float), grip.shape)
    perp = pref - np.sum(pref * e_hs, axis=-1, keepdims=True) * e_hs
    perp = _unit(perp)
    elbow = grip + a * e_hs + h * perp
    u = _unit(grip - elbow)
    return elbow, u


TWIST_DEG: dict[str, tuple[float, float]] = {
    "pullup": (20.0, 40.0), "chinup": (-30.0, -15.0), "lat_pulldown": (20.0, 40.0), "seated_row": (15.0, 30.0),
    "bent_over_row": (-40.0, -20.0), "curl": (-30.0, -10.0), "press": (10.0, 25.0),
}
"""Forearm twist about its own axis from start to full contraction, deg (real wrist recordings show
30-70 deg/s of rotation during reps with little change of the gravity direction)."""


@dataclass(frozen=True)
class SetGeometry:
    """Per-set variation of one exercise (grip width, travel, posture), drawn once per set."""

    exercise: str
    body: Body
    travel: float  # m of hand travel (or body rise for pull-ups) at e = 1
    grip_half_width: float
    lean: float  # posture variation, rad
    grip: str  # "pronated", "supinated" or "neutral"
    elbow_flare: float  # 0 = elbows tucked, 1 = flared out
    twist: float = 0.0  # rad of forearm pronation/supination from start to full contraction

    @staticmethod
    def random(exercise: str, body: Body, rng: np.random.Generator) -> "SetGeometry":
        """Draw a plausible set-up for ``exercise`` (including the forearm twist over a rep)."""
        geom = SetGeometry._random(exercise, body, rng)
        lo, hi = TWIST_DEG[exercise]
        return replace(geom, twist=float(np.deg2rad(rng.uniform(lo, hi))))

    @staticmethod
    def _random(exercise: str, body: Body, rng: np.random.Generator) -> "SetGeometry":
        sw = body.shoulder_half_width
        flare = float(rng.uniform(0.3, 0.8))
        if exercise == "pullup":
            return SetGeometry(exercise, body, rng.uniform(0.42, 0.58), sw + rng.uniform(0.1, 0.2),
                               rng.uniform(-0.05, 0.1), "pronated", flare)
        if exercise == "chinup":
            return SetGeometry(exercise, body, rng.uniform(0.42, 0.58), sw + rng.uniform(-0.04, 0.03),
                               rng.uniform(-0.05, 0.1), "supinated", flare * 0.5)
        if exercise == "lat_pulldown":
            return SetGeometry(exercise, body, rng.uniform(0.42, 0.58), sw + rng.uniform(0.12, 0.22),
                               rng.uniform(0.0, 0.2), "pronated", flare)
        if exercise == "seated_row":
            return SetGeometry(exercise, body, rng.uniform(0.35, 0.45), rng.uniform(0.04, 0.09),
                               rng.uniform(0.05, 0.25), "neutral", flare * 0.4)
        if exercise == "bent_over_row":
            grip = "pronated" if rng.random() < 0.5 else "neutral"
            return SetGeometry(exercise, body, rng.uniform(0.30, 0.40), sw + rng.uniform(0.0, 0.08),
                               rng.uniform(0.7, 1.2), grip, flare * 0.5)
        if exercise == "curl":
            return SetGeometry(exercise, body, rng.uniform(1.9, 2.3), sw + rng.uniform(-0.02, 0.04),
                               rng.uniform(0.0, 0.1), "supinated", flare * 0.2)
        if exercise == "press":
            return SetGeometry(exercise, body, rng.uniform(0.45, 0.55), sw + rng.uniform(0.05, 0.12),
                               rng.uniform(-0.05, 0.05), "pronated", flare)
        raise ValueError(f"unknown exercise {exercise!r}")


def _dorsal(grip: str, forward_sign: float = 1.0) -> np.ndarray:
    """Preferred back-of-wrist direction for a grip on a bar/handle held in front or above."""
    if grip == "pronated":
        return np.array([-forward_sign, 0.0, 0.0])
    if grip == "supinated":
        return np.array([forward_sign, 0.0, 0.0])
    return np.array([0.0, -1.0, 0.0])  # neutral: back of the right hand faces outward


def pose(geom: SetGeometry, e: np.ndarray, sway: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Wrist position (n, 3) m and forearm frame (n, 3, 3) at progress ``e`` (n,).

    ``sway`` (n,) rad: extra forearm tilt from the body swinging on the bar (pull-ups and chin-ups).
    """
    e = np.atleast_1d(np.asarray(e, dtype=float))
    n = len(e)
    b = geom.body
    col = e[:, None]
    sw = b.shoulder_half_width
    gw = geom.grip_half_width
    x = geom.exercise
    if x in ("pullup", "chinup"):
        # Hands fixed on the bar; the forearm pivots about the grip as the body rises (elbows travel
        # down-out-forward for pull-ups, forward for chin-ups), so the wrist mostly rotates.
        bar_z = 2.25
        grip = np.tile([0.0, -gw, bar_z], (n, 1))
        per_m = 50.0 if x == "pullup" else 75.0  # deg of forearm tilt per m of body rise
        tilt = np.deg2rad(4.0 + per_m * geom.travel * e)
        if sway is not None:
            tilt = tilt + sway
        side = (0.35 + 0.5 * geom.elbow_flare) if x == "pullup" else 0.25
        elbow_dir = _unit(np.array([1.0 - 0.4 * geom.elbow_flare if x == "pullup" else 1.0, -side, 0.0]))
        # u points from the elbow up to the grip: tilted away from the elbow's side
        u = np.cos(tilt)[:, None] * np.array([0.0, 0.0, 1.0]) - np.sin(tilt)[:, None] * elbow_dir
        dorsal = np.broadcast_to(_dorsal(geom.grip), (n, 3))
    elif x == "lat_pulldown":
        # The shoulders start elevated (arms stretched overhead) and come down 5 cm as the shoulder blades
        # depress; the elbows come down the side at first and are driven back as the pull goes on (the
        # preferred elbow direction turns from out-down to back-down-out), so the forearm tilts steadily
        # forward (hand ahead of the elbow) instead of swinging inward and back out again mid-pull.
        dep = 0.05
        shoulder = np.stack([-0.04 * geom.lean * e - 0.02, np.full(n, -sw), 1.25 + dep - dep * e], -1)
        dy = gw - sw
        top_z = np.sqrt(max((0.97 * b.reach) ** 2 - dy**2 - 0.08**2, 0.05))
        start = np.array([0.08, -gw, 1.25 + dep + top_z])
        stop = start + np.array([0.02, 0.0, -geom.travel])
        grip = start + (stop - start) * col
        grip[:, 0] += 0.05 * np.sin(np.pi * e / 1.2)  # bar path arcs slightly forward
        pref = np.stack([0.1 - 1.1 * np.clip(e, 0.0, 1.1), np.full(n, -0.3 - 0.7 * geom.elbow_flare), np.full(n, -1.0)], -1)
        _, u = two_link(grip, shoulder, b, pref)
        dorsal = np.broadcast_to(_dorsal(geom.grip), (n, 3))
    elif x == "seated_row":
        lean = geom.lean
        shoulder = np.stack([0.05 + 0.25 * lean * (1 - col[:, 0]) - 0.05 * e, np.full(n, -sw),
                             1.0 + 0.02 * e], -1)
        s0 = np.array([0.05 + 0.25 * lean, -sw, 1.0])
        start = s0 + 0.965 * b.reach * _unit(np.array([1.0, (sw - gw) / 0.6, -0.18]))
        start[1] = -gw
        stop = start + np.array([-geom.travel, 0.0, -0.04])
        grip = start + (stop - start) * col
        pref = np.array([-0.8, -0.15 - 0.4 * geom.elbow_flare, -1.0])
        _, u = two_link(grip, shoulder, b, pref)
        dorsal = np.broadcast_to(_dorsal(geom.grip), (n, 3))
    elif x == "bent_over_row":
        # Joint angles, not a straight hand path: the upper arm swings back (shoulder extension) while the
        # elbow bends, both monotonic in e, in a vertical plane turned out by the elbow flare. The loaded
        # forearm hangs from the elbow: its tilt goes steadily from the start (arm almost straight, hand
        # ~15 deg ahead of the elbow) to about vertical at the top, never forward and back within one pull
        # (a straight hand path with two-link IK from a near-straight arm swung it ~10 deg out and back,
        # two bumps per rep in the rotation). The torso comes up a little as the weight is pulled.
        shoulder = np.stack([0.30 - 0.02 * e, np.full(n, -sw), 1.10 + 0.05 * e], -1)
        psi = np.deg2rad(10.0 + 60.0 * geom.elbow_flare)
        back = np.array([-np.cos(psi), -np.sin(psi), 0.0])
        up = np.array([0.0, 0.0, 1.0])
        l_up, l_fa = b.upper_arm, b.grip_to_elbow
        a0, f0 = np.deg2rad(-3.0), np.deg2rad(-15.0)
        f1 = np.deg2rad(-12.0 + 30.0 * (geom.lean - 0.7))  # lean 0.7-1.2: hand -12..+3 deg at the top
        rise = geom.travel - 0.05 - l_fa * (np.cos(f0) - np.cos(f1))  # torso +0.05 m
        a1 = np.arccos(np.clip(np.cos(a0) - rise / l_up, -0.5, 1.0))
        alpha = (a0 + (a1 - a0) * e)[:, None]
        phi = (f0 + (f1 - f0) * e)[:, None]
        d1 = np.sin(alpha) * back - np.cos(alpha) * up
        u = np.sin(phi) * back - np.cos(phi) * up
        grip = shoulder + l_up * d1 + l_fa * u + np.array([0.0, sw - gw, 0.0])
        dorsal = np.broadcast_to(np.array([1.0, 0.0, 0.0]) if geom.grip == "pronated" else _dorsal("neutral"), (n, 3))
    elif x == "curl":
        elbow = np.stack([0.02 + 0.05 * np.clip(e, 0, 1.2), np.full(n, -gw), np.full(n, 1.15)], -1)
        theta = np.deg2rad(8.0) + geom.travel * e / 1.0 * np.deg2rad(62.0)
        u = np.stack([np.sin(theta), np.zeros(n), -np.cos(theta)], -1)
        dorsal = np.stack([-np.cos(theta), np.full(n, -0.15), -np.sin(theta)], -1)
        wrist = elbow + b.forearm * u
        return wrist, _twisted(frame_from(u, dorsal), geom.twist * e)
    elif x == "press":
        shoulder = np.tile([0.0, -sw, 1.45], (n, 1))
        start = np.array([0.05, -gw, 1.45 + 0.08])
        stop = start + np.array([-0.02, 0.02, geom.travel])
        grip = start + (stop - start) * col
        pref = np.array([0.3, -0.3 - 0.7 * geom.elbow_flare, -1.0])
        _, u = two_link(grip, shoulder, b, pref)
        dorsal = np.broadcast_to(_dorsal(geom.grip), (n, 3))
    else:
        raise ValueError(f"unknown exercise {x!r}")
    wrist = grip - b.hand * u
    return wrist, _twisted(frame_from(u, dorsal), geom.twist * e)


def _twisted(frames: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """Rotate forearm frames (n, 3, 3) about their own u axis by ``angle`` (n,) rad."""
    c, s = np.cos(angle)[:, None], np.sin(angle)[:, None]
    u, v, w = frames[:, :, 0], frames[:, :, 1], frames[:, :, 2]
    return np.stack([u, c * v + s * w, -s * v + c * w], axis=-1)


def hanging_pose(body: Body) -> tuple[np.ndarray, np.ndarray]:
    """Standing, right arm relaxed at the side: wrist position (3,), forearm frame (3, 3)."""
    wrist = np.array([0.02, -body.shoulder_half_width - 0.04, 1.45 - body.upper_arm - body.forearm])
    u = np.array([[0.05, -0.05, -1.0]])
    v = np.array([[0.0, -1.0, 0.0]])  # palm faces the thigh, back of the hand outward
    return wrist, frame_from(u, v)[0]


FIDGET_POSES: dict[str, tuple[tuple[float, float, float], tuple[float, float, float], tuple[float, float, float]]] = {
    # name: (wrist position, forearm direction u, back-of-wrist direction v), right arm
    "check_watch": ((0.30, -0.05, 1.20), (0.6, 0.8, 0.15), (0.0, 0.1, 1.0)),
    "hand_on_hip": ((-0.02, -0.24, 1.00), (-0.2, 0.7, -0.6), (0.0, -1.0, 0.2)),
    "arms_crossed": ((0.18, 0.05, 1.20), (0.3, 1.0, 0.05), (1.0, -0.2, 0.1)),
    "drink": ((0.18, -0.10, 1.55), (0.2, 0.4, 1.0), (-0.1, -1.0, 0.0)),
    "wipe_face": ((0.15, -0.05, 1.60), (0.1, 0.5, 1.0), (1.0, 0.0, 0.0)),
    "hands_on_knees": ((0.45, -0.20, 0.60), (0.9, 0.0, -0.45), (0.0, 0.0, 1.0)),
    "phone": ((0.30, -0.10, 1.05), (0.9, 0.4, 0.2), (0.0, 0.0, -1.0)),
}
"""Rest poses the lifter takes between sets."""


def fidget_pose(name: str) -> tuple[np.ndarray, np.ndarray]:
    """Wrist position (3,) and forearm frame (3, 3) of a named rest pose."""
    p, u, v = FIDGET_POSES[name]
    return np.array(p, dtype=float), frame_from(np.array([u]), np.array([v]))[0]
