"""The pure rep and tempo engine: no I/O, no clock, no asyncio.

Public surface: :class:`RepEngine` (streaming), :func:`analyze_samples` (whole recording), the event types.
The engine proper (and scipy) is imported on first use, so importing the event types stays cheap.
"""

from typing import Any

from repcounter.engine.events import (
    BACK_EXERCISES,
    EXERCISES,
    EngineEvent,
    Rep,
    RepAnnounced,
    RepCompleted,
    SetEnded,
    SetStarted,
    SetSummary,
)

_LAZY = ("EngineConfig", "RepEngine", "SessionAnalysis", "analyze_samples")

__all__ = [
    "BACK_EXERCISES", "EXERCISES", "EngineConfig", "EngineEvent", "Rep", "RepAnnounced", "RepCompleted",
    "RepEngine", "SessionAnalysis", "SetEnded", "SetStarted", "SetSummary", "analyze_samples",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from repcounter.engine import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'repcounter.engine' has no attribute {name!r}")
