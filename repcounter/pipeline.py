"""Wire a source to one rep engine per sensor and pass the events to the sinks."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Callable

from repcounter.engine import RepEngine
from repcounter.engine.events import EngineEvent, SetEnded
from repcounter.sinks.base import EventEnvelope, SessionInfo, Sink
from repcounter.sources.base import SampleBatch, SensorStatus, Source

log = logging.getLogger(__name__)

EngineFactory = Callable[[str], RepEngine]
"""Make the engine for a sensor id."""


@dataclass
class SensorTally:
    """What the pipeline saw of one sensor (for the closing summary)."""

    samples: int = 0
    sets: list = field(default_factory=list)
    last_status: SensorStatus | None = None


@dataclass
class PipelineResult:
    """Per-sensor tallies after a run."""

    session: SessionInfo
    sensors: dict[str, SensorTally]

    @property
    def total_reps(self) -> int:
        return sum(s.summary.rep_count for t in self.sensors.values() for s in t.sets)


class Pipeline:
    """Source -> engines (one per sensor) -> sinks.

    Args:
        source: where samples come from.
        sinks: where events go; each gets every event in order.
        engine_factory: builds a fresh engine for a sensor id (default ``RepEngine(exercise=exercise)``).
        session: the session (a new one if not given).
    """

    def __init__(self, source: Source, sinks: list[Sink], exercise: str = "auto",
                 engine_factory: EngineFactory | None = None, session: SessionInfo | None = None) -> None:
        self.source = source
        self.sinks = sinks
        self.exercise = exercise
        self.engine_factory = engine_factory or (lambda _sid: RepEngine(exercise=exercise))
        self.session = session or SessionInfo.new(getattr(source, "description", "source"), exercise)
        self.engines: dict[str, RepEngine] = {}
        self.tallies: dict[str, SensorTally] = {}
        self._seq: dict[str, int] = {}
        self._origin: dict[str, tuple[float, float]] = {}

    async def _emit(self, sensor_id: str, events: list[EngineEvent], received_at: float) -> None:
        for event in events:
            seq = self._seq.get(sensor_id, 0)
            self._seq[sensor_id] = seq + 1
            origin_t, origin_wall = self._origin.get(sensor_id, (0.0, self.session.started_at))
            env = EventEnvelope(sensor_id, self.session.session_id, seq, event, time.time(), received_at,
                                origin_t, origin_wall)
            if isinstance(event, SetEnded):
                self.tallies[sensor_id].sets.append(event)
            for sink in self.sinks:
                try:
                    await sink.handle(env)
                except Exception:  # a sink must not stop the session; it logs its own trouble
                    log.exception("sink %s failed on %s", sink.name, event.kind)

    def _engine(self, sensor_id: str) -> RepEngine:
        if sensor_id not in self.engines:
            self.engines[sensor_id] = self.engine_factory(sensor_id)
            self.tallies[sensor_id] = SensorTally()
        return self.engines[sensor_id]

    async def _finish_sensor(self, sensor_id: str, received_at: float) -> None:
        engine = self.engines.pop(sensor_id, None)
        if engine is not None:
            await self._emit(sensor_id, engine.finish(), received_at)

    async def run(self) -> PipelineResult:
        """Run until the source ends; always closes the sinks."""
        opened: list[Sink] = []
        try:
            for sink in self.sinks:
                await sink.open(self.session)
                opened.append(sink)
            async for item in self.source.stream():
                if isinstance(item, SampleBatch):
                    engine = self._engine(item.sensor_id)
                    if item.sensor_id not in self._origin and len(item.samples):
                        self._origin[item.sensor_id] = (float(item.samples[-1, 0]), item.received_at)
                    self.tallies[item.sensor_id].samples += len(item.samples)
                    for sink in self.sinks:
                        await sink.handle_samples(item.sensor_id, item.samples)
                    await self._emit(item.sensor_id, engine.feed(item.samples), item.received_at)
                elif isinstance(item, SensorStatus):
                    self.tallies.setdefault(item.sensor_id, SensorTally()).last_status = item
                    if item.state == "offline":
                        await self._finish_sensor(item.sensor_id, item.at)
                    for sink in self.sinks:
                        try:
                            await sink.handle_status(item)
                        except Exception:
                            log.exception("sink %s failed on status", sink.name)
        finally:
            for sensor_id in list(self.engines):
                await self._finish_sensor(sensor_id, time.time())
            for sink in reversed(opened):
                try:
                    await sink.close()
                except Exception:
                    log.exception("sink %s failed to close", sink.name)
        return PipelineResult(self.session, self.tallies)
