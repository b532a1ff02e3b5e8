"""The sink interface: where engine events go (terminal, MQTT, local history store, web dashboard)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from repcounter.engine.events import EngineEvent
from repcounter.sources.base import SensorStatus


@dataclass(frozen=True)
class SessionInfo:
    """One run of the pipeline (a gym session).

    Attributes:
        session_id: unique id (time-sortable: ``YYYYmmddTHHMMSS-xxxxxx``).
        started_at: wall-clock start, Unix s.
        source: human description of the source ("demo", a file path, "BLE").
        exercise: the ``--exercise`` argument (``auto`` or a name).
        recording_path: where the raw stream is saved, if it is.
    """

    session_id: str
    started_at: float
    source: str
    exercise: str = "auto"
    recording_path: str | None = None

    @staticmethod
    def new(source: str, exercise: str = "auto", recording_path: str | None = None,
            started_at: float | None = None) -> "SessionInfo":
        start = time.time() if started_at is None else started_at
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(start))
        return SessionInfo(f"{stamp}-{uuid.uuid4().hex[:6]}", start, source, exercise, recording_path)


@dataclass(frozen=True)
class EventEnvelope:
    """An engine event with where and when it happened.

    Attributes:
        sensor_id: the sensor whose engine emitted it.
        session_id: the session.
        seq: per-sensor event sequence number within the session (0, 1, 2, ...).
        event: the engine event.
        emitted_at: wall-clock time the pipeline passed it on, Unix s.
        received_at: wall-clock arrival time of the sample batch that triggered it, Unix s.
        origin_t: a signal time of this sensor's stream, s, that corresponds to ...
        origin_wall: ... this wall-clock time, Unix s (fixed at the sensor's first batch), so
            :meth:`to_wall` maps any signal time to a stable wall-clock time, also for fast replays.
    """

    sensor_id: str
    session_id: str
    seq: int
    event: EngineEvent
    emitted_at: float
    received_at: float
    origin_t: float = 0.0
    origin_wall: float = 0.0

    def to_wall(self, t: float) -> float:
        """Wall-clock time (Unix s) of signal time ``t`` (s); stable for a given event."""
        return self.origin_wall + (t - self.origin_t)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the event dict plus sensor_id, session_id, seq and emitted_at."""
        d = self.event.to_dict()
        d.update(sensor_id=self.sensor_id, session_id=self.session_id, seq=self.seq,
                 emitted_at=self.emitted_at)
        return d


class Sink:
    """Base class for sinks. Override what you need; every method may be a no-op.

    A sink must never raise into the pipeline for a transient problem (broker away, disk slow): it queues,
    retries and logs. It raises :class:`repcounter.errors.UserError` only from :meth:`open` for
    configuration the user must fix.
    """

    name: str = "sink"

    async def open(self, session: SessionInfo) -> None:
        """Called once before any event."""

    async def handle(self, envelope: EventEnvelope) -> None:
        """An engine event."""

    async def handle_status(self, status: SensorStatus) -> None:
        """A sensor connection change."""

    async def handle_samples(self, sensor_id: str, samples: np.ndarray) -> None:
        """Raw samples (n, 7) as they arrive; most sinks ignore them."""

    async def close(self) -> None:
        """Called once at the end (also after errors and Ctrl-C); flush and release."""
