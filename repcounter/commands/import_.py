"""``repcounter import FILE.csv``: analyse a recording into the local history.

The recording goes through the same live path as ``replay`` (an :class:`ArraySource` at full speed, one
engine per sensor, the store sink), so the stored sets and reps are exactly the events a live run emits.
Times are dated from ``--started-at``, else the file's ``# started_at:`` metadata, else now.
"""

from __future__ import annotations

import argparse
from typing import Any, AsyncIterator


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="analyse a recording into the local history",
                       description="Analyse a recording CSV (t,ax,ay,az,gx,gy,gz) and store its sets and reps "
                                   "in the local history.")
    p.add_argument("file", help="recording CSV")
    p.add_argument("--exercise", default="auto", help="exercise name or auto (default)")
    p.add_argument("--sensor-id", help="sensor id to store (default: the file name)")
    p.add_argument("--started-at", metavar="WHEN",
                   help="when the recording began: ISO date/time (2026-03-01T18:30) or Unix s")
    p.add_argument("--replace", action="store_true", help="replace an earlier import of the same file")
    p.add_argument("--store", metavar="PATH", help="history database (default: the data directory's)")
    p.add_argument("--json", action="store_true", help="print the stored session as JSON")
    p.set_defaults(func=run)


def parse_when(text: str) -> float:
    """Unix s from an ISO date/time (local time unless it has an offset) or a number of Unix seconds."""
    import datetime as dt

    from repcounter.errors import UserError

    text = text.strip()
    try:
        return float(text)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text).timestamp()
    except ValueError:
        raise UserError(f"--started-at {text!r}: expected an ISO date/time like 2026-03-01T18:30 or Unix seconds") from None


class DatedSource:
    """Wrap a source so each batch's ``received_at`` is ``started_at`` + signal time since the first sample.

    The pipeline maps signal times to wall-clock through the first batch, so stored sets get the recording's
    own dates instead of the import time.
    """

    def __init__(self, inner: Any, started_at: float, t0: float) -> None:
        self.inner = inner
        self.description = inner.description
        self.started_at = started_at
        self.t0 = t0

    async def stream(self) -> AsyncIterator[Any]:
        from dataclasses import replace

        from repcounter.recording import T
        from repcounter.sources.base import SampleBatch

        async for item in self.inner.stream():
            if isinstance(item, SampleBatch) and len(item.samples):
                item = replace(item, received_at=self.started_at + float(item.samples[-1, T]) - self.t0)
            yield item


def run(args: argparse.Namespace) -> int:
    import asyncio
    import json
    import time
    from pathlib import Path

    from repcounter.commands.common import check_exercise
    from repcounter.commands.history import open_store, print_session
    from repcounter.errors import UserError
    from repcounter.pipeline import Pipeline
    from repcounter.recording import T, read_recording
    from repcounter.sinks.base import SessionInfo
    from repcounter.sinks.store import StoreSink
    from repcounter.sources.replay import ArraySource

    exercise = check_exercise(args.exercise)
    recording = read_recording(args.file)
    path = str(Path(args.file).resolve())
    if args.started_at:
        started_at = parse_when(args.started_at)
    elif recording.meta.get("started_at"):
        started_at = parse_when(recording.meta["started_at"])
    else:
        started_at = time.time()
    store_path = args.store
    with open_store(store_path) as store:
        store_path = str(store.path)
        earlier = store.sessions_for_recording(path)
        if earlier and not args.replace:
            raise UserError(f"{args.file} was already imported as session {earlier[-1]}; "
                            "add --replace to analyse it again")
        for sid in earlier:
            store.delete_session(sid)
    sensor_id = args.sensor_id or Path(args.file).stem
    source = DatedSource(ArraySource(recording.samples, sensor_id, speed=0.0, description=path), started_at,
                         float(recording.samples[0, T]))
    session = SessionInfo.new(path, exercise, recording_path=path, started_at=started_at)
    pipeline = Pipeline(source, [StoreSink(store_path)], exercise=exercise, session=session)
    asyncio.run(pipeline.run())
    with open_store(store_path) as store:
        data = store.session(session.session_id)
    assert data is not None
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        print_session(data)
        print(f"\nImported {args.file} as session {session.session_id}: {data['set_count']} sets, "
              f"{data['rep_count']} reps")
    return 0
