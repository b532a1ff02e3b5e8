"""Helpers for the history-store tests: a scripted engine that emits events we construct, and a runner.

``python tests/store_harness.py DB SPEED`` streams a scripted workout through the real Pipeline into a
StoreSink at ``DB`` and prints one line per event *after* the store has handled it (for the kill test).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from repcounter.engine.events import (  # noqa: E402
    EngineEvent, Rep, RepAnnounced, RepCompleted, SetEnded, SetStarted, SetSummary,
)
from repcounter.sinks.base import EventEnvelope, Sink  # noqa: E402

NAN = float("nan")


def make_rep(index: int, start: float, conc: float = 1.0, top: float = 0.3, ecc: float = 2.0,
             bottom: float = 0.5, rom: float = 80.0, partial: bool = False, done: bool = True) -> Rep:
    """A rep starting at signal time ``start`` (s); ``done=False`` gives the announced form (NaN tail)."""
    if not done:
        return Rep(index, start, start + conc, start + conc, conc, NAN, NAN, NAN, rom, 100.0 + index, 0.9, False)
    return Rep(index, start, start + conc, start + conc + top + ecc + bottom, conc, top, ecc, bottom, rom,
               100.0 + index, 0.9, partial)


def scripted_workout(sets: list[tuple[str, int]], t0: float = 2.0, rep_s: float = 4.0,
                     rest_s: float = 10.0, partial: dict[int, tuple[int, ...]] | None = None) -> list[EngineEvent]:
    """Events of a workout: ``sets`` is [(exercise, reps)], reps slow down by 5 % each; ``partial`` maps
    set index -> partial rep indices. Times are signal s; each event's ``t`` is when an engine could emit it."""
    events: list[EngineEvent] = []
    t = t0
    partial = partial or {}
    for set_index, (exercise, n) in enumerate(sets, start=1):
        reps = []
        for i in range(1, n + 1):
            conc = 1.0 * (1.05 ** (i - 1))
            flagged = i in partial.get(set_index, ())
            full = make_rep(i, t, conc=conc, rom=40.0 if flagged else 80.0, partial=flagged)
            ann = make_rep(i, t, conc=conc, rom=full.rom_deg, done=False)
            if i == 1:
                events.append(SetStarted(full.concentric_end + 0.05, set_index, t, exercise))
            events.append(RepAnnounced(full.concentric_end + 0.1, set_index, ann, exercise))
            events.append(RepCompleted(full.end + 0.1, set_index, full, exercise))
            reps.append(full)
            t = full.end + (rep_s - (full.end - full.start)) if rep_s > full.end - full.start else full.end
        concs = [r.concentric_s for r in reps]
        durations = [r.end - r.start - r.pause_bottom_s for r in reps]
        summary = SetSummary(
            set_index, exercise, 0.8, reps[0].start, reps[-1].end, tuple(reps), float(sum(durations)), "2-0-1-0",
            float(np.mean(concs)), 0.3, 2.0, 0.5, 100.0 * (concs[-1] - concs[0]) / concs[0],
            float(np.mean([r.rom_deg for r in reps if not r.partial])), tuple(partial.get(set_index, ())))
        events.append(SetEnded(reps[-1].end + 3.0, summary))
        t = reps[-1].end + rest_s
    return events


class ScriptedEngine:
    """Emits pre-built events once the stream's newest sample time reaches each event's ``t``."""

    def __init__(self, events: list[EngineEvent]) -> None:
        self.pending = sorted(events, key=lambda e: e.t)

    def feed(self, samples: np.ndarray) -> list[EngineEvent]:
        if not len(samples):
            return []
        now = float(samples[-1, 0])
        out = [e for e in self.pending if e.t <= now]
        self.pending = self.pending[len(out):]
        return out

    def finish(self) -> list[EngineEvent]:
        out, self.pending = self.pending, []
        return out


def samples_for(duration_s: float, rate_hz: float = 50.0) -> np.ndarray:
    """Quiet wrist samples (1 g on z, no rotation) covering ``duration_s``."""
    t = np.arange(0.0, duration_s, 1.0 / rate_hz)
    out = np.zeros((len(t), 7))
    out[:, 0] = t
    out[:, 3] = 1.0
    return out


class PrintSink(Sink):
    """Print ``kind set rep`` per event, flushed (placed after the store: printed means committed)."""

    name = "print"

    async def handle(self, env: EventEnvelope) -> None:
        ev = env.event
        rep = getattr(ev, "rep", None)
        print(f"{ev.kind} {ev.set_index} {rep.index if rep else 0}", flush=True)


class CollectSink(Sink):
    """Keep every envelope (in-process tests)."""

    name = "collect"

    def __init__(self) -> None:
        self.envelopes: list[EventEnvelope] = []

    async def handle(self, env: EventEnvelope) -> None:
        self.envelopes.append(env)


DEFAULT_WORKOUT = [("pullup", 6), ("lat_pulldown", 8), ("seated_row", 10)]


async def run_scripted(db: str, speed: float, workout=DEFAULT_WORKOUT, extra_sinks=()):  # type: ignore[no-untyped-def]
    """Stream the scripted workout through Pipeline + StoreSink(db); returns the PipelineResult."""
    from repcounter.pipeline import Pipeline
    from repcounter.sinks.base import SessionInfo
    from repcounter.sinks.store import StoreSink
    from repcounter.sources.replay import ArraySource

    events = scripted_workout(workout, partial={3: (10,)})
    duration = max(e.t for e in events) + 2.0
    source = ArraySource(samples_for(duration), "left-wrist", speed=speed, description="scripted")
    session = SessionInfo.new("scripted", "auto")
    pipeline = Pipeline(source, [StoreSink(db), *extra_sinks], engine_factory=lambda _sid: ScriptedEngine(events),
                        session=session)
    return await pipeline.run()


if __name__ == "__main__":
    asyncio.run(run_scripted(sys.argv[1], float(sys.argv[2]), extra_sinks=[PrintSink()]))
    print("finished", flush=True)
