"""IMU model: turn wrist motion into accelerometer (g) and gyroscope (deg/s) samples.

Linear acceleration comes from the wrist position by finite differences, angular rate from the change of
the forearm frame; gravity is rotated into the sensor frame. Then the sensor's imperfections: mounting
rotation, left-wrist mirroring, averaging over the sample period (the IMU's own low-pass), scale error,
bias, white noise, quantisation, range clipping, the gravity sign convention, timestamp jitter and dropped
packets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from repcounter.sources.sim.rotations import random_rotation

G = 9.80665
"""Standard gravity, m/s^2."""

MIRROR = np.diag([1.0, -1.0, 1.0])
"""Reflection through the lifter's sagittal plane (right arm -> left arm)."""

PoseFn = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class SensorModel:
    """One simulated wrist sensor.

    Attributes:
        rate_hz: output data rate, Hz.
        wrist: ``left`` or ``right``.
        mounting: (3, 3) rotation, sensor axes expressed in the forearm frame.
        gravity_sign: +1 reads +1 g on the axis pointing up at rest, -1 the opposite (Apple style).
        acc_noise_g, gyro_noise_dps: white noise RMS per axis.
        acc_bias_g, gyro_bias_dps: (3,) constant offsets.
        acc_scale: (3,) gain per axis (1 = perfect).
        acc_only: no gyroscope (gyro columns NaN).
    """

    rate_hz: float
    wrist: str
    mounting: np.ndarray
    gravity_sign: int
    acc_noise_g: float
    gyro_noise_dps: float
    acc_bias_g: np.ndarray
    gyro_bias_dps: np.ndarray
    acc_scale: np.ndarray
    acc_only: bool = False
    acc_range_g: float = 16.0
    gyro_range_dps: float = 2000.0

    @staticmethod
    def random(rng: np.random.Generator, rate_hz: float, wrist: str, acc_only: bool = False,
               gravity_sign: int | None = None, mounting: np.ndarray | None = None, noise: bool = True) -> "SensorModel":
        """A sensor with random mounting, sign convention and imperfections."""
        if wrist == "random":
            wrist = "left" if rng.random() < 0.5 else "right"
        m = random_rotation(rng) if mounting is None else np.asarray(mounting, dtype=float)
        sign = (1 if rng.random() < 0.5 else -1) if gravity_sign is None else int(gravity_sign)
        k = 1.0 if noise else 0.0
        return SensorModel(
            rate_hz=float(rate_hz), wrist=wrist, mounting=m, gravity_sign=sign,
            acc_noise_g=k * rng.uniform(0.01, 0.02), gyro_noise_dps=k * rng.uniform(0.5, 1.0),
            acc_bias_g=k * rng.normal(0, 0.01, 3), gyro_bias_dps=k * rng.normal(0, 1.0, 3),
            acc_scale=1.0 + k * rng.normal(0, 0.01, 3), acc_only=acc_only,
        )


def mirrored(fn: PoseFn) -> PoseFn:
    """The left-arm version of a right-arm pose function (mirror the world, keep frames right-handed)."""
    flip = np.diag([1.0, 1.0, -1.0])

    def left(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        p, r = fn(t)
        return p @ MIRROR, MIRROR @ r @ flip

    return left


def ideal_imu(fn: PoseFn, t: np.ndarray, h: float = 0.004) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Specific force in the forearm frame (n, 3) g, angular rate in the forearm frame (n, 3) rad/s, and
    the forearm frames (n, 3, 3) at times ``t``, from a pose function (central differences, step ``h`` s)."""
    n = len(t)
    p, r = fn(np.concatenate([t - h, t, t + h]))
    p_m, p_0, p_p = p[:n], p[n : 2 * n], p[2 * n :]
    r_m, r_0, r_p = r[:n], r[n : 2 * n], r[2 * n :]
    acc = (p_p - 2.0 * p_0 + p_m) / (h * h)
    f_world = acc / G + np.array([0.0, 0.0, 1.0])
    f_body = np.einsum("nji,nj->ni", r_0, f_world)
    d = np.einsum("nji,njk->nik", r_0, (r_p - r_m) / (2.0 * h))  # R^T dR/dt, skew-symmetric
    omega = 0.5 * np.stack([d[:, 2, 1] - d[:, 1, 2], d[:, 0, 2] - d[:, 2, 0], d[:, 1, 0] - d[:, 0, 1]], -1)
    return f_body, omega, r_0


def sample_imu(fn: PoseFn, sensor: SensorModel, t_true: np.ndarray, rng: np.random.Generator,
               jitter: bool = True) -> np.ndarray:
    """Samples (n, 7) ``t, ax, ay, az, gx, gy, gz`` for a right-arm pose function at true times ``t_true``.

    Each sample averages the signal over its sample period (the IMU's anti-alias filter), at least 100 Hz
    internally.
    """
    if sensor.wrist == "left":
        fn = mirrored(fn)
    n = len(t_true)
    dt = 1.0 / sensor.rate_hz
    k = max(1, int(np.ceil(100.0 / sensor.rate_hz)))
    offsets = ((np.arange(k) + 0.5) / k - 0.5) * dt
    tt = (t_true[:, None] + offsets[None, :]).ravel()
    f_body = np.empty((len(tt), 3))
    omega = np.empty((len(tt), 3))
    for a in range(0, len(tt), 20000):  # in chunks: bounded memory for long sessions at high rates
        f_body[a : a + 20000], omega[a : a + 20000], _ = ideal_imu(fn, tt[a : a + 20000])
    f_body = f_body.reshape(n, k, 3).mean(axis=1)
    omega = omega.reshape(n, k, 3).mean(axis=1)
    acc = f_body @ sensor.mounting  # sensor axes = mounting^T * body vector
    gyro = np.degrees(omega @ sensor.mounting)
    acc = acc * sensor.acc_scale + sensor.acc_bias_g + rng.normal(0.0, 1.0, (n, 3)) * sensor.acc_noise_g
    acc = np.clip(np.round(acc * 4096.0) / 4096.0, -sensor.acc_range_g, sensor.acc_range_g) * sensor.gravity_sign
    out = np.empty((n, 7))
    if jitter:
        out[:, 0] = np.maximum(t_true + np.clip(rng.normal(0.0, 0.12 * dt, n), -0.35 * dt, 0.35 * dt), 0.0)
    else:
        out[:, 0] = t_true
    out[:, 1:4] = acc
    if sensor.acc_only:
        out[:, 4:7] = np.nan
    else:
        walk = np.cumsum(rng.normal(0.0, 0.002 * np.sqrt(dt), (n, 3)), axis=0)  # slow bias drift, deg/s
        gyro = gyro + sensor.gyro_bias_dps + walk + rng.normal(0.0, 1.0, (n, 3)) * sensor.gyro_noise_dps
        out[:, 4:7] = np.clip(np.round(gyro * 16.4) / 16.4, -sensor.gyro_range_dps, sensor.gyro_range_dps)
    return out


def drop_packets(samples: np.ndarray, rate_hz: float, rng: np.random.Generator, packet_s: float = 0.06,
                 p_drop: float = 0.005, outages_per_min: float = 0.2) -> tuple[np.ndarray, list[list[float]]]:
    """Remove random BLE packets (and a few longer outages); returns kept samples and the gaps [from, to] s."""
    n = len(samples)
    per = max(1, int(round(packet_s * rate_hz)))
    packets = np.arange(n) // per
    n_packets = int(packets[-1]) + 1 if n else 0
    lost = rng.random(n_packets) < p_drop
    duration_min = (samples[-1, 0] - samples[0, 0]) / 60.0 if n else 0.0
    for _ in range(rng.poisson(outages_per_min * duration_min)):
        first = int(rng.integers(0, max(n_packets, 1)))
        length = int(rng.uniform(0.5, 3.0) / (per / rate_hz))
        lost[first : first + length] = True
    keep = ~lost[packets]
    gaps: list[list[float]] = []
    idx = np.flatnonzero(~keep)
    if len(idx):
        breaks = np.flatnonzero(np.diff(idx) > 1)
        for a, b in zip(np.r_[idx[0], idx[breaks + 1]], np.r_[idx[breaks], idx[-1]]):
            gaps.append([round(float(samples[a, 0]), 4), round(float(samples[b, 0]), 4)])
    return samples[keep], gaps
