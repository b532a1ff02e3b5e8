"""``--record``: a sink that saves each sensor's raw stream in the recording format."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from repcounter.recording import RecordingWriter
from repcounter.sinks.base import SessionInfo, Sink


class RecordSink(Sink):
    """Write samples as they arrive; ``several`` sensors go to ``FILE-<sensor>.csv`` each."""

    name = "record"

    def __init__(self, path: str, several: bool = False) -> None:
        self.path = Path(path)
        self.several = several
        self.writers: dict[str, RecordingWriter] = {}
        self.session: SessionInfo | None = None

    async def open(self, session: SessionInfo) -> None:
        self.session = session

    def path_for(self, sensor_id: str) -> Path:
        if not self.several:
            return self.path
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", sensor_id).strip("_") or "sensor"
        return self.path.with_name(f"{self.path.stem}-{safe}{self.path.suffix or '.csv'}")

    async def handle_samples(self, sensor_id: str, samples: np.ndarray) -> None:
        writer = self.writers.get(sensor_id)
        if writer is None:
            meta = {"sensor": sensor_id, "source": "repcounter gateway"}
            if self.session is not None:
                meta["session"] = self.session.session_id
            writer = self.writers[sensor_id] = RecordingWriter(self.path_for(sensor_id), meta)
        writer.write(samples)

    async def close(self) -> None:
        for w in self.writers.values():
            w.close()
