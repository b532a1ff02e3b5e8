"""Helpers for the engine tests: feeding in chunks, transforming recordings, synthetic streams."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from repcounter.engine import RepEngine
from repcounter.engine.events import RepAnnounced, RepCompleted, SetEnded, SetStarted
from repcounter.recording import read_recording

DATA = Path(__file__).resolve().parent / "data"
CABLE_ROW = DATA / "kaggle" / "cable_row_R14.csv"
CABLE_ROW_REPS = 14


def cable_row() -> np.ndarray:
    """The CC BY-SA kaggle cable-row set (14 reps, 100 Hz, acc+gyro)."""
    return read_recording(CABLE_ROW).samples


def feed_chunks(samples: np.ndarray, sizes: list[int], exercise: str = "auto") -> list[dict]:
    """Run a fresh engine over ``samples`` in chunks cycling through ``sizes``; events as dicts."""
    engine = RepEngine(exercise)
    events = []
    i = j = 0
    while i < len(samples):
        n = sizes[j % len(sizes)]
        events += engine.feed(samples[i:i + n])
        i += n
        j += 1
    events += engine.finish()
    return [e.to_dict() for e in events]


def rotate(samples: np.ndarray, rot: np.ndarray, gravity_sign: int = 1) -> np.ndarray:
    """The same motion seen by a sensor mounted with rotation ``rot`` (3x3) and the given sign convention."""
    out = samples.copy()
    out[:, 1:4] = gravity_sign * (samples[:, 1:4] @ rot.T)
    out[:, 4:7] = samples[:, 4:7] @ rot.T
    return out


def random_rotation(rng: np.random.Generator) -> np.ndarray:
    q, r = np.linalg.qr(rng.normal(size=(3, 3)))
    q = q @ np.diag(np.sign(np.diag(r)))
    if np.linalg.det(q) < 0:
        q[:, 0] = -q[:, 0]
    return q


def resample(samples: np.ndarray, rate_hz: float, rng: np.random.Generator, jitter: float = 0.3,
             drop: float = 0.05) -> np.ndarray:
    """Resample to ``rate_hz`` with timestamp jitter (fraction of a period) and randomly dropped samples."""
    t0, t1 = samples[0, 0], samples[-1, 0]
    t = np.arange(t0, t1, 1.0 / rate_hz)
    t = t + rng.uniform(-jitter, jitter, len(t)) / rate_hz
    t = np.sort(np.clip(t, t0, t1))
    out = np.column_stack([t] + [np.interp(t, samples[:, 0], samples[:, c]) for c in range(1, 7)])
    keep = rng.random(len(out)) >= drop
    return out[keep]


def still(seconds: float, rate_hz: float, t0: float, gravity: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A resting sensor: gravity plus a little noise (acc g, gyro deg/s)."""
    n = int(seconds * rate_hz)
    t = t0 + np.arange(n) / rate_hz
    acc = gravity[None, :] + rng.normal(0, 0.01, (n, 3))
    gyro = rng.normal(0, 0.5, (n, 3))
    return np.column_stack([t, acc, gyro])


def synthetic_set(reps: int, period_s: float, rate_hz: float, t0: float, rng: np.random.Generator) -> np.ndarray:
    """Forearm rocking +-25 deg about one axis, ``reps`` cycles (acc from the rotated gravity, gyro its rate)."""
    n = int(reps * period_s * rate_hz)
    t = np.arange(n) / rate_hz
    amp = np.radians(25.0)
    ang = amp * (1 - np.cos(2 * np.pi * t / period_s)) / 2
    rate = np.degrees(amp * np.pi / period_s * np.sin(2 * np.pi * t / period_s))
    acc = np.column_stack([np.sin(ang), np.zeros(n), np.cos(ang)]) + rng.normal(0, 0.01, (n, 3))
    gyro = np.column_stack([np.zeros(n), rate, np.zeros(n)]) + rng.normal(0, 0.5, (n, 3))
    return np.column_stack([t0 + t, acc, gyro])


def check_protocol(events: list) -> None:
    """Assert the event contract of docs/engine.md on a list of event objects."""
    open_set = None
    announced: dict[tuple[int, int], object] = {}
    completed: set[tuple[int, int]] = set()
    last_t = -np.inf
    next_index = 1
    for e in events:
        assert e.t >= last_t - 1e-9, "event times go backwards"
        last_t = e.t
        if isinstance(e, SetStarted):
            assert open_set is None, "set started while another is open"
            open_set = e.set_index
            next_index = 1
        elif isinstance(e, RepAnnounced):
            assert e.set_index == open_set
            assert e.rep.index == next_index, "rep indices must be 1, 2, 3..."
            next_index += 1
            assert e.rep.concentric_end <= e.t + 1e-9, "announced before the pull ended"
            announced[(e.set_index, e.rep.index)] = e.rep
        elif isinstance(e, RepCompleted):
            key = (e.set_index, e.rep.index)
            assert key in announced and key not in completed, "completed without announcement or twice"
            a = announced[key]
            # an early announcement's timing may be refined once the pull is confirmed, by less than a rep
            assert abs(e.rep.concentric_end - a.concentric_end) < max(a.duration_s, 1.0) + e.rep.duration_s
            assert e.rep.end >= e.rep.concentric_end
            completed.add(key)
        elif isinstance(e, SetEnded):
            assert e.set_index == open_set
            assert all(k in completed for k in announced if k[0] == open_set), "set ended with open reps"
            assert [r.index for r in e.summary.reps] == list(range(1, len(e.summary.reps) + 1))
            open_set = None
    assert open_set is None, "stream finished with an open set"


def rotation_stream(angle_deg: np.ndarray, axis: int, rate_hz: float, t0: float,
                    rng: np.random.Generator) -> np.ndarray:
    """Samples of a forearm turning by ``angle_deg`` (per sample, deg) about sensor axis ``axis`` (0 = x, 1 = y)
    from gravity on +z: acc is the turned gravity (g), gyro the angle's rate (deg/s), with sensor noise."""
    n = len(angle_deg)
    a = np.radians(angle_deg)
    acc = np.zeros((n, 3))
    if axis == 0:
        acc[:, 1], acc[:, 2] = -np.sin(a), np.cos(a)
    else:
        acc[:, 0], acc[:, 2] = np.sin(a), np.cos(a)
    gyro = np.zeros((n, 3))
    gyro[:, axis] = np.gradient(angle_deg) * rate_hz
    t = t0 + np.arange(n) / rate_hz
    return np.column_stack([t, acc + rng.normal(0, 0.01, (n, 3)), gyro + rng.normal(0, 0.5, (n, 3))])


def tempo_angle(reps: int, pull_s: float, top_s: float, lower_s: float, bottom_s: float, amp_deg: float,
                rate_hz: float) -> tuple[np.ndarray, list[float]]:
    """Forearm angle (deg, per sample) of ``reps`` reps with the given phase times (s), and each rep's true end
    of the pull (s from the start)."""
    def ramp(seconds: float, a: float, b: float) -> np.ndarray:
        x = np.arange(int(round(seconds * rate_hz))) / (seconds * rate_hz)
        return a + (b - a) * (1 - np.cos(np.pi * x)) / 2

    parts: list[np.ndarray] = []
    tops: list[float] = []
    t = 0.0
    for _ in range(reps):
        parts += [ramp(pull_s, 0.0, amp_deg), np.full(int(round(top_s * rate_hz)), amp_deg),
                  ramp(lower_s, amp_deg, 0.0), np.zeros(int(round(bottom_s * rate_hz)))]
        tops.append(t + pull_s)
        t += pull_s + top_s + lower_s + bottom_s
    return np.concatenate(parts), tops
