"""Rebuild sample times from the device's own clock and sequence numbers, never from arrival time.

BLE delivers notifications in bursts, so arrival time says little about when a sample was taken. A
:class:`StreamClock` places each frame on the sensor's clock (unwrapping counters that wrap), measures
the real sample interval from consecutive frames, counts packets lost in between and leaves an honest
gap in ``t`` for them. An :class:`ImuAssembler` joins separate accelerometer and gyroscope streams (Polar)
into rows of the recording layout ``t, ax, ay, az, gx, gy, gz`` (s, g, deg/s).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from repcounter.sources.ble.frames import Frame

PLL_GAIN = 0.1
"""How much of an on-time frame's clock error is followed (the rest is treated as tick jitter)."""

REBOOT_BACKSTEP_S = 1.0
"""A device clock that goes back more than this (s) means the sensor restarted."""


@dataclass
class Placed:
    """A frame placed in time: sample times (s, gateway signal time) and what was lost before it."""

    times: np.ndarray
    values: np.ndarray
    dropped_packets: int
    gap_s: float


class ClockOrigin:
    """The device time (s, unwrapped) that maps to signal time 0; shared by all streams of one sensor."""

    def __init__(self) -> None:
        self.value: float | None = None


class StreamClock:
    """Sample times for one stream of one sensor.

    Signal time 0 is the first sample ever seen from this sensor; later times follow the device clock,
    so a dropout leaves a gap as long as the sensor was away.

    Args:
        rate_hz: nominal sample rate (used when the packet does not say and to judge measured intervals).
        tolerance: fraction of an interval that counts as "on time".
        origin: shared with the sensor's other streams so acc and gyro use one time axis.
    """

    def __init__(self, rate_hz: float, tolerance: float = 0.5, origin: ClockOrigin | None = None) -> None:
        if rate_hz <= 0:
            raise ValueError("rate must be positive")
        self.nominal_dt = 1.0 / rate_hz
        self.tolerance = tolerance
        self._origin = origin or ClockOrigin()
        self._last_raw: float | None = None
        self._last_unwrapped: float | None = None
        self.last_t: float | None = None  # signal time of the last sample placed
        self._last_seq: int | None = None
        self._last_n = 1
        self._link_fresh = True
        self.dropped_packets = 0
        self.duplicates = 0

    @property
    def origin(self) -> float | None:
        """Unwrapped device time (s) of signal time 0."""
        return self._origin.value

    @origin.setter
    def origin(self, value: float) -> None:
        self._origin.value = value

    def new_link(self) -> None:
        """The connection was re-established: the next gap is the dropout, not lost packets."""
        self._link_fresh = True
        self._last_seq = None

    def _unwrap(self, raw: float, modulus: float | None) -> float:
        if self._last_raw is None or self._last_unwrapped is None:
            self._last_raw, self._last_unwrapped = raw, raw
            return raw
        delta = raw - self._last_raw
        if modulus:
            delta = math.fmod(delta, modulus)
            if delta > modulus / 2:
                delta -= modulus
            elif delta < -modulus / 2:
                delta += modulus
        self._last_raw = raw
        self._last_unwrapped = self._last_unwrapped + delta
        return self._last_unwrapped

    def place(self, frame: Frame, arrival_gap_s: float = 0.0) -> Placed | None:
        """Times for ``frame``; None if it only repeats samples already placed.

        Args:
            frame: decoded frame with a device time (first or last sample).
            arrival_gap_s: wall-clock seconds since the previous frame arrived (used only when the
                sensor restarted and its clock went back).
        """
        n = frame.n
        if n == 0:
            return None
        dt = frame.interval_s or self.nominal_dt
        if frame.t_first is not None:
            dev_first = self._unwrap(frame.t_first, frame.time_modulus_s)
        elif frame.t_last is not None:
            dev_last = self._unwrap(frame.t_last, frame.time_modulus_s)
            if frame.interval_s is None and self.last_t is not None and self.origin is not None:
                measured = (dev_last - self.origin - self.last_t) / n
                if abs(measured - self.nominal_dt) < 0.2 * self.nominal_dt:
                    dt = measured  # the sensor's real rate (clock drift, 52 vs 52.08 Hz ...)
            dev_first = dev_last - (n - 1) * dt
        else:
            raise ValueError("frame without device time")
        if self.origin is None:
            self.origin = dev_first
        t_first = dev_first - self.origin
        dropped = 0
        gap = 0.0
        if self.last_t is not None:
            expected = self.last_t + dt
            if t_first < self.last_t - REBOOT_BACKSTEP_S:
                # the sensor restarted: continue after the time that really passed
                shift = (self.last_t + max(arrival_gap_s, dt)) - t_first
                self.origin -= shift
                t_first += shift
                gap = t_first - expected
            elif t_first < expected - self.tolerance * dt:
                times = t_first + dt * np.arange(n)
                keep = times > self.last_t + self.tolerance * dt
                if not keep.any():
                    self.duplicates += 1
                    return None
                return self._commit(times[keep], frame.values[keep], 0, 0.0, frame)
            else:
                gap = t_first - expected
                if gap > self.tolerance * dt:
                    if frame.seq is not None and self._last_seq is not None and frame.seq_modulus:
                        dropped = (frame.seq - self._last_seq - 1) % frame.seq_modulus
                    if dropped == 0 and not self._link_fresh:
                        missing = int(round(gap / dt))
                        dropped = max(1, math.ceil(missing / max(self._last_n, 1)))
                else:
                    # on time: stay on the regular grid and follow the device clock slowly (coarse ticks,
                    # e.g. whole ms, jitter; a real rate a little off nominal is still tracked)
                    t_first = expected + PLL_GAIN * (t_first - expected)
                    gap = 0.0
            if self._link_fresh:
                dropped = 0  # a reconnect gap is a dropout, reported as such
        times = t_first + dt * np.arange(n)
        return self._commit(times, frame.values, dropped, max(gap, 0.0), frame)

    def _commit(self, times: np.ndarray, values: np.ndarray, dropped: int, gap: float, frame: Frame) -> Placed:
        self.last_t = float(times[-1])
        self._last_n = frame.n
        if frame.seq is not None:
            self._last_seq = frame.seq
        self._link_fresh = False
        self.dropped_packets += dropped
        return Placed(times, values, dropped, gap)


class ImuAssembler:
    """Join placed accelerometer / gyroscope / combined samples into recording rows.

    Args:
        gyro_expected: the sensor streams a separate gyroscope (wait briefly for it).
        rate_hz: nominal rate, to match a gyro sample to an acc sample (within 0.6 interval).
        max_wait_s: how long (signal s) acc rows wait for their gyro before going out with NaN gyro.
    """

    def __init__(self, gyro_expected: bool, rate_hz: float, max_wait_s: float = 0.5) -> None:
        self.gyro_expected = gyro_expected
        self.match_s = 0.6 / rate_hz
        self.max_wait_s = max_wait_s
        self._acc_t = np.empty(0)
        self._acc = np.empty((0, 3))
        self._gyro_t = np.empty(0)
        self._gyro = np.empty((0, 3))

    def add(self, stream: str, times: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Add placed samples; returns the rows (n,7) ready to go out."""
        if stream == "imu":
            return np.column_stack([times, values])
        if stream == "acc" and not self.gyro_expected:
            return np.column_stack([times, values, np.full((len(times), 3), np.nan)])
        if stream == "acc":
            self._acc_t = np.concatenate([self._acc_t, times])
            self._acc = np.vstack([self._acc, values])
        elif stream == "gyro":
            self._gyro_t = np.concatenate([self._gyro_t, times])
            self._gyro = np.vstack([self._gyro, values])
        return self._ready(force=False)

    def flush(self) -> np.ndarray:
        """Everything still waiting (at a dropout or the end)."""
        rows = self._ready(force=True)
        self._gyro_t, self._gyro = np.empty(0), np.empty((0, 3))
        return rows

    def _ready(self, force: bool) -> np.ndarray:
        if len(self._acc_t) == 0:
            return np.empty((0, 7))
        newest_acc = self._acc_t[-1]
        newest_gyro = self._gyro_t[-1] if len(self._gyro_t) else -np.inf
        if force:
            n_out = len(self._acc_t)
        else:
            ok = (self._acc_t <= newest_gyro + self.match_s) | (self._acc_t < newest_acc - self.max_wait_s)
            n_out = int(np.argmin(ok)) if not ok.all() else len(ok)
        if n_out == 0:
            return np.empty((0, 7))
        t = self._acc_t[:n_out]
        gyro = np.full((n_out, 3), np.nan)
        if len(self._gyro_t):
            idx = np.clip(np.searchsorted(self._gyro_t, t), 0, len(self._gyro_t) - 1)
            prev = np.clip(idx - 1, 0, len(self._gyro_t) - 1)
            use_prev = np.abs(self._gyro_t[prev] - t) < np.abs(self._gyro_t[idx] - t)
            best = np.where(use_prev, prev, idx)
            close = np.abs(self._gyro_t[best] - t) <= self.match_s
            gyro[close] = self._gyro[best[close]]
        rows = np.column_stack([t, self._acc[:n_out], gyro])
        self._acc_t, self._acc = self._acc_t[n_out:], self._acc[n_out:]
        # keep recent gyro only
        if len(self._gyro_t):
            keep = self._gyro_t >= t[-1] - 2.0
            self._gyro_t, self._gyro = self._gyro_t[keep], self._gyro[keep]
        return rows
