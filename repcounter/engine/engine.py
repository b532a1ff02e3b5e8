"""Streaming rep engine (PLACEHOLDER: the real detector replaces this; the interface stays)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from repcounter.engine.events import EXERCISES, EngineEvent, SetEnded, SetSummary


@dataclass(frozen=True)
class EngineConfig:
    """Engine tuning. Units in the field names."""


@dataclass
class SessionAnalysis:
    """All sets of a recording, in the ``analyze --json`` shape."""

    sets: list[SetSummary] = field(default_factory=list)

    @property
    def total_reps(self) -> int:
        return sum(s.rep_count for s in self.sets)

    def to_dict(self) -> dict[str, Any]:
        return {"sets": [s.to_dict() for s in self.sets], "total_reps": self.total_reps}


class RepEngine:
    """Feed (n, 7) samples (``t, ax, ay, az, gx, gy, gz``; s, g, deg/s) in chunks of any size.

    Args:
        exercise: one of :data:`EXERCISES`' back exercises, or ``auto``.
        config: tuning.
    """

    def __init__(self, exercise: str = "auto", config: EngineConfig | None = None) -> None:
        if exercise != "auto" and exercise not in EXERCISES:
            raise ValueError(f"unknown exercise {exercise!r}")
        self.exercise = exercise
        self.config = config or EngineConfig()

    def feed(self, samples: np.ndarray) -> list[EngineEvent]:
        """Consume samples; return the events they complete."""
        return []

    def finish(self) -> list[EngineEvent]:
        """End of stream: close any open set."""
        return []


def analyze_samples(samples: np.ndarray, exercise: str = "auto", config: EngineConfig | None = None) -> SessionAnalysis:
    """Run the streaming engine over a whole recording and collect the sets."""
    engine = RepEngine(exercise, config)
    events = engine.feed(samples) + engine.finish()
    return SessionAnalysis([e.summary for e in events if isinstance(e, SetEnded)])
