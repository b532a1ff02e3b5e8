"""Helpers for the web dashboard tests: a scripted workout (constructed engine events on a signal timeline),
an engine stand-in that releases them as the samples' time passes, and a pipeline running in a thread so a
blocking browser driver can watch it.

The scripted engine is only a stand-in for the real detector: it lets the dashboard be tested on exactly
known events (counts, tempo, partial reps) going through the real Pipeline, StoreSink and WebSink.
"""

from __future__ import annotations

import asyncio
import math
import signal
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, AsyncIterator

import numpy as np

from repcounter.engine.events import EngineEvent, Rep, RepAnnounced, RepCompleted, SetEnded, SetStarted, SetSummary
from repcounter.pipeline import Pipeline, PipelineResult
from repcounter.sinks.base import SessionInfo, Sink
from repcounter.sources.base import SourceItem
from repcounter.sources.replay import ArraySource
from tests.store_harness import ScriptedEngine
from tests.store_harness import samples_for as still_samples

NAN = float("nan")


@dataclass(frozen=True)
class PlannedSet:
    """A set to script: exercise, rep count, which reps are partial, tempo (pull, top, lower, bottom; s)."""

    exercise: str
    reps: int
    partial: tuple[int, ...] = ()
    tempo: tuple[float, float, float, float] = (1.0, 0.3, 1.6, 0.5)
    slowdown_per_rep: float = 0.05


def scripted_workout(plan: list[PlannedSet], lead_s: float = 1.0, rest_s: float = 3.0,
                     lag_s: float = 0.15) -> tuple[list[EngineEvent], float]:
    """Engine events for ``plan`` on a signal timeline starting at 0 s; returns (events sorted by t, end s).

    Each rep is announced ``lag_s`` after its pull ends and completed ``lag_s`` after its bottom pause.
    """
    events: list[EngineEvent] = []
    t = lead_s
    for set_index, planned in enumerate(plan, start=1):
        reps: list[Rep] = []
        for i in range(1, planned.reps + 1):
            c, top, ecc, bot = planned.tempo
            c *= 1 + planned.slowdown_per_rep * (i - 1)
            start = t
            rom = 60.0 if i in planned.partial else 120.0
            full = Rep(i, start, start + c, start + c + top + ecc + bot, c, top, ecc, bot, rom, 150.0, 0.9,
                       i in planned.partial)
            announced = Rep(i, start, start + c, start + c, c, NAN, NAN, NAN, rom, 150.0, 0.9, False)
            if i == 1:
                events.append(SetStarted(start + c + lag_s, set_index, start, planned.exercise))
            events.append(RepAnnounced(start + c + lag_s, set_index, announced, planned.exercise))
            events.append(RepCompleted(full.end + lag_s, set_index, full, planned.exercise))
            reps.append(full)
            t = full.end
        tut = sum(r.concentric_s + r.pause_top_s + r.eccentric_s for r in reps)
        summary = SetSummary(set_index, planned.exercise, 0.9, reps[0].start, reps[-1].end, tuple(reps), tut,
                             "2-0-1-0", float(np.mean([r.concentric_s for r in reps])), planned.tempo[1],
                             planned.tempo[2], planned.tempo[3],
                             100.0 * (reps[-1].concentric_s / reps[0].concentric_s - 1), 120.0, planned.partial)
        events.append(SetEnded(t + 1.0, summary))
        t += rest_s
    events.sort(key=lambda e: e.t)
    return events, t


class MergedSource:
    """Several sources streamed at once (one sensor each), as a multi-sensor gateway would."""

    description = "scripted sensors"

    def __init__(self, sources: list[Any]) -> None:
        self.sources = sources

    async def stream(self) -> AsyncIterator[SourceItem]:
        queue: asyncio.Queue[SourceItem | None] = asyncio.Queue()

        async def pump(src: Any) -> None:
            async for item in src.stream():
                await queue.put(item)
            await queue.put(None)

        tasks = [asyncio.create_task(pump(s)) for s in self.sources]
        done = 0
        try:
            while done < len(tasks):
                item = await queue.get()
                if item is None:
                    done += 1
                else:
                    yield item
        finally:
            for task in tasks:
                task.cancel()


class PipelineThread(threading.Thread):
    """Run a WebSink (+ other sinks) and a scripted pipeline in a background asyncio loop.

    The dashboard is up once :attr:`ready` is set (:attr:`url`); the workout starts when :meth:`go` is
    called, so a browser can connect first (or later, to test a page opened mid-set).
    """

    def __init__(self, scripts: dict[str, list[EngineEvent]], duration_s: float, speed: float,
                 store_path: Path | None = None, extra_sinks: list[Sink] | None = None, stay: bool = False) -> None:
        super().__init__(daemon=True)
        from repcounter.web.server import WebSink

        self.scripts = scripts
        self.duration_s = duration_s
        self.speed = speed
        self.web = WebSink("127.0.0.1", 0, store_path, stay=stay, announce=False)
        self.sinks: list[Sink] = list(extra_sinks or []) + [self.web]
        self.ready = threading.Event()
        self._go = threading.Event()
        self.result: PipelineResult | None = None
        self.error: BaseException | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.session = SessionInfo.new("scripted workout")

    @property
    def url(self) -> str:
        return self.web.url

    def go(self) -> None:
        """Start streaming the workout."""
        self._go.set()

    def run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:  # reported to the test through .error
            self.error = exc
        finally:
            self.ready.set()

    async def _main(self) -> None:
        self.loop = asyncio.get_running_loop()
        self._main_task = asyncio.current_task()
        await self.web.start()
        self.ready.set()
        await asyncio.to_thread(self._go.wait)
        sources = [ArraySource(still_samples(self.duration_s), sid, self.speed, 0.05, description=sid)
                   for sid in self.scripts]
        source = sources[0] if len(sources) == 1 else MergedSource(sources)
        pipeline = Pipeline(source, self.sinks, engine_factory=lambda sid: ScriptedEngine(self.scripts[sid]),
                            session=self.session)
        self.result = await pipeline.run()

    def stop(self, timeout_s: float = 30.0) -> None:
        """Cancel a lingering dashboard (``stay``) and wait for the thread."""
        self._go.set()
        if self.loop is not None and self.is_alive():
            try:
                self.loop.call_soon_threadsafe(self._main_task.cancel)
            except RuntimeError:
                pass
        self.join(timeout_s)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100), linear interpolation."""
    if not values:
        return math.nan
    return float(np.percentile(np.asarray(values, dtype=float), q))


class LoopThread(threading.Thread):
    """An asyncio loop in a background thread; :meth:`call` runs a coroutine there and returns its result."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.loop = asyncio.new_event_loop()

    def run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def call(self, coro: Any, timeout_s: float = 30.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout_s)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.join(10)
        self.loop.close()


def take_ctrl_c() -> None:
    """``preexec_fn`` for a child process the test stops with Ctrl-C (SIGINT): a test run started in the
    background (``cmd &`` in a script) leaves SIGINT ignored in its children, so the child never saw it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
