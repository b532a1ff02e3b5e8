"""What the live page shows, kept on the server so a page opened mid-set is right at once.

:class:`LiveState` folds engine events and sensor statuses into one card per sensor: exercise, set number,
the current set's reps with their tempo phases, time under tension, the sets done so far and the last set's
summary. Pure: no I/O, no clock (wall-clock times come in with the envelopes and statuses).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from repcounter.engine.events import RepAnnounced, RepCompleted, SetEnded, SetStarted
from repcounter.sinks.base import EventEnvelope, SessionInfo
from repcounter.sources.base import SensorStatus

PHASES = ("concentric_s", "pause_top_s", "eccentric_s", "pause_bottom_s")
"""Tempo phases of a rep in time order, s."""


def _num(value: float | None) -> float:
    """0.0 for a missing (None/NaN) duration, else the value."""
    return 0.0 if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def tension_s(rep: dict[str, Any]) -> float:
    """Time under tension of one rep dict, s: concentric + top pause + eccentric (bottom pause excluded)."""
    return _num(rep.get("concentric_s")) + _num(rep.get("pause_top_s")) + _num(rep.get("eccentric_s"))


@dataclass
class SensorCard:
    """Everything the live page shows for one sensor (``to_dict`` is what the page receives)."""

    sensor_id: str
    state: str = "online"
    message: str = ""
    status_at: float | None = None
    battery_pct: int | None = None
    dropped_packets: int = 0
    exercise: str | None = None
    set_index: int = 0
    in_set: bool = False
    set_started_at: float | None = None
    last_event_at: float | None = None
    reps: list[dict[str, Any]] = field(default_factory=list)
    sets: list[dict[str, Any]] = field(default_factory=list)
    last_set: dict[str, Any] | None = None
    last_set_ended_at: float | None = None
    last_set_emitted_at: float | None = None
    seq: int = -1

    @property
    def total_reps(self) -> int:
        """Reps in finished sets plus the current set's."""
        done = sum(s["rep_count"] for s in self.sets)
        return done + (len(self.reps) if self.in_set else 0)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready card."""
        return {
            "sensor_id": self.sensor_id, "state": self.state, "message": self.message,
            "status_at": self.status_at, "battery_pct": self.battery_pct, "dropped_packets": self.dropped_packets,
            "exercise": self.exercise, "set_index": self.set_index, "in_set": self.in_set,
            "set_started_at": self.set_started_at, "last_event_at": self.last_event_at,
            "rep_count": len(self.reps), "time_under_tension_s": round(sum(tension_s(r) for r in self.reps), 3),
            "reps": list(self.reps), "sets": list(self.sets), "last_set": self.last_set,
            "last_set_ended_at": self.last_set_ended_at,
            "last_set_emitted_at": self.last_set_emitted_at, "total_reps": self.total_reps, "seq": self.seq,
        }


def _rep_entry(rep: dict[str, Any], complete: bool) -> dict[str, Any]:
    keep = ("index", "concentric_s", "pause_top_s", "eccentric_s", "pause_bottom_s", "rom_deg",
            "peak_speed_dps", "confidence", "partial")
    entry = {k: rep.get(k) for k in keep}
    entry["complete"] = complete
    return entry


class LiveState:
    """The live dashboard's state: session info and one :class:`SensorCard` per sensor id."""

    def __init__(self) -> None:
        self.session: dict[str, Any] | None = None
        self.cards: dict[str, SensorCard] = {}
        self.ended = False

    def card(self, sensor_id: str) -> SensorCard:
        """The card of ``sensor_id`` (created on first use)."""
        if sensor_id not in self.cards:
            self.cards[sensor_id] = SensorCard(sensor_id)
        return self.cards[sensor_id]

    def open_session(self, session: SessionInfo) -> None:
        """A new session starts: forget the previous one's cards."""
        self.session = {"session_id": session.session_id, "started_at": session.started_at,
                        "source": session.source, "exercise": session.exercise}
        self.cards.clear()
        self.ended = False

    def apply_event(self, env: EventEnvelope) -> SensorCard:
        """Fold one engine event into its sensor's card; returns the card."""
        card = self.card(env.sensor_id)
        ev = env.event
        card.seq = env.seq
        card.last_event_at = env.to_wall(ev.t)
        if isinstance(ev, SetStarted):
            card.in_set, card.set_index, card.exercise = True, ev.set_index, ev.exercise
            card.set_started_at = env.to_wall(ev.start)
            card.reps = []
        elif isinstance(ev, (RepAnnounced, RepCompleted)):
            if not card.in_set or card.set_index != ev.set_index:  # missed the SetStarted (e.g. mid-stream)
                card.in_set, card.set_index, card.reps = True, ev.set_index, []
                card.set_started_at = env.to_wall(ev.rep.start)
            card.exercise = ev.exercise
            entry = _rep_entry(ev.rep.to_dict(), isinstance(ev, RepCompleted))
            for i, old in enumerate(card.reps):
                if old["index"] == entry["index"]:
                    card.reps[i] = entry
                    break
            else:
                card.reps.append(entry)
                card.reps.sort(key=lambda r: r["index"])
        elif isinstance(ev, SetEnded):
            summary = ev.summary.to_dict()
            card.in_set, card.set_index, card.exercise = False, ev.summary.set_index, ev.summary.exercise
            card.reps = [_rep_entry(r, True) for r in summary["reps"]]
            card.last_set = summary
            card.last_set_ended_at = env.to_wall(ev.summary.end)
            card.last_set_emitted_at = env.emitted_at
            brief = {k: summary.get(k) for k in ("set_index", "exercise", "rep_count", "tempo",
                                                  "time_under_tension_s", "slowdown_pct", "partial_reps")}
            brief["ended_at"] = card.last_set_ended_at
            card.sets = [s for s in card.sets if s["set_index"] != brief["set_index"]] + [brief]
        return card

    def apply_status(self, status: SensorStatus) -> SensorCard:
        """Fold a sensor status change into its card; returns the card."""
        card = self.card(status.sensor_id)
        card.state, card.message, card.status_at = status.state, status.message, status.at
        card.dropped_packets = status.dropped_packets
        if status.battery_pct is not None:
            card.battery_pct = status.battery_pct
        return card

    def snapshot(self) -> dict[str, Any]:
        """Everything a freshly connected page needs."""
        return {"session": self.session, "ended": self.ended,
                "sensors": [c.to_dict() for c in sorted(self.cards.values(), key=lambda c: c.sensor_id)]}
