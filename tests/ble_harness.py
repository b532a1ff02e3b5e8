"""Helpers for the BLE tests: a private bus + emulated BlueZ in-process, and a collecting sink."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from pathlib import Path
from typing import Any, AsyncIterator

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fake_bluez import DbusDaemon, FakeBluez  # noqa: E402
from repcounter.engine.events import SetEnded  # noqa: E402
from repcounter.sinks.base import EventEnvelope, Sink  # noqa: E402
from repcounter.sources.base import SensorStatus  # noqa: E402

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent


class Collect(Sink):
    """Keeps everything the pipeline hands to sinks."""

    name = "collect"

    def __init__(self) -> None:
        self.events: list[EventEnvelope] = []
        self.statuses: list[SensorStatus] = []
        self.samples: dict[str, list[np.ndarray]] = {}

    async def handle(self, envelope: EventEnvelope) -> None:
        self.events.append(envelope)

    async def handle_status(self, status: SensorStatus) -> None:
        self.statuses.append(status)

    async def handle_samples(self, sensor_id: str, samples: np.ndarray) -> None:
        self.samples.setdefault(sensor_id, []).append(samples.copy())

    def rows(self, sensor_id: str) -> np.ndarray:
        parts = self.samples.get(sensor_id, [])
        return np.vstack(parts) if parts else np.empty((0, 7))

    def sets(self, sensor_id: str) -> list:
        return [e.event.summary for e in self.events if e.sensor_id == sensor_id and isinstance(e.event, SetEnded)]

    def states(self, sensor_id: str) -> list[str]:
        return [s.state for s in self.statuses if s.sensor_id == sensor_id]


@contextlib.asynccontextmanager
async def emulated_bluez(sensors: list[Any]) -> AsyncIterator[FakeBluez]:
    """A private dbus-daemon with the emulated BlueZ on it; this process's system bus points there."""
    daemon = DbusDaemon().start()
    old = os.environ.get("DBUS_SYSTEM_BUS_ADDRESS")
    os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = daemon.address
    try:
        async with FakeBluez(daemon.address, sensors) as fb:
            yield fb
            await _close_bleak()
    finally:
        if old is None:
            os.environ.pop("DBUS_SYSTEM_BUS_ADDRESS", None)
        else:
            os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = old
        daemon.stop()


async def _close_bleak() -> None:
    """Drop bleak's per-loop BlueZ manager so the next test starts clean."""
    from bleak.backends.bluezdbus import manager as m

    inst = m._global_instances.pop(asyncio.get_running_loop(), None)
    if inst is not None and inst._bus is not None:
        inst._bus.disconnect()
        if inst._bus_watcher_task is not None:
            inst._bus_watcher_task.cancel()
            with contextlib.suppress(BaseException):
                await inst._bus_watcher_task


def profiles() -> dict[str, Any]:
    from repcounter.sources.ble.profiles import load_profiles

    return load_profiles(REPO / "firmware_config")


def quantised(sensor: Any) -> np.ndarray:
    """The session as the sensor's packet format carries it, with t starting at 0."""
    q = type(sensor).quantise(sensor.samples)
    q[:, 0] -= q[0, 0]
    return q
