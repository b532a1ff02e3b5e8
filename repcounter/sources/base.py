"""What every sensor source yields: batches of samples and sensor status changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import AsyncIterator, Literal, Protocol, Union

import numpy as np

SensorState = Literal["searching", "connecting", "online", "dropout", "offline"]


@dataclass(frozen=True)
class SampleBatch:
    """Samples from one sensor, in the recording layout.

    Attributes:
        sensor_id: stable id of the sensor (name or address; the ``--sensor-id`` for replays).
        samples: (n, 7) float64 array ``t, ax, ay, az, gx, gy, gz`` in s, g, deg/s (NaN gyro if absent).
            Times are rebuilt from the device clock, so a dropped packet is an honest gap in ``t``.
        received_at: wall-clock time (Unix s) when the batch arrived at the gateway.
    """

    sensor_id: str
    samples: np.ndarray
    received_at: float


@dataclass(frozen=True)
class SensorStatus:
    """A change in a sensor's connection, in words a lifter understands.

    Attributes:
        sensor_id: which sensor.
        state: ``searching``, ``connecting``, ``online``, ``dropout`` (lost, trying to get it back) or
            ``offline`` (gave up, or the stream ended; the engine closes the open set).
        message: human sentence, e.g. "Lost the sensor on your left wrist - reconnecting...".
        at: wall-clock time (Unix s).
        dropped_packets: packets lost so far on this sensor.
        bad_packets: malformed or unknown notifications dropped so far.
        battery_pct: battery level where readable.
    """

    sensor_id: str
    state: SensorState
    message: str
    at: float
    dropped_packets: int = 0
    bad_packets: int = 0
    battery_pct: int | None = None
    extra: dict[str, object] = field(default_factory=dict)


SourceItem = Union[SampleBatch, SensorStatus]


class Source(Protocol):
    """A sensor source: BLE sensors, a file replay or the simulator."""

    description: str

    def stream(self) -> AsyncIterator[SourceItem]:
        """Yield batches and status changes until the source ends (or is cancelled)."""
        ...
