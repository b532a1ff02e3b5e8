"""Events the rep engine emits, and the per-rep / per-set results they carry.

All times are signal times in seconds (the recording's ``t`` axis), never wall-clock time. Every event
carries ``t``: the time of the newest sample the engine had consumed when it emitted the event, so the
delay between a rep's end and its announcement is ``event.t - rep.concentric_end``.

Event order for one set: ``SetStarted``, then per rep ``RepAnnounced`` (at the top of the pull, when the
concentric phase has ended) followed later by ``RepCompleted`` (same ``set_index``/``rep.index``, when
the lowering and the bottom pause have ended), and finally ``SetEnded`` with the set summary.
A rep id (``set_index``, ``index``) never changes between its announcement and its completion.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Union

BACK_EXERCISES: tuple[str, ...] = ("pullup", "chinup", "lat_pulldown", "seated_row", "bent_over_row")
"""Exercises the engine recognises by name. Anything else is labelled ``other``."""

EXERCISES: tuple[str, ...] = BACK_EXERCISES + ("other",)
"""Every exercise label the engine can report."""

EXERCISE_ALIASES: dict[str, str] = {
    "pull_up": "pullup", "chin_up": "chinup", "pulldown": "lat_pulldown", "row": "seated_row",
    "cable_row": "seated_row", "barbell_row": "bent_over_row", "dumbbell_row": "bent_over_row",
}
"""Other spellings of the back exercises (after :func:`exercise_key` folding)."""


def exercise_key(name: str) -> str:
    """Fold a user's spelling to a key (``Pull-up`` -> ``pullup``); unknown names come back folded, not checked."""
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    return EXERCISE_ALIASES.get(key, key)


@dataclass(frozen=True)
class Rep:
    """One repetition and its tempo.

    Attributes:
        index: 1-based position within its set.
        start: start of the concentric (pull) phase, s.
        concentric_end: end of the concentric phase (top of the pull), s.
        end: end of the rep (end of the pause at the bottom), s; equals ``concentric_end`` in an announced
            rep whose lowering has not ended yet.
        concentric_s: pull time, s.
        pause_top_s: pause at the top, s (NaN until known).
        eccentric_s: lowering time, s (NaN until known).
        pause_bottom_s: pause at the bottom, s (NaN until known).
        rom_deg: range-of-motion proxy: forearm rotation over the rep in degrees (from gravity direction
            and gyro), comparable within a set.
        peak_speed_dps: peak angular speed during the concentric phase, deg/s.
        confidence: 0..1, how sure the engine is that this is a real rep.
        partial: range of motion well below the set's own norm (known for sure only in ``SetEnded``).
    """

    index: int
    start: float
    concentric_end: float
    end: float
    concentric_s: float
    pause_top_s: float
    eccentric_s: float
    pause_bottom_s: float
    rom_deg: float
    peak_speed_dps: float
    confidence: float
    partial: bool = False

    @property
    def duration_s(self) -> float:
        """Whole rep duration, s."""
        return self.end - self.start

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (NaN becomes None)."""
        return _clean(asdict(self))


@dataclass(frozen=True)
class SetSummary:
    """A finished set.

    Attributes:
        set_index: 1-based set number within the stream.
        exercise: one of :data:`EXERCISES`.
        exercise_confidence: 0..1.
        start: start of the first rep, s.
        end: end of the last rep, s.
        reps: the reps, in order.
        time_under_tension_s: sum of rep durations excluding the pause at the bottom, s.
        tempo: mean tempo in 4-digit notation eccentric-bottom pause-concentric-top pause, e.g. ``"3-1-1-0"``
            (rounded to whole seconds).
        mean_concentric_s, mean_pause_top_s, mean_eccentric_s, mean_pause_bottom_s: means over reps, s.
        slowdown_pct: how much longer the last reps' concentric phase is than the first reps', in percent
            (positive = slower at the end).
        mean_rom_deg: mean range of motion over full reps, deg.
        partial_reps: indices of reps flagged partial.
    """

    set_index: int
    exercise: str
    exercise_confidence: float
    start: float
    end: float
    reps: tuple[Rep, ...]
    time_under_tension_s: float
    tempo: str
    mean_concentric_s: float
    mean_pause_top_s: float
    mean_eccentric_s: float
    mean_pause_bottom_s: float
    slowdown_pct: float
    mean_rom_deg: float
    partial_reps: tuple[int, ...] = ()

    @property
    def rep_count(self) -> int:
        """Number of reps (partial reps included)."""
        return len(self.reps)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict in the ``analyze --json`` shape."""
        d = _clean(asdict(self))
        d["reps"] = [r.to_dict() for r in self.reps]
        d["rep_count"] = self.rep_count
        d["partial_reps"] = list(self.partial_reps)
        return d


@dataclass(frozen=True)
class SetStarted:
    """A set has begun (emitted once its first rep is certain, with ``start`` back-dated to that rep)."""

    t: float
    set_index: int
    start: float
    exercise: str
    kind: Literal["set_started"] = field(default="set_started", init=False)

    def to_dict(self) -> dict[str, Any]:
        return _clean(asdict(self))


@dataclass(frozen=True)
class RepAnnounced:
    """A rep is counted: its concentric phase has ended. Tempo fields after the concentric are NaN."""

    t: float
    set_index: int
    rep: Rep
    exercise: str
    kind: Literal["rep_announced"] = field(default="rep_announced", init=False)

    def to_dict(self) -> dict[str, Any]:
        d = _clean(asdict(self))
        d["rep"] = self.rep.to_dict()
        return d


@dataclass(frozen=True)
class RepCompleted:
    """A counted rep's tempo is complete (lowering and bottom pause ended). Same rep id as announced."""

    t: float
    set_index: int
    rep: Rep
    exercise: str
    kind: Literal["rep_completed"] = field(default="rep_completed", init=False)

    def to_dict(self) -> dict[str, Any]:
        d = _clean(asdict(self))
        d["rep"] = self.rep.to_dict()
        return d


@dataclass(frozen=True)
class SetEnded:
    """A set is over (rest detected, or the stream ended)."""

    t: float
    summary: SetSummary
    kind: Literal["set_ended"] = field(default="set_ended", init=False)

    @property
    def set_index(self) -> int:
        return self.summary.set_index

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "t": self.t, "set_index": self.set_index, "summary": self.summary.to_dict()}


EngineEvent = Union[SetStarted, RepAnnounced, RepCompleted, SetEnded]
"""Anything :meth:`repcounter.engine.RepEngine.feed` returns."""


def _clean(value: Any) -> Any:
    """Replace NaN/inf floats by None, recursively, so the result is valid JSON."""
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value
