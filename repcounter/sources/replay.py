"""Stream a recording (or any samples array) through the live path in packet-sized chunks."""

from __future__ import annotations

import asyncio
import time
from typing import AsyncIterator

import numpy as np

from repcounter.recording import T, read_recording
from repcounter.sources.base import SampleBatch, SensorStatus, SourceItem


def packet_size_for(samples: np.ndarray, packet_s: float = 0.05) -> int:
    """Samples per packet so one packet holds about ``packet_s`` seconds (at least 1)."""
    if len(samples) < 2:
        return 1
    dt = np.diff(samples[:, T])
    dt = dt[dt > 0]
    rate = 1.0 / float(np.median(dt)) if len(dt) else 50.0
    return max(1, int(round(rate * packet_s)))


class ArraySource:
    """Replay an in-memory samples array.

    Args:
        samples: (n, 7) recording layout.
        sensor_id: id the batches carry.
        speed: 1.0 = real time, 2.0 = twice as fast, 0 = as fast as possible.
        packet_s: seconds of signal per batch (BLE notifications carry ~20-100 ms).
    """

    def __init__(self, samples: np.ndarray, sensor_id: str, speed: float = 1.0, packet_s: float = 0.05,
                 description: str = "replay") -> None:
        if speed < 0:
            raise ValueError("speed must be >= 0")
        self.samples = samples
        self.sensor_id = sensor_id
        self.speed = speed
        self.packet = packet_size_for(samples, packet_s)
        self.description = description

    async def stream(self) -> AsyncIterator[SourceItem]:
        now = time.time()
        yield SensorStatus(self.sensor_id, "online", f"Replaying {self.description}", now)
        if len(self.samples) == 0:
            yield SensorStatus(self.sensor_id, "offline", "Replay finished", time.time())
            return
        t0 = float(self.samples[0, T])
        wall0 = time.monotonic()
        for start in range(0, len(self.samples), self.packet):
            chunk = self.samples[start : start + self.packet]
            if self.speed > 0:
                due = wall0 + (float(chunk[-1, T]) - t0) / self.speed
                delay = due - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            else:
                await asyncio.sleep(0)  # let sinks and servers run between packets
            yield SampleBatch(self.sensor_id, chunk, time.time())
        yield SensorStatus(self.sensor_id, "offline", "Replay finished", time.time())


class ReplaySource(ArraySource):
    """Replay a recording CSV file (see :mod:`repcounter.recording`)."""

    def __init__(self, path: str, sensor_id: str | None = None, speed: float = 1.0, packet_s: float = 0.05) -> None:
        recording = read_recording(path)
        from pathlib import Path

        super().__init__(recording.samples, sensor_id or Path(path).stem, speed, packet_s, description=str(path))
