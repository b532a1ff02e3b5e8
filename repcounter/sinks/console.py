"""Terminal sink: live counts and set summaries in plain lines a lifter can read from across the rack."""

from __future__ import annotations

import json
import sys
from typing import TextIO

from repcounter.engine.events import RepAnnounced, RepCompleted, SetEnded, SetStarted
from repcounter.sinks.base import EventEnvelope, SessionInfo, Sink
from repcounter.sources.base import SensorStatus

EXERCISE_NAMES = {
    "pullup": "pull-up", "chinup": "chin-up", "lat_pulldown": "lat pulldown", "seated_row": "seated cable row",
    "bent_over_row": "bent-over row", "other": "other exercise", "unknown": "exercise",
}


def exercise_name(key: str) -> str:
    """Readable exercise name."""
    return EXERCISE_NAMES.get(key, key.replace("_", " "))


def _s(value: float | None) -> str:
    return "-" if value is None or value != value else f"{value:.1f}s"


class ConsoleSink(Sink):
    """Print one line per rep and per set; ``verbose`` adds the tempo completion lines."""

    name = "console"

    def __init__(self, out: TextIO | None = None, verbose: bool = False, show_sensor: bool = True) -> None:
        self.out = out or sys.stdout
        self.verbose = verbose
        self.show_sensor = show_sensor

    def _print(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    async def handle(self, env: EventEnvelope) -> None:
        who = f"[{env.sensor_id}] " if self.show_sensor else ""
        ev = env.event
        if isinstance(ev, SetStarted):
            self._print(f"{who}Set {ev.set_index} started ({exercise_name(ev.exercise)})")
        elif isinstance(ev, RepAnnounced):
            self._print(f"{who}  rep {ev.rep.index:>2}  pull {_s(ev.rep.concentric_s)}")
        elif isinstance(ev, RepCompleted) and self.verbose:
            r = ev.rep
            self._print(f"{who}  rep {r.index:>2}  pull {_s(r.concentric_s)} top {_s(r.pause_top_s)} "
                        f"lower {_s(r.eccentric_s)} bottom {_s(r.pause_bottom_s)}")
        elif isinstance(ev, SetEnded):
            s = ev.summary
            partial = f", {len(s.partial_reps)} partial" if s.partial_reps else ""
            slowed = "" if s.slowdown_pct != s.slowdown_pct else f", slowed {s.slowdown_pct:+.0f}%"
            self._print(f"{who}Set {s.set_index} done: {s.rep_count} reps of {exercise_name(s.exercise)}{partial}, "
                        f"tempo {s.tempo}, {s.time_under_tension_s:.0f}s under tension{slowed}")

    async def handle_status(self, status: SensorStatus) -> None:
        self._print(f"[{status.sensor_id}] {status.message}")


class JsonLinesSink(Sink):
    """``--events-json``: one JSON object per event per line on stdout."""

    name = "events-json"

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout

    async def handle(self, env: EventEnvelope) -> None:
        self.out.write(json.dumps(env.to_dict(), separators=(",", ":")) + "\n")
        self.out.flush()
