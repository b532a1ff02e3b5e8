"""The local history sink: every set and rep goes into the SQLite history as it happens.

Each event is one committed transaction (WAL journal), so a crash or ``kill -9`` mid-set keeps every rep
announced before it; such a set shows up as ``interrupted`` with its reps. When the session has no
recording file of its own (live sensors, the demo), the raw samples are kept next to the database
(``recordings/<session>_<sensor>.csv``) and referenced from the session.
"""

from __future__ import annotations

import argparse
import logging
import re
import sqlite3
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

from repcounter.engine.events import RepAnnounced, RepCompleted, SetEnded, SetStarted
from repcounter.history.db import HistoryStore, SessionLock, clean_stale_locks
from repcounter.recording import RecordingWriter
from repcounter.sinks.base import EventEnvelope, SessionInfo, Sink
from repcounter.sources.base import SensorStatus

log = logging.getLogger(__name__)

TOUCH_EVERY_S = 10.0
"""How often (wall s) the sink marks the session alive while samples flow without events."""

MAX_PENDING = 100_000
"""Writes held back while the database is unavailable (oldest dropped beyond this)."""


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "sensor"


class StoreSink(Sink):
    """Write sessions, sets and reps to a :class:`repcounter.history.HistoryStore`.

    Args:
        path: the SQLite file (created if missing).
        keep_raw: keep raw samples in a recording file when the session has none.
        busy_timeout_s: how long one write waits for another process's write before it is held back, s.
    """

    name = "store"

    def __init__(self, path: str | Path, keep_raw: bool = True, busy_timeout_s: float = 5.0) -> None:
        self.path = Path(path)
        self.busy_timeout_s = busy_timeout_s
        self.keep_raw = keep_raw
        self.store: HistoryStore | None = None
        self.session: SessionInfo | None = None
        self._writers: dict[str, RecordingWriter] = {}
        self._sensors: set[str] = set()
        self._last_touch = 0.0
        self._failed = False
        self._lock: SessionLock | None = None
        self._pending: list[tuple[str, Callable[..., None], tuple[Any, ...]]] = []

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> "StoreSink":
        """``--store PATH`` (default: the data directory's history.sqlite3)."""
        from repcounter.paths import default_store_path

        return cls(getattr(args, "store", None) or default_store_path())

    async def open(self, session: SessionInfo) -> None:
        self.session = session
        self.store = HistoryStore(self.path, self.busy_timeout_s)  # UserError for a bad file: the user must fix it
        clean_stale_locks(self.path)
        self._lock = SessionLock(self.path, session.session_id)
        self.store.begin_session(session.session_id, session.started_at, session.source, session.exercise,
                                 session.recording_path)
        self._last_touch = time.time()

    def _run(self, what: str, fn: Callable[..., None], *args: Any) -> None:
        """Call a store write; on failure (file locked too long, disk full) keep it and retry it, in order,
        before the next write, so a passing problem loses nothing. Never raises into the pipeline."""
        self._pending.append((what, fn, args))
        while self._pending:
            what, fn, args = self._pending[0]
            try:
                fn(*args)
            except (sqlite3.Error, OSError) as exc:
                if not self._failed:
                    log.error("history store %s: could not save %s (%s); will keep trying", self.path, what, exc)
                self._failed = True
                if len(self._pending) > MAX_PENDING:
                    self._pending.pop(0)
                    log.error("history store %s: gave up on one held-back write (%d waiting)", self.path,
                              len(self._pending))
                return
            self._pending.pop(0)
            if self._failed:
                log.warning("history store %s is writable again", self.path)
                self._failed = False

    def _sensor(self, sensor_id: str) -> None:
        if sensor_id in self._sensors or self.store is None or self.session is None:
            return
        self._sensors.add(sensor_id)
        raw_path = None
        if self.keep_raw and not self.session.recording_path:
            raw = self.path.parent / "recordings" / f"{self.session.session_id}_{_safe(sensor_id)}.csv"
            try:
                self._writers[sensor_id] = RecordingWriter(raw, {
                    "session": self.session.session_id, "sensor": sensor_id,
                    "started_at": f"{self.session.started_at:.3f}", "source": self.session.source})
                raw_path = str(raw)
            except OSError as exc:
                log.error("cannot keep the raw recording %s: %s", raw, exc)
        elif self.session.recording_path:
            raw_path = self.session.recording_path
        self._run("sensor", self.store.add_sensor, self.session.session_id, sensor_id, raw_path)

    async def handle_samples(self, sensor_id: str, samples: np.ndarray) -> None:
        self._sensor(sensor_id)
        writer = self._writers.get(sensor_id)
        if writer is not None:
            try:
                writer.write(samples)
            except OSError as exc:
                log.error("raw recording for %s stopped: %s", sensor_id, exc)
                self._writers.pop(sensor_id, None)
        self._heartbeat()

    def _heartbeat(self) -> None:
        """Mark the session alive every :data:`TOUCH_EVERY_S` so readers can tell live from interrupted."""
        now = time.time()
        if now - self._last_touch >= TOUCH_EVERY_S and self.store is not None and self.session is not None:
            self._last_touch = now
            self._run("heartbeat", self.store.touch_session, self.session.session_id, now)

    async def handle_status(self, status: SensorStatus) -> None:
        self._sensor(status.sensor_id)

    async def handle(self, env: EventEnvelope) -> None:
        if self.store is None:
            return
        self._sensor(env.sensor_id)
        sid, sensor, ev = env.session_id, env.sensor_id, env.event
        if isinstance(ev, SetStarted):
            self._run("set start", self.store.start_set, sid, sensor, ev.set_index, ev.exercise, env.to_wall(ev.start))
        elif isinstance(ev, (RepAnnounced, RepCompleted)):
            self._run("rep", self.store.upsert_rep, sid, sensor, ev.set_index, ev.exercise, ev.rep, env.to_wall,
                      isinstance(ev, RepCompleted))
        elif isinstance(ev, SetEnded):
            self._run("set", self.store.end_set, sid, sensor, ev.summary, env.to_wall)
        self._heartbeat()

    async def close(self) -> None:
        for writer in self._writers.values():
            try:
                writer.close()
            except OSError:
                pass
        self._writers.clear()
        if self.store is not None and self.session is not None:
            self._run("session end", self.store.end_session, self.session.session_id)
            self.store.close()
            if self._lock is not None:
                self._lock.release()
            self.store = None

